#include "fieldsync/sqlite/transaction.h"

#include <doctest/doctest.h>

#include <stdexcept>

#include "temp_dir.h"
#include "test_support.h"

using namespace fieldsync;
using namespace fieldsync::sqlite;
using namespace fieldsync::sqlite::testing;

namespace {

Database items_db(const TempDir& dir) {
  Database db = Database::open(dir.file("a.db"));
  db.exec(
      "CREATE TABLE item(id TEXT PRIMARY KEY, qty INTEGER NOT NULL);"
      "INSERT INTO item VALUES ('kept', 1);");
  return db;
}

// All rows as "id=qty;" in id order: compares whole table states.
std::string dump(Database& db) {
  std::string text;
  Statement stmt = db.prepare("SELECT id, qty FROM item ORDER BY id");
  while (stmt.step()) {
    text += stmt.column_text(0) + "=" + std::to_string(stmt.column_int64(1)) + ";";
  }
  return text;
}

void insert(Database& db, std::string_view id) {
  Statement& stmt = db.prepare_cached("INSERT INTO item(id, qty) VALUES (?, 1)");
  stmt.bind(1, id);
  stmt.run();
}

}  // namespace

TEST_CASE("commit persists across reopening the file") {
  TempDir dir;
  {
    Database db = items_db(dir);
    Transaction tx(db);
    insert(db, "new");
    db.exec("UPDATE item SET qty = 5 WHERE id = 'kept'");
    tx.commit();
    CHECK_FALSE(tx.active());
    CHECK(db.autocommit());
  }
  Database reopened = Database::open(dir.file("a.db"));
  CHECK(dump(reopened) == "kept=5;new=1;");
}

TEST_CASE("a transaction destroyed without commit leaves the data as before") {
  TempDir dir;
  Database db = items_db(dir);
  const std::string before = dump(db);
  {
    Transaction tx(db);
    insert(db, "new");
    db.exec("UPDATE item SET qty = 5 WHERE id = 'kept'");
    CHECK(dump(db) != before);
  }
  CHECK(db.autocommit());
  CHECK(dump(db) == before);
}

TEST_CASE("an exception inside a transaction leaves the data as before") {
  TempDir dir;
  Database db = items_db(dir);
  const std::string before = dump(db);
  const auto failing_batch = [&] {
    Transaction tx(db);
    insert(db, "a");
    db.exec("UPDATE item SET qty = 9");
    insert(db, "kept");  // constraint violation: throws
    tx.commit();
  };
  auto error = thrown_error(failing_batch);
  REQUIRE(error);
  CHECK(error->code() == "constraint");
  CHECK(dump(db) == before);

  CHECK_THROWS_AS(
      [&] {
        Transaction tx(db);
        insert(db, "b");
        throw std::runtime_error("not a storage error");
      }(),
      std::runtime_error);
  CHECK(dump(db) == before);
}

TEST_CASE("rollback() undoes now; commit or rollback after the end is refused") {
  TempDir dir;
  Database db = items_db(dir);
  Transaction tx(db);
  insert(db, "new");
  tx.rollback();
  CHECK(dump(db) == "kept=1;");
  auto error = thrown_error([&] { tx.commit(); });
  REQUIRE(error);
  CHECK(error->code() == "transaction_finished");
  CHECK(thrown_error([&] { tx.rollback(); }));
}

TEST_CASE("IMMEDIATE takes the write lock at once, DEFERRED does not") {
  TempDir dir;
  Database db = items_db(dir);
  Database other = Database::open(dir.file("a.db"), {.busy_timeout_ms = 0});
  {
    Transaction tx(db);
    auto error = thrown_error([&] { Transaction competing(other); });
    REQUIRE(error);
    CHECK(error->code() == "busy");
  }
  {
    Transaction tx(db, TransactionMode::deferred);
    Transaction competing(other);  // no lock taken yet by `tx`
    competing.commit();
  }
}

TEST_CASE("a transaction cannot be opened inside another one") {
  TempDir dir;
  Database db = items_db(dir);
  Transaction outer(db);
  auto error = thrown_error([&] { Transaction inner(db); });
  REQUIRE(error);
  CHECK(error->code() == "sqlite_error");
  CHECK(outer.active());
}

TEST_CASE("a savepoint rolled back keeps the outer transaction's work") {
  TempDir dir;
  Database db = items_db(dir);
  {
    Transaction tx(db);
    insert(db, "before");
    {
      Savepoint sp(db);
      insert(db, "dropped");
    }  // not released: undone
    insert(db, "after");
    tx.commit();
  }
  CHECK(dump(db) == "after=1;before=1;kept=1;");
}

TEST_CASE("released savepoints join the transaction; nested ones roll back with their parent") {
  TempDir dir;
  Database db = items_db(dir);
  {
    Transaction tx(db);
    {
      Savepoint outer(db);
      insert(db, "outer");
      {
        Savepoint inner(db);
        CHECK(inner.name() != outer.name());
        insert(db, "inner");
        inner.release();
      }
      outer.rollback();  // takes the released inner work with it
      CHECK_FALSE(outer.active());
    }
    {
      Savepoint sp(db);
      insert(db, "released");
      sp.release();
    }
    tx.commit();
  }
  CHECK(dump(db) == "kept=1;released=1;");
}

TEST_CASE("batch items in savepoints: a failing item is undone, the others kept") {
  TempDir dir;
  Database db = items_db(dir);
  std::vector<std::string> failed;
  {
    Transaction tx(db);
    for (std::string id : {"a", "kept", "b"}) {
      Savepoint sp(db);
      try {
        db.exec("UPDATE item SET qty = qty + 10 WHERE id = 'kept'");
        insert(db, id);  // "kept" violates the primary key
        sp.release();
      } catch (const Error& e) {
        failed.push_back(id + ":" + e.code());
      }
    }
    tx.commit();
  }
  CHECK(failed == std::vector<std::string>{"kept:constraint"});
  CHECK(dump(db) == "a=1;b=1;kept=21;");
}

TEST_CASE("a savepoint outside a transaction commits on release") {
  TempDir dir;
  Database db = items_db(dir);
  {
    Savepoint sp(db);
    CHECK_FALSE(db.autocommit());
    insert(db, "new");
    sp.release();
  }
  CHECK(db.autocommit());
  Database reopened = Database::open(dir.file("a.db"));
  CHECK(dump(reopened) == "kept=1;new=1;");
}
