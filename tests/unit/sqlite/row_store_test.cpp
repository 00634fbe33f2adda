#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "fieldsync/sqlite/transaction.h"
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

namespace {
int collect_sql(unsigned, void* context, void* statement, void*) {
  if (const char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(statement))) {
    static_cast<std::vector<std::string>*>(context)->push_back(sql);
    sqlite3_free(const_cast<char*>(sql));
  }
  return 0;
}
}  // namespace

TEST_CASE("row store: in a batch, an update names only the indexed columns that change") {
  // SQLite rewrites the index entry of every column an UPDATE's SET names, changed or not; a
  // batch knows the stored row, so it leaves unchanged references and the unit out.
  TempDir dir;
  Database db = open_store(dir.file("s.db"), real_model());
  RowStore store(db, real_model());
  Row row = store_with_case().row("case", kCase);
  row.values["responsible_leader_id"] = test_id("leader-1");
  row.created_by = "creator";
  std::vector<std::string> statements;
  {
    Transaction tx(db);
    store.keep_batch_rows(true);
    REQUIRE_FALSE(store.find("case", kCase).has_value());
    store.put(row);  // known to be new: a plain insert

    sqlite3_trace_v2(db.handle(), SQLITE_TRACE_STMT, collect_sql, &statements);
    row.values["title"] = "Retitled";
    row.version += 1;
    store.put(row);  // the title changes, no reference and not the unit
    row.values["responsible_leader_id"] = test_id("leader-2");
    row.unit_id = kOtherUnit;
    row.values["unit_id"] = kOtherUnit;
    row.created_by = "someone else";  // written once, by the insert
    row.version += 1;
    store.put(row);  // a reference and the unit change
    sqlite3_trace_v2(db.handle(), 0, nullptr, nullptr);
    store.keep_batch_rows(false);
    tx.commit();
  }
  std::vector<std::string> updates;
  for (const std::string& sql : statements)
    if (sql.rfind("UPDATE entity_case", 0) == 0) updates.push_back(sql);
  REQUIRE(updates.size() == 2);
  CHECK(updates[0].find("\"responsible_leader_id\" =") == std::string::npos);
  CHECK(updates[0].find("unit_id =") == std::string::npos);
  CHECK(updates[0].find("'Retitled'") != std::string::npos);
  CHECK(updates[1].find("\"responsible_leader_id\" = '" + test_id("leader-2") + "'") !=
        std::string::npos);
  CHECK(updates[1].find("unit_id = '" + std::string(kOtherUnit) + "'") != std::string::npos);

  // Read without the batch's memory: the row as last written, indexes agreeing with it.
  RowStore fresh(db, real_model());
  auto back = fresh.find("case", kCase);
  REQUIRE(back);
  row.created_by = "creator";
  CHECK(row_to_json(*back) == row_to_json(row));
  CHECK(query_text(db, "PRAGMA integrity_check") == "ok");
  CHECK(query_text(db,
                   "SELECT id FROM entity_case INDEXED BY entity_case_by_responsible_leader_id"
                   " WHERE responsible_leader_id = '" +
                       test_id("leader-2") + "'") == kCase);
  CHECK(query_int(db,
                  "SELECT count(*) FROM entity_case INDEXED BY entity_case_in_unit"
                  " WHERE unit_id = '" +
                      std::string(kUnit) + "'") == 0);
  CHECK(query_int(db, "SELECT count(*) FROM scope_exits") == 1);
}

TEST_CASE("row store: a tablet's replica keeps no change index and no scope exits") {
  TempDir dir;
  Database db = open_store(dir.file("s.db"), real_model());
  RowStore store(db, real_model(), ChangeTracking::none);
  Row row = store_with_case().row("case", kCase);
  store.put(row);
  row.unit_id = kOtherUnit;
  row.values["unit_id"] = kOtherUnit;
  row.version = 7;
  store.put(row);
  auto back = store.find("case", kCase);
  REQUIRE(back);
  CHECK(row_to_json(*back) == row_to_json(row));
  CHECK(query_int(db, "SELECT count(*) FROM change_index") == 0);
  CHECK(query_int(db, "SELECT count(*) FROM scope_exits") == 0);
}
