#include <doctest/doctest.h>

#include "fieldsync/sqlite/embedded_schema.h"
#include "fieldsync/sqlite/entity_tables.h"
#include "store_fixture.h"
#include "test_support.h"

using namespace fieldsync;
using namespace fieldsync::sqlite;
using namespace fieldsync::sqlite::testing;

namespace {
std::string schema_text(Database& db) {
  std::string out;
  Statement st = db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name");
  while (st.step())
    out += st.column_text(0) + " " + st.column_text(1) + " " + st.column_text(2) + "\n";
  return out;
}

Json model_doc() {
  return Json::parse(embedded_model_json());
}
}  // namespace

TEST_CASE("entity tables: one table per entity, a column per field, indexes for sync") {
  TempDir dir;
  Database db = open_store(dir.file("s.db"), real_model());
  for (const auto& e : real_model().entities()) {
    CAPTURE(e.name);
    CHECK(table_exists(db, table_name(e)));
    for (const FieldDef* f : column_fields(e)) {
      CAPTURE(f->name);
      Statement st = db.prepare("SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
      st.bind(1, table_name(e));
      st.bind(2, f->name);
      CHECK(st.step());
    }
  }
  CHECK(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'entity_case_in_unit'") ==
        1);
  // No index holds `version`, which every write changes (versions are read in change_index).
  CHECK(query_int(
            db,
            "SELECT count(*) FROM sqlite_master m, pragma_index_info(m.name) i"
            " WHERE m.type = 'index' AND m.tbl_name LIKE 'entity_%' AND i.name = 'version'") == 0);
  CHECK(query_int(
            db, "SELECT count(*) FROM sqlite_master WHERE name = 'entity_visit_by_case_id'") == 1);
  CHECK(table_exists(db, "op_log"));
  CHECK(table_exists(db, "scope_exits"));
}

TEST_CASE(
    "entity tables: a store from before 2026-11-26 loses its version indexes, keeps its rows") {
  TempDir dir;
  {
    Database db = open_store(dir.file("s.db"), real_model());
    db.exec(
        "INSERT INTO entity_unit (id, unit_id, version, name, kind) VALUES ('u', 'u', 1, 'Team 3', "
        "'team');"
        "DROP INDEX entity_case_in_unit;"
        "CREATE INDEX entity_case_by_unit ON entity_case (unit_id, version);"
        "CREATE INDEX entity_case_by_version ON entity_case (version);");
  }
  Database db = open_store(dir.file("s.db"), real_model());
  CHECK(query_int(db,
                  "SELECT count(*) FROM sqlite_master WHERE name IN"
                  " ('entity_case_by_unit', 'entity_case_by_version')") == 0);
  CHECK(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'entity_case_in_unit'") ==
        1);
  CHECK(query_text(db, "SELECT name FROM entity_unit WHERE id = 'u'") == "Team 3");
}

TEST_CASE("entity tables: running the migrations again is harmless") {
  TempDir dir;
  std::string before;
  {
    Database db = open_store(dir.file("s.db"), real_model());
    db.exec(
        "INSERT INTO entity_unit (id, unit_id, version, name, kind) VALUES ('u', 'u', 1, 'Team 3', "
        "'team')");
    before = dump_database(db) + schema_text(db);
  }
  Database db = open_store(dir.file("s.db"), real_model());
  ensure_entity_tables(db, real_model());
  CHECK(dump_database(db) + schema_text(db) == before);
}

TEST_CASE("entity tables: a newer model adds columns and keeps the rows") {
  TempDir dir;
  {
    Database db = open_store(dir.file("s.db"), real_model());
    db.exec(
        "INSERT INTO entity_unit (id, unit_id, version, name, kind) VALUES ('u', 'u', 1, 'Team 3', "
        "'team')");
  }
  Json doc = model_doc();
  doc["schema_version"] = doc["schema_version"].get<int>() + 1;
  doc["entities"]["unit"]["fields"]["phone"] = {{"type", "string"}, {"policy", "lww"}};
  Model newer = Model::from_json(doc);
  Database db = open_store(dir.file("s.db"), newer);
  CHECK(query_text(db, "SELECT name FROM entity_unit WHERE id = 'u'") == "Team 3");
  CHECK(query_int(
            db, "SELECT count(*) FROM pragma_table_info('entity_unit') WHERE name = 'phone'") == 1);

  // Going back to the older model is refused: it would not know the new column.
  auto e = thrown_error([&] { ensure_entity_tables(db, real_model()); });
  REQUIRE(e);
  CHECK(e->code() == "model_too_old");
}

TEST_CASE("entity tables: retyping a stored field is refused and changes nothing") {
  TempDir dir;
  Database db = open_store(dir.file("s.db"), real_model());
  const std::string before = schema_text(db);
  Json doc = model_doc();
  doc["entities"]["case"]["fields"]["headcount"]["type"] = "string";
  doc["entities"]["case"]["fields"]["headcount"].erase("min");
  doc["entities"]["case"]["fields"]["headcount"].erase("max");
  auto e = thrown_error([&] { ensure_entity_tables(db, Model::from_json(doc)); });
  REQUIRE(e);
  CHECK(e->code() == "model_not_additive");
  CHECK(e->message().find("case.headcount") != std::string::npos);
  CHECK(schema_text(db) == before);
}
