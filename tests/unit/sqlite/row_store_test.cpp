#include <doctest/doctest.h>

#include "store_fixture.h"
#include "test_support.h"

using namespace fieldsync;
using namespace fieldsync::sqlite;
using namespace fieldsync::sqlite::testing;
using fieldsync::testing::kCase;
using fieldsync::testing::kOtherUnit;
using fieldsync::testing::kUnit;
using fieldsync::testing::store_with_case;
using fieldsync::testing::test_id;

TEST_CASE("row store: a row reads back exactly as it was written") {
  // A row with a set, an append list, a counter, a cleared field and a newer model's field.
  auto memory = store_with_case();
  Op op = fieldsync::testing::case_update(
      {{"follow_up_contacts", 2}, {"feedback_due", nullptr}, {"survey", "yes"}}, "d1", 2000);
  op.schema_version = 2;
  memory.apply(op);
  const Row row = memory.row("case", kCase);
  REQUIRE(row.values.contains("feedback_due"));

  TempDir dir;
  Database db = open_store(dir.file("s.db"), real_model());
  RowStore store(db, real_model());
  store.put(row);
  auto back = store.find("case", kCase);
  REQUIRE(back);
  CHECK(row_to_json(*back) == row_to_json(row));
  CHECK_FALSE(store.find("case", test_id("nothing")).has_value());
  CHECK(query_int(db, "SELECT version FROM change_index WHERE entity = 'case'") == row.version);
}

TEST_CASE("row store: a row that changes unit leaves a scope exit for the old unit") {
  TempDir dir;
  Database db = open_store(dir.file("s.db"), real_model());
  RowStore store(db, real_model());
  Row row = store_with_case().row("case", kCase);
  store.put(row);
  CHECK(query_int(db, "SELECT count(*) FROM scope_exits") == 0);
  row.unit_id = kOtherUnit;
  row.values["unit_id"] = kOtherUnit;
  row.version = 7;
  store.put(row);
  Statement st =
      db.prepare("SELECT entity, row_id, old_unit_id, new_unit_id, version FROM scope_exits");
  REQUIRE(st.step());
  CHECK(st.column_text(0) == "case");
  CHECK(st.column_text(1) == kCase);
  CHECK(st.column_text(2) == kUnit);
  CHECK(st.column_text(3) == kOtherUnit);
  CHECK(st.column_int64(4) == 7);
  CHECK(query_text(db, "SELECT unit_id FROM change_index") == kOtherUnit);
}

TEST_CASE("row store: an unknown entity is refused") {
  TempDir dir;
  Database db = open_store(dir.file("s.db"), real_model());
  RowStore store(db, real_model());
  auto e = thrown_error([&] { store.find("parcel", "x"); });
  REQUIRE(e);
  CHECK(e->code() == "unknown_entity");
}
