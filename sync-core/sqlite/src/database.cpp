#include "fieldsync/sqlite/database.h"
#include "fieldsync/core/error.h"

#include <sqlite3.h>

#include <utility>

#include "sqlite_error.h"

namespace fieldsync::sqlite {
namespace {

// Reads the single text value a PRAGMA returns.
std::string pragma_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  if (rc != SQLITE_OK) detail::throw_error(db, rc, "cannot prepare", sql);
  Statement stmt(raw);
  return stmt.step() ? stmt.column_text(0) : std::string();
}

void exec_raw(sqlite3* db, std::string_view sql, std::string_view what) {
  char* message = nullptr;
  const std::string script(sql);
  const int rc = sqlite3_exec(db, script.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string detail_text = message != nullptr ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    throw detail::make_error(rc, what, detail_text, sql);
  }
}

void configure(sqlite3* db, const OpenOptions& options, bool in_memory) {
  sqlite3_extended_result_codes(db, 1);
  // First, so that the pragmas below also wait for locks held by others.
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  exec_raw(db, "PRAGMA foreign_keys = ON", "cannot enable foreign keys");
  if (options.read_only) return;
  const std::string mode = pragma_text(db, "PRAGMA journal_mode = WAL");
  if (mode != "wal" && !(in_memory && mode == "memory")) {
    throw Error(ErrorDomain::storage, "sqlite_error",
                "cannot switch to WAL journal mode: SQLite kept journal_mode=" + mode);
  }
  exec_raw(db,
           options.synchronous == Synchronous::full ? "PRAGMA synchronous = FULL"
                                                    : "PRAGMA synchronous = NORMAL",
           "cannot set synchronous");
}

// Prepares exactly one statement; SQL with none or with more than one is refused.
Statement prepare_with(sqlite3* db, std::string_view sql, unsigned int flags) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc =
      sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), flags, &raw, &tail);
  if (rc != SQLITE_OK) detail::throw_error(db, rc, "cannot prepare", sql);
  Statement stmt(raw);
  const std::string_view rest =
      tail != nullptr ? sql.substr(static_cast<std::size_t>(tail - sql.data())) : "";
  const bool trailing = rest.find_first_not_of(" \t\r\n;") != std::string_view::npos;
  if (raw == nullptr || trailing) {
    throw Error(ErrorDomain::storage, "sqlite_error",
                std::string("cannot prepare: ") +
                    (raw == nullptr ? "no statement" : "more than one statement") +
                    " in SQL: " + std::string(sql));
  }
  return stmt;
}

}  // namespace

Database Database::open(const std::filesystem::path& path, const OpenOptions& options) {
  int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  const std::string name = path.string();
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags,
                                 options.vfs.empty() ? nullptr : options.vfs.c_str());
  // From here on `db` closes the connection, also when open or configure fails.
  Database db(raw, path);
  if (rc != SQLITE_OK) {
    detail::throw_error(raw, rc, "cannot open database " + name);
  }
  configure(raw, options, name == ":memory:");
  return db;
}

Database::~Database() {
  close();
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

void Database::close() noexcept {
  cache_.clear();
  // close_v2 defers the close while caller-owned statements are alive.
  sqlite3_close_v2(db_);
  db_ = nullptr;
}

void Database::exec(std::string_view sql) {
  exec_raw(db_, sql, "cannot run SQL");
}

Statement& Database::prepare_cached(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    Statement& stmt = *it->second;
    stmt.reset();
    stmt.clear_bindings();
    return stmt;
  }
  auto stmt = std::make_unique<Statement>(prepare_with(db_, sql, SQLITE_PREPARE_PERSISTENT));
  return *cache_.emplace(std::string(sql), std::move(stmt)).first->second;
}

Statement Database::prepare(std::string_view sql) {
  return prepare_with(db_, sql, 0);
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(db_);
}

bool Database::autocommit() const {
  return sqlite3_get_autocommit(db_) != 0;
}

}  // namespace fieldsync::sqlite
