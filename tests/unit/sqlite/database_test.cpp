#include "fieldsync/sqlite/database.h"

#include <doctest/doctest.h>

#include <chrono>

#include "fieldsync/sqlite/transaction.h"
#include "temp_dir.h"
#include "test_support.h"

using namespace fieldsync;
using namespace fieldsync::sqlite;
using namespace fieldsync::sqlite::testing;

TEST_CASE("Database::open creates the file with WAL, foreign keys and synchronous=NORMAL") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  CHECK(std::filesystem::exists(dir.file("a.db")));
  CHECK(query_text(db, "PRAGMA journal_mode") == "wal");
  CHECK(query_int(db, "PRAGMA foreign_keys") == 1);
  CHECK(query_int(db, "PRAGMA synchronous") == 1);  // NORMAL
  CHECK(db.path() == dir.file("a.db"));

  // WAL is a property of the file: another connection sees it too.
  Database other = Database::open(dir.file("a.db"), {.read_only = true});
  CHECK(query_text(other, "PRAGMA journal_mode") == "wal");
}

TEST_CASE("Database::open honours synchronous=FULL") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"), {.synchronous = Synchronous::full});
  CHECK(query_int(db, "PRAGMA synchronous") == 2);
}

TEST_CASE("Database::open sets the busy timeout") {
  TempDir dir;
  Database defaults = Database::open(dir.file("a.db"));
  CHECK(query_int(defaults, "PRAGMA busy_timeout") == 5000);
  Database custom = Database::open(dir.file("a.db"), {.busy_timeout_ms = 1234});
  CHECK(query_int(custom, "PRAGMA busy_timeout") == 1234);
}

TEST_CASE("a writer waits busy_timeout_ms for the lock, then throws busy") {
  TempDir dir;
  Database holder = Database::open(dir.file("a.db"));
  holder.exec("CREATE TABLE t(x)");
  Transaction lock(holder);  // IMMEDIATE: holds the write lock

  Database waiter = Database::open(dir.file("a.db"), {.busy_timeout_ms = 200});
  const auto start = std::chrono::steady_clock::now();
  auto error = thrown_error([&] { waiter.exec("INSERT INTO t VALUES (1)"); });
  const auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE(error);
  CHECK(error->domain() == ErrorDomain::storage);
  CHECK(error->code() == "busy");
  CHECK(waited >= std::chrono::milliseconds(150));

  lock.rollback();
  waiter.exec("INSERT INTO t VALUES (1)");  // the lock is gone: no wait, no error
  CHECK(query_int(waiter, "SELECT count(*) FROM t") == 1);
}

TEST_CASE("read_only refuses writes and create=false refuses a missing file") {
  TempDir dir;
  {
    Database db = Database::open(dir.file("a.db"));
    db.exec("CREATE TABLE t(x)");
  }
  Database reader = Database::open(dir.file("a.db"), {.read_only = true});
  auto write = thrown_error([&] { reader.exec("INSERT INTO t VALUES (1)"); });
  REQUIRE(write);
  CHECK(write->domain() == ErrorDomain::storage);
  CHECK(write->code() == "sqlite_error");

  auto missing = thrown_error([&] { Database::open(dir.file("missing.db"), {.create = false}); });
  REQUIRE(missing);
  CHECK(missing->code() == "sqlite_error");
  CHECK(missing->message().find("missing.db") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("missing.db")));
}

TEST_CASE("an in-memory database opens") {
  Database db = Database::open(":memory:");
  db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (7);");
  CHECK(query_int(db, "SELECT x FROM t") == 7);
}

TEST_CASE("exec runs a script and reports bad SQL with SQLite's message and the SQL") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);");
  CHECK(query_int(db, "SELECT count(*) FROM t") == 2);

  auto error = thrown_error([&] { db.exec("INSERT INTO nowhere VALUES (1)"); });
  REQUIRE(error);
  CHECK(error->domain() == ErrorDomain::storage);
  CHECK(error->code() == "sqlite_error");
  CHECK(error->message().find("no such table: nowhere") != std::string::npos);
  CHECK(error->message().find("INSERT INTO nowhere") != std::string::npos);
}

TEST_CASE("prepare_cached returns the same statement object, reset and unbound") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);");
  constexpr std::string_view kSql = "SELECT x, :p FROM t ORDER BY x";

  Statement& first = db.prepare_cached(kSql);
  first.bind(":p", 42);
  REQUIRE(first.step());
  CHECK(first.column_int64(0) == 1);
  CHECK(first.column_int64(1) == 42);

  Statement& again = db.prepare_cached(std::string(kSql));  // equal text, other storage
  CHECK(&again == &first);
  CHECK(db.cached_statement_count() == 1);
  REQUIRE(again.step());
  CHECK(again.column_int64(0) == 1);  // reset: starts from the first row again
  CHECK(again.is_null(1));            // bindings cleared

  Statement& other = db.prepare_cached("SELECT 1");
  CHECK(&other != &first);
  CHECK(db.cached_statement_count() == 2);
}

TEST_CASE("cached statements survive moving the Database") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  Statement& cached = db.prepare_cached("SELECT 5");
  Database moved = std::move(db);
  CHECK(&moved.prepare_cached("SELECT 5") == &cached);
  REQUIRE(cached.step());
  CHECK(cached.column_int64(0) == 5);

  Database assigned = Database::open(dir.file("b.db"));
  assigned = std::move(moved);
  CHECK(&assigned.prepare_cached("SELECT 5") == &cached);
  CHECK(assigned.path() == dir.file("a.db"));
}

TEST_CASE("prepare refuses SQL holding no statement or more than one") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  CHECK(db.prepare("SELECT 1;  ").step());
  for (const char* sql : {"", "  ", "SELECT 1; SELECT 2"}) {
    CAPTURE(sql);
    auto error = thrown_error([&] { db.prepare(sql); });
    REQUIRE(error);
    CHECK(error->code() == "sqlite_error");
  }
}

TEST_CASE("last_insert_rowid and changes report the last write") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, x)");
  db.exec("INSERT INTO t(id, x) VALUES (41, 'a')");
  CHECK(db.last_insert_rowid() == 41);
  db.exec("INSERT INTO t(x) VALUES ('b')");
  CHECK(db.last_insert_rowid() == 42);
  db.exec("UPDATE t SET x = 'c'");
  CHECK(db.changes() == 2);
}

TEST_CASE("a statement may outlive its Database") {
  TempDir dir;
  std::optional<Statement> stmt;
  {
    Database db = Database::open(dir.file("a.db"));
    stmt.emplace(db.prepare("SELECT 1"));
  }
  // Finalizing now completes the deferred close; LeakSanitizer fails this test if the
  // connection is never closed, AddressSanitizer if it was freed too early.
  REQUIRE(stmt->step());
  CHECK(stmt->column_int64(0) == 1);
  stmt.reset();
}
