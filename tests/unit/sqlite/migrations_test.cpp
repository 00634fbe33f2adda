#include "fieldsync/sqlite/migrations.h"

#include <doctest/doctest.h>

#include <fstream>

#include "fieldsync/sqlite/embedded_schema.h"
#include "temp_dir.h"
#include "test_support.h"

using namespace fieldsync;
using namespace fieldsync::sqlite;
using namespace fieldsync::sqlite::testing;

namespace {

const std::vector<Migration> kThree = {
    {1, "units", "CREATE TABLE unit(id TEXT PRIMARY KEY); CREATE INDEX unit_id ON unit(id);"},
    {2, "cases", "CREATE TABLE case_row(id TEXT PRIMARY KEY, unit_id TEXT REFERENCES unit(id));"},
    {3, "seed", "INSERT INTO unit VALUES ('u1');"},
};

// Everything that makes up the schema, plus the bookkeeping rows (without their times).
std::string schema_and_bookkeeping(Database& db) {
  std::string text;
  Statement schema = db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name");
  while (schema.step()) {
    text +=
        schema.column_text(0) + " " + schema.column_text(1) + ": " + schema.column_text(2) + "\n";
  }
  if (table_exists(db, "schema_migrations")) {
    Statement rows =
        db.prepare("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
    while (rows.step()) {
      text += std::to_string(rows.column_int64(0)) + " " + rows.column_text(1) + " " +
              rows.column_text(2) + "\n";
    }
  }
  return text;
}

std::vector<std::int64_t> recorded_versions(Database& db) {
  std::vector<std::int64_t> versions;
  Statement stmt = db.prepare("SELECT version FROM schema_migrations ORDER BY version");
  while (stmt.step()) versions.push_back(stmt.column_int64(0));
  return versions;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("migrations apply in order and record name, checksum and time") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  const MigrationResult result = run_migrations(db, kThree);
  CHECK(result.applied == std::vector<int>{1, 2, 3});
  CHECK(table_exists(db, "unit"));
  CHECK(table_exists(db, "case_row"));
  CHECK(query_int(db, "SELECT count(*) FROM unit") == 1);

  Statement row =
      db.prepare("SELECT name, checksum, applied_at FROM schema_migrations WHERE version = 2");
  REQUIRE(row.step());
  CHECK(row.column_text(0) == "cases");
  CHECK(row.column_text(1) == migration_checksum(kThree[1].sql));
  CHECK(row.column_text(2).size() == 24);  // 2025-01-31T12:34:56.789Z
  CHECK(row.column_text(2).back() == 'Z');
}

TEST_CASE("running migrations twice is harmless: the second run applies nothing") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  run_migrations(db, kThree);
  const std::string after_first = schema_and_bookkeeping(db);

  const MigrationResult second = run_migrations(db, kThree);
  CHECK(second.applied.empty());
  CHECK(schema_and_bookkeeping(db) == after_first);
  CHECK(query_int(db, "SELECT count(*) FROM unit") == 1);  // the seed did not run again

  Database reopened = Database::open(dir.file("a.db"));
  CHECK(run_migrations(reopened, kThree).applied.empty());
  CHECK(schema_and_bookkeeping(reopened) == after_first);
}

TEST_CASE("a longer list applies only the new migrations") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  run_migrations(db, std::span(kThree).first(1));
  CHECK(recorded_versions(db) == std::vector<std::int64_t>{1});
  CHECK(run_migrations(db, kThree).applied == std::vector<int>{2, 3});
  CHECK(recorded_versions(db) == std::vector<std::int64_t>{1, 2, 3});
}

TEST_CASE("a failing migration rolls back entirely and leaves the database at the one before") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  const std::vector<Migration> migrations = {
      kThree[0],
      {2, "broken", "CREATE TABLE half_done(x); INSERT INTO half_done VALUES (1); SELEKT oops;"},
      {3, "never", "CREATE TABLE never(x);"},
  };
  run_migrations(db, std::span(migrations).first(1));
  const std::string at_one = schema_and_bookkeeping(db);

  auto error = thrown_error([&] { run_migrations(db, migrations); });
  REQUIRE(error);
  CHECK(error->domain() == ErrorDomain::storage);
  CHECK(error->code() == "migration_failed");
  CHECK(error->message().find("migration 2 (broken)") != std::string::npos);
  CHECK(error->message().find("syntax error") != std::string::npos);

  CHECK_FALSE(table_exists(db, "half_done"));
  CHECK_FALSE(table_exists(db, "never"));
  CHECK(recorded_versions(db) == std::vector<std::int64_t>{1});
  CHECK(schema_and_bookkeeping(db) == at_one);
  CHECK(db.autocommit());
}

TEST_CASE("a failure in the very first run keeps earlier migrations of that run") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  const std::vector<Migration> migrations = {kThree[0], {2, "dup", "CREATE TABLE unit(x);"}};
  auto error = thrown_error([&] { run_migrations(db, migrations); });
  REQUIRE(error);
  CHECK(error->code() == "migration_failed");
  CHECK(recorded_versions(db) == std::vector<std::int64_t>{1});
}

TEST_CASE("an applied migration whose SQL changed is refused before anything is applied") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  run_migrations(db, std::span(kThree).first(1));
  const std::string before = schema_and_bookkeeping(db);

  std::vector<Migration> edited = kThree;
  edited[0].sql += " CREATE TABLE sneaked_in(x);";
  auto error = thrown_error([&] { run_migrations(db, edited); });
  REQUIRE(error);
  CHECK(error->domain() == ErrorDomain::storage);
  CHECK(error->code() == "migration_changed");
  CHECK(error->message().find("migration 1 (units)") != std::string::npos);
  CHECK(schema_and_bookkeeping(db) == before);  // 2 and 3 were not applied either
}

TEST_CASE("versions that do not strictly increase are refused before the database is touched") {
  for (const auto& versions : {std::vector<int>{2, 1}, std::vector<int>{1, 1}, {0, 1}, {-3}}) {
    CAPTURE(versions.front());
    TempDir dir;
    Database db = Database::open(dir.file("a.db"));
    std::vector<Migration> migrations;
    for (int v : versions)
      migrations.push_back({v, "m", "CREATE TABLE t" + std::to_string(v + 10) + "(x);"});
    auto error = thrown_error([&] { run_migrations(db, migrations); });
    REQUIRE(error);
    CHECK(error->domain() == ErrorDomain::storage);
    CHECK(error->code() == "migration_order");
    CHECK(schema_and_bookkeeping(db).empty());
  }
}

TEST_CASE("recorded versions missing from the list are left alone") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  run_migrations(db, kThree);
  const std::vector<Migration> other_list = {{100, "model", "CREATE TABLE visit(id TEXT);"}};
  CHECK(run_migrations(db, other_list).applied == std::vector<int>{100});
  CHECK(recorded_versions(db) == std::vector<std::int64_t>{1, 2, 3, 100});
}

TEST_CASE("migration_checksum is FNV-1a 64 in hex and ignores CRLF versus LF") {
  CHECK(migration_checksum("") == "fnv1a64:cbf29ce484222325");
  CHECK(migration_checksum("a") == "fnv1a64:af63dc4c8601ec8c");
  CHECK(migration_checksum("CREATE TABLE t(x);\r\nSELECT 1;\r\n") ==
        migration_checksum("CREATE TABLE t(x);\nSELECT 1;\n"));
  CHECK(migration_checksum("SELECT 1") != migration_checksum("SELECT 2"));
  CHECK(migration_checksum("a\rb") != migration_checksum("ab"));  // a lone CR counts
}

TEST_CASE("load_sql_migrations reads NNNN_name.sql files sorted by version") {
  TempDir dir;
  write_file(dir.file("0010_third.sql"), "CREATE TABLE c(x);");
  write_file(dir.file("0001_first_one.sql"), "CREATE TABLE a(x);\r\n");
  write_file(dir.file("0002_second.sql"), "CREATE TABLE b(x);");
  write_file(dir.file("model.json"), "{}");
  std::filesystem::create_directory(dir.file("0003_a_directory.sql"));

  const std::vector<Migration> loaded = load_sql_migrations(dir.path());
  REQUIRE(loaded.size() == 3);
  CHECK(loaded[0].version == 1);
  CHECK(loaded[0].name == "first_one");
  CHECK(loaded[0].sql == "CREATE TABLE a(x);\r\n");  // bytes as in the file
  CHECK(loaded[1].version == 2);
  CHECK(loaded[1].name == "second");
  CHECK(loaded[2].version == 10);
  CHECK(loaded[2].name == "third");
}

TEST_CASE("load_sql_migrations refuses misnamed files, duplicate versions, a missing dir") {
  const auto load_error = [](const std::string& file_name, const std::string& second = {}) {
    TempDir dir;
    write_file(dir.file(file_name), "SELECT 1;");
    if (!second.empty()) write_file(dir.file(second), "SELECT 2;");
    return thrown_error([&] { load_sql_migrations(dir.path()); });
  };
  for (const char* bad :
       {"schema.sql", "0001.sql", "0001_.sql", "x001_a.sql", "_a.sql", "99999999999_a.sql"}) {
    CAPTURE(bad);
    auto error = load_error(bad);
    REQUIRE(error);
    CHECK(error->code() == "migration_file");
    CHECK(error->message().find(bad) != std::string::npos);
  }
  auto duplicate = load_error("0002_a.sql", "02_b.sql");
  REQUIRE(duplicate);
  CHECK(duplicate->code() == "migration_order");

  TempDir dir;
  auto missing = thrown_error([&] { load_sql_migrations(dir.file("absent")); });
  REQUIRE(missing);
  CHECK(missing->code() == "migration_file");
}

TEST_CASE("the real schema/ migrations create the sync bookkeeping tables") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  const std::vector<Migration> migrations = load_sql_migrations(FIELDSYNC_SCHEMA_DIR);
  REQUIRE_FALSE(migrations.empty());
  CHECK(migrations.front().version == 1);
  CHECK(migrations.front().name == "sync_bookkeeping");
  CHECK(run_migrations(db, migrations).applied.size() == migrations.size());
  CHECK(run_migrations(db, migrations).applied.empty());

  for (const char* table : {"op_log", "change_index", "outbox", "sync_state"}) {
    CAPTURE(table);
    CHECK(table_exists(db, table));
  }
  for (const char* index :
       {"op_log_entity_row", "change_index_version", "change_index_unit_version"}) {
    CAPTURE(index);
    Statement stmt = db.prepare("SELECT 1 FROM sqlite_master WHERE type='index' AND name=?");
    stmt.bind(1, index);
    CHECK(stmt.step());
  }

  // The constraints the sync code relies on.
  db.exec(
      "INSERT INTO outbox(op_id, op_json, state, created_at, updated_at)"
      " VALUES ('op1', '{}', 'pending', 't', 't')");
  auto bad_state = thrown_error([&] {
    db.exec(
        "INSERT INTO outbox(op_id, op_json, state, created_at, updated_at)"
        " VALUES ('op2', '{}', 'lost', 't', 't')");
  });
  REQUIRE(bad_state);
  CHECK(bad_state->code() == "constraint");
  auto same_op = thrown_error([&] {
    db.exec(
        "INSERT INTO outbox(op_id, op_json, state, created_at, updated_at)"
        " VALUES ('op1', '{}', 'pending', 't', 't')");
  });
  REQUIRE(same_op);
  CHECK(same_op->code() == "constraint");

  const char* log_op =
      "INSERT INTO op_log(op_id, device_id, user_id, entity, row_id, kind, op_json, outcome,"
      " received_at) VALUES ('op1', 'd', 'u', 'case', 'r1', 'update', '{}', 'accepted', 't')";
  db.exec(log_op);
  CHECK(db.last_insert_rowid() == 1);
  auto logged_twice = thrown_error([&] { db.exec(log_op); });
  REQUIRE(logged_twice);
  CHECK(logged_twice->code() == "constraint");

  db.exec("INSERT INTO change_index VALUES ('case', 'r1', 'unit1', 1)");
  CHECK(thrown_error([&] { db.exec("INSERT INTO change_index VALUES ('case', 'r1', 'u2', 2)"); }));
  db.exec("INSERT INTO sync_state VALUES ('cursor', '0')");
  CHECK(thrown_error([&] { db.exec("INSERT INTO sync_state VALUES ('cursor', '1')"); }));
}

TEST_CASE("migrations: a tablet finds the ops to re-apply without reading its whole history") {
  TempDir dir;
  Database db = Database::open(dir.file("tablet.db"));
  run_migrations(db, embedded_migrations());
  // The query of client::Outbox::to_reapply: unanswered ops, and answered ones the device has
  // not pulled back yet. The answered part must be a range on seq, not every answered op.
  Statement plan = db.prepare(
      "EXPLAIN QUERY PLAN SELECT local_seq FROM outbox WHERE state IN ('pending', 'sent')"
      " OR (state IN ('accepted', 'conflict') AND seq > ?1) ORDER BY local_seq");
  std::string details;
  while (plan.step()) details += plan.column_text(3) + "\n";
  INFO(details);
  CHECK(details.find("outbox_by_state_seq (state=? AND seq>?)") != std::string::npos);
  CHECK(details.find("SCAN outbox") == std::string::npos);
}
