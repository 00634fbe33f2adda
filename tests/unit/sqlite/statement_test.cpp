#include "fieldsync/sqlite/statement.h"

#include <doctest/doctest.h>

#include <limits>

#include "fieldsync/sqlite/database.h"
#include "temp_dir.h"
#include "test_support.h"

using namespace fieldsync;
using namespace fieldsync::sqlite;
using namespace fieldsync::sqlite::testing;

namespace {

// A database with one table of one untyped column, so values keep their bound type.
Database values_db(const TempDir& dir) {
  Database db = Database::open(dir.file("a.db"));
  db.exec("CREATE TABLE v(x)");
  return db;
}

// Stores what `bind` binds at parameter 1 and reads it back with `read`.
template <typename Bind, typename Read>
auto round_trip(Database& db, Bind bind, Read read) {
  db.exec("DELETE FROM v");
  Statement insert = db.prepare("INSERT INTO v(x) VALUES (?)");
  bind(insert);
  insert.run();
  Statement select = db.prepare("SELECT x, typeof(x) FROM v");
  REQUIRE(select.step());
  return read(select);
}

std::string stored_type(Database& db) {
  return query_text(db, "SELECT typeof(x) FROM v");
}

}  // namespace

TEST_CASE("integers bind and read back exactly, bool and small ints included") {
  TempDir dir;
  Database db = values_db(dir);
  for (std::int64_t value :
       {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1} << 40,
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    CAPTURE(value);
    CHECK(round_trip(
              db, [&](Statement& s) { s.bind(1, value); },
              [](Statement& s) { return s.column_int64(0); }) == value);
    CHECK(stored_type(db) == "integer");
  }
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, 7); },
            [](Statement& s) { return s.column_int64(0); }) == 7);
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, true); },
            [](Statement& s) { return s.column_int64(0); }) == 1);
}

TEST_CASE("doubles bind and read back exactly") {
  TempDir dir;
  Database db = values_db(dir);
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, 0.1); },
            [](Statement& s) { return s.column_double(0); }) == 0.1);
  CHECK(stored_type(db) == "real");
}

TEST_CASE("text binds as text, with embedded NUL, UTF-8 and empty text kept") {
  TempDir dir;
  Database db = values_db(dir);
  const std::string with_nul("a\0b", 3);
  for (const std::string& text : {with_nul, std::string("信访 visit"), std::string()}) {
    CHECK(round_trip(
              db, [&](Statement& s) { s.bind(1, std::string_view(text)); },
              [](Statement& s) { return s.column_text(0); }) == text);
    CHECK(stored_type(db) == "text");  // empty text is '' and not NULL
  }
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, "literal"); },
            [](Statement& s) { return s.column_text(0); }) == "literal");
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, std::string("owned")); },
            [](Statement& s) { return s.column_text(0); }) == "owned");
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, std::string_view()); },
            [](Statement& s) { return s.is_null(0); }) == false);
}

TEST_CASE("blobs bind as blobs, an empty blob is not NULL") {
  TempDir dir;
  Database db = values_db(dir);
  const std::vector<std::uint8_t> bytes{0, 1, 2, 255};
  CHECK(round_trip(
            db, [&](Statement& s) { s.bind(1, bytes); },
            [](Statement& s) { return s.column_blob(0); }) == bytes);
  CHECK(stored_type(db) == "blob");
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, std::vector<std::uint8_t>{}); },
            [](Statement& s) { return s.column_blob(0); })
            .empty());
  CHECK(stored_type(db) == "blob");
}

TEST_CASE("null and empty optionals bind NULL; engaged optionals bind their value") {
  TempDir dir;
  Database db = values_db(dir);
  round_trip(
      db, [](Statement& s) { s.bind(1, nullptr); }, [](Statement&) { return 0; });
  CHECK(stored_type(db) == "null");

  const auto read_text = [](Statement& s) { return s.column_optional_text(0); };
  const auto read_int = [](Statement& s) { return s.column_optional_int64(0); };
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, std::optional<std::string>()); }, read_text) ==
        std::nullopt);
  CHECK(stored_type(db) == "null");
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, std::optional<std::string>("x")); }, read_text) ==
        "x");
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, std::optional<std::int64_t>()); }, read_int) ==
        std::nullopt);
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, std::optional<int>(3)); }, read_int) == 3);
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, std::optional<double>(2.5)); },
            [](Statement& s) { return s.column_double(0); }) == 2.5);
  CHECK(round_trip(
      db, [](Statement& s) { s.bind(1, std::nullopt); },
      [](Statement& s) { return s.is_null(0); }));
  // NULL read as plain text / int gives the empty value.
  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, nullptr); },
            [](Statement& s) { return s.column_text(0); }) == "");
}

TEST_CASE("json binds as its dump() text and reads back equal") {
  TempDir dir;
  Database db = values_db(dir);
  const nlohmann::json value = {{"status", "open"}, {"tags", {"a", "b"}}, {"n", 3}};
  CHECK(round_trip(
            db, [&](Statement& s) { s.bind(1, value); },
            [](Statement& s) { return s.column_json(0); }) == value);
  CHECK(stored_type(db) == "text");
  CHECK(query_text(db, "SELECT x FROM v") == value.dump());

  CHECK(round_trip(
            db, [](Statement& s) { s.bind(1, std::optional<nlohmann::json>()); },
            [](Statement& s) { return s.column_json(0); })
            .is_null());

  auto error = thrown_error([&] {
    round_trip(
        db, [](Statement& s) { s.bind(1, "{not json"); },
        [](Statement& s) { return s.column_json(0); });
  });
  REQUIRE(error);
  CHECK(error->domain() == ErrorDomain::storage);
  CHECK(error->code() == "bad_json");
}

TEST_CASE("parameters bind by name; an unknown name or index throws") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  Statement stmt = db.prepare("SELECT :a, :b");
  stmt.bind(":b", "two");
  stmt.bind(":a", 1);
  REQUIRE(stmt.step());
  CHECK(stmt.column_int64(0) == 1);
  CHECK(stmt.column_text(1) == "two");
  CHECK(stmt.column_name(1) == ":b");
  CHECK(stmt.column_count() == 2);

  stmt.reset();
  auto unknown = thrown_error([&] { stmt.bind(":c", 1); });
  REQUIRE(unknown);
  CHECK(unknown->domain() == ErrorDomain::storage);
  CHECK(unknown->code() == "sqlite_error");
  CHECK(unknown->message().find(":c") != std::string::npos);
  auto out_of_range = thrown_error([&] { stmt.bind(3, 1); });
  REQUIRE(out_of_range);
  CHECK(out_of_range->code() == "sqlite_error");
}

TEST_CASE("step reports rows then done; reset runs the statement again") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);");
  Statement stmt = db.prepare("SELECT x FROM t ORDER BY x");
  std::vector<std::int64_t> seen;
  while (stmt.step()) seen.push_back(stmt.column_int64(0));
  CHECK(seen == std::vector<std::int64_t>{1, 2});
  stmt.reset();
  REQUIRE(stmt.step());
  CHECK(stmt.column_int64(0) == 1);
  CHECK(stmt.sql() == "SELECT x FROM t ORDER BY x");
}

TEST_CASE("a statement bound again after a step starts over: no reset at the call site") {
  // The defect this closes: a cached INSERT bound and run in a loop (two petitioners with
  // phones) threw "cannot bind parameter 1" on its second turn, a 500 on every push.
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  db.exec("CREATE TABLE identity(key TEXT, petitioner TEXT)");
  const std::vector<std::pair<std::string, std::string>> people = {
      {"name:张伟|phone:13900000001", "p1"},
      {"id:110101199003077777", "p2"},
      {"name:李秀英|phone:13900000002", "p3"}};
  for (const auto& [key, petitioner] : people) {
    Statement& add = db.prepare_cached("INSERT INTO identity(key, petitioner) VALUES (?1, ?2)");
    add.bind(1, key);
    add.bind(2, petitioner);
    add.run();
  }
  Statement& add = db.prepare_cached("INSERT INTO identity(key, petitioner) VALUES (?1, ?2)");
  for (const auto& [key, petitioner] : people) {  // the same object, never reset by hand
    add.bind(1, key + "#2");
    add.bind(2, petitioner);
    add.run();
  }
  CHECK(query_text(db, "SELECT COUNT(*) FROM identity") == "6");

  // A read left half-way is started over by the next bind, with the new value.
  Statement& find =
      db.prepare_cached("SELECT petitioner FROM identity WHERE key >= ?1 ORDER BY key");
  find.bind(1, "id:");
  REQUIRE(find.step());
  CHECK(find.column_text(0) == "p2");
  find.bind(1, "name:李");
  REQUIRE(find.step());
  CHECK(find.column_text(0) == "p3");
  // Read to the end, then bound again: rows from the start.
  while (find.step()) {
  }
  find.bind(1, "id:");
  REQUIRE(find.step());
  CHECK(find.column_text(0) == "p2");
}

TEST_CASE("bad SQL throws sqlite_error naming the problem and the SQL") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  auto error = thrown_error([&] { db.prepare("SELEKT 1"); });
  REQUIRE(error);
  CHECK(error->domain() == ErrorDomain::storage);
  CHECK(error->code() == "sqlite_error");
  CHECK(error->message().find("syntax error") != std::string::npos);
  CHECK(error->message().find("SELEKT 1") != std::string::npos);
}

TEST_CASE("constraint violations throw constraint and leave the statement reusable") {
  TempDir dir;
  Database db = Database::open(dir.file("a.db"));
  db.exec(
      "CREATE TABLE parent(id INTEGER PRIMARY KEY);"
      "CREATE TABLE child(id TEXT PRIMARY KEY, name TEXT NOT NULL,"
      "  parent INTEGER REFERENCES parent(id));"
      "INSERT INTO parent VALUES (1);");
  Statement& insert = db.prepare_cached("INSERT INTO child(id, name, parent) VALUES (?, ?, ?)");

  const auto attempt = [&](std::string_view id, std::optional<std::string> name, int parent) {
    return thrown_error([&] {
      Statement& s = db.prepare_cached("INSERT INTO child(id, name, parent) VALUES (?, ?, ?)");
      s.bind(1, id);
      s.bind(2, name);
      s.bind(3, parent);
      s.run();
    });
  };
  CHECK_FALSE(attempt("a", "first", 1));
  for (auto error : {attempt("a", "duplicate", 1),   // UNIQUE / PRIMARY KEY
                     attempt("b", std::nullopt, 1),  // NOT NULL
                     attempt("c", "orphan", 99)}) {  // FOREIGN KEY: proves foreign_keys=ON
    REQUIRE(error);
    CHECK(error->domain() == ErrorDomain::storage);
    CHECK(error->code() == "constraint");
    CHECK(error->message().find("INSERT INTO child") != std::string::npos);
  }
  CHECK_FALSE(attempt("d", "after errors", 1));
  CHECK(query_int(db, "SELECT count(*) FROM child") == 2);
  CHECK(&insert == &db.prepare_cached("INSERT INTO child(id, name, parent) VALUES (?, ?, ?)"));
}
