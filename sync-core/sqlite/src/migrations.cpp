#include "fieldsync/sqlite/migrations.h"
#include "fieldsync/core/error.h"

#include <map>
#include <optional>

#include "fieldsync/sqlite/transaction.h"

namespace fieldsync::sqlite {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)";
constexpr std::string_view kSelectOne =
    "SELECT checksum FROM schema_migrations WHERE version = :version";
constexpr std::string_view kSelectAll = "SELECT version, checksum FROM schema_migrations";
constexpr std::string_view kInsert =
    "INSERT INTO schema_migrations(version, name, checksum, applied_at) "
    "VALUES (:version, :name, :checksum, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

std::string describe(const Migration& m) {
  return "migration " + std::to_string(m.version) + " (" + m.name + ")";
}

void check_order(std::span<const Migration> migrations) {
  int previous = 0;
  for (const Migration& m : migrations) {
    if (m.version <= previous) {
      throw Error(ErrorDomain::storage, "migration_order",
                  describe(m) + " must have a version above " + std::to_string(previous) +
                      ": versions start at 1 and strictly increase");
    }
    previous = m.version;
  }
}

void check_unchanged(const Migration& m, const std::string& recorded) {
  const std::string actual = migration_checksum(m.sql);
  if (recorded != actual) {
    throw Error(ErrorDomain::storage, "migration_changed",
                describe(m) + " was applied with checksum " + recorded +
                    " but its SQL now has checksum " + actual +
                    "; applied migrations must not be edited, add a new one instead");
  }
}

std::optional<std::string> recorded_checksum(Database& db, int version) {
  Statement& select = db.prepare_cached(kSelectOne);
  select.bind(":version", version);
  std::optional<std::string> checksum;
  if (select.step()) checksum = select.column_text(0);
  select.reset();
  return checksum;
}

// Applies one migration unless another connection recorded it meanwhile. True if applied.
bool apply(Database& db, const Migration& m) {
  Transaction tx(db);
  if (auto recorded = recorded_checksum(db, m.version)) {
    check_unchanged(m, *recorded);
    return false;  // tx rolls back: nothing was written
  }
  try {
    db.exec(m.sql);
    Statement& insert = db.prepare_cached(kInsert);
    insert.bind(":version", m.version);
    insert.bind(":name", m.name);
    insert.bind(":checksum", migration_checksum(m.sql));
    insert.run();
    tx.commit();
  } catch (const Error& e) {
    throw Error(ErrorDomain::storage, "migration_failed",
                describe(m) + " failed and was rolled back: " + e.message());
  }
  return true;
}

}  // namespace

MigrationResult run_migrations(Database& db, std::span<const Migration> migrations) {
  check_order(migrations);
  db.exec(kCreateTable);

  std::map<int, std::string> recorded;
  Statement& select = db.prepare_cached(kSelectAll);
  while (select.step()) {
    recorded.emplace(static_cast<int>(select.column_int64(0)), select.column_text(1));
  }
  select.reset();
  for (const Migration& m : migrations) {
    if (auto it = recorded.find(m.version); it != recorded.end()) check_unchanged(m, it->second);
  }

  MigrationResult result;
  for (const Migration& m : migrations) {
    if (recorded.contains(m.version)) continue;
    if (apply(db, m)) result.applied.push_back(m.version);
  }
  return result;
}

std::string migration_checksum(std::string_view sql) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '\r' && i + 1 < sql.size() && sql[i + 1] == '\n') continue;
    hash ^= static_cast<unsigned char>(sql[i]);
    hash *= 0x100000001b3ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text = "fnv1a64:";
  for (int shift = 60; shift >= 0; shift -= 4) text += kHex[(hash >> shift) & 0xf];
  return text;
}

}  // namespace fieldsync::sqlite
