#include <doctest/doctest.h>

#include "../core/fakes.h"
#include "store_fixture.h"
#include "test_support.h"

using namespace fieldsync;
using namespace fieldsync::sqlite;
using namespace fieldsync::sqlite::testing;
using fieldsync::testing::case_create_op;
using fieldsync::testing::case_update;
using fieldsync::testing::kCase;
using fieldsync::testing::kOtherUnit;
using fieldsync::testing::kUnit;
using fieldsync::testing::make_op;
using fieldsync::testing::test_id;

namespace {
Op petitioner_create(const std::string& name) {
  return make_op(OpKind::create, "petitioner", test_id("pet-" + name),
                 {{"case_id", kCase}, {"name", name}, {"phone", "13800000000"}}, "d1", 1500);
}

// Refuses every op, as the server refuses a row outside the author's units.
struct OutOfScope final : OpGate {
  std::vector<Problem> admit(const Op&, const std::optional<Row>&) override {
    return {{"id", "unknown_row", "no such row"}};
  }
};
}  // namespace

TEST_CASE("op applier: a batch is applied with increasing sequence numbers and field stamps") {
  StoreFixture f;
  auto results = f.apply(
      {case_create_op(), petitioner_create("Li"), case_update({{"title", "Roof"}}, "d1", 2000)});
  REQUIRE(results.size() == 3);
  for (const auto& r : results) CHECK(r.status == OpStatus::accepted);
  CHECK(results[0].seq < results[1].seq);
  CHECK(results[1].seq < results[2].seq);
  Row row = f.applier.rows().find("case", kCase).value();
  CHECK(row.values["title"] == "Roof");
  CHECK(row.version == results[2].seq);
  CHECK(row.stamps["title"]["ver"] == results[2].seq);
  CHECK(row.stamps["title"]["dev"] == test_id("d1"));
  CHECK(query_text(f.db, "SELECT \"title\" FROM entity_case") == "Roof");
  CHECK(query_int(f.db, "SELECT count(*) FROM op_log WHERE outcome = 'accepted'") == 3);
}

TEST_CASE("op applier: a resent op gets its first answer and is not applied twice") {
  StoreFixture f;
  f.apply(case_create_op());
  Op bump = case_update({{"follow_up_contacts", 1}}, "d1", 2000);
  OpResult first = f.apply(bump);
  const std::string before = dump_database(f.db);
  OpResult again = f.apply(bump);
  CHECK(again.status == OpStatus::duplicate);
  CHECK(again.first_status == OpStatus::accepted);
  CHECK(again.seq == first.seq);
  CHECK(dump_database(f.db) == before);

  Op reused = bump;
  reused.fields["follow_up_contacts"] = 5;
  OpResult refused = f.apply(reused);
  CHECK(refused.status == OpStatus::rejected);
  CHECK(refused.problems.at(0).code == "op_id_reused");
  CHECK(dump_database(f.db) == before);
}

TEST_CASE("op applier: an invalid op is rejected with its reasons and changes no row") {
  StoreFixture f;
  f.apply(case_create_op());
  const Row before = f.applier.rows().find("case", kCase).value();
  Op bad = case_update({{"status", "closed"}, {"headcount", 0}}, "d1", 2000);
  OpResult r = f.apply(bad);
  CHECK(r.status == OpStatus::rejected);
  CHECK(r.problems.size() == 2);
  CHECK(f.applier.rows().find("case", kCase).value() == before);
  // The answer is remembered: resending gets the same rejection.
  OpResult again = f.apply(bad);
  CHECK(again.status == OpStatus::duplicate);
  CHECK(again.first_status == OpStatus::rejected);
  CHECK(again.problems == r.problems);
}

TEST_CASE("op applier: an op the gate refuses changes nothing") {
  StoreFixture f;
  f.apply(case_create_op());
  const Row before = f.applier.rows().find("case", kCase).value();
  OutOfScope gate;
  OpResult r = f.apply(case_update({{"title", "x"}}, "d9", 2000), &gate);
  CHECK(r.status == OpStatus::rejected);
  CHECK(r.problems.at(0).code == "unknown_row");
  CHECK(f.applier.rows().find("case", kCase).value() == before);
  CHECK(query_int(f.db, "SELECT count(*) FROM change_index") == 1);
}

TEST_CASE("op applier: concurrent flag writes are answered with their conflict record") {
  StoreFixture f;
  f.apply(case_create_op());
  OpResult a = f.apply(case_update({{"handling_path", "counselling"}}, "d1", 2000));
  OpResult b = f.apply(case_update({{"handling_path", "by_law"}}, "d2", 2100));
  CHECK(a.status == OpStatus::accepted);
  CHECK(b.status == OpStatus::conflict);
  REQUIRE(b.conflict_ids.size() == 1);
  Row c = f.applier.rows().find("conflict", b.conflict_ids[0]).value();
  CHECK(c.unit_id == kUnit);
  CHECK(c.values["candidates"].size() == 2);
  CHECK(query_int(f.db, "SELECT count(*) FROM change_index WHERE entity = 'conflict'") == 1);
}

TEST_CASE("op applier: a batch that fails in storage leaves the database as before") {
  StoreFixture f;
  f.apply(case_create_op());
  const std::string before = dump_database(f.db);
  // A fault at the storage seam: the third op's write fails.
  f.db.exec(
      "CREATE TEMP TRIGGER fail_write BEFORE UPDATE ON entity_case"
      " WHEN NEW.\"title\" = 'disk full' BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  std::vector<Op> batch = {case_update({{"title", "first"}}, "d1", 2000), petitioner_create("Wang"),
                           case_update({{"title", "disk full"}}, "d1", 3000)};
  CHECK_THROWS_AS(f.apply(batch), Error);
  CHECK(dump_database(f.db) == before);
  // Nothing was remembered either: once the fault is gone the same batch goes through.
  f.db.exec("DROP TRIGGER fail_write");
  auto results = f.apply(batch);
  for (const auto& r : results) CHECK(r.status == OpStatus::accepted);
}

TEST_CASE("op applier: a stamp from far in the future is clamped and says so") {
  TempDir dir;
  Database db = open_store(dir.file("s.db"), real_model());
  fieldsync::testing::FakeClock wall(1'000'000);
  HlcClock clock(wall, 60'000);
  OpApplier applier(db, real_model(), &clock);
  Op create = case_create_op();
  create.hlc = Hlc{1'000'000 + 86'400'000, 0};  // a tablet one day ahead
  OpResult r = applier.apply_batch({create}, nullptr, "2026-11-26T08:00:00Z").at(0);
  CHECK(r.status == OpStatus::accepted);
  CHECK(r.hlc_clamped);
  Row row = applier.rows().find("case", kCase).value();
  CHECK(Hlc::parse(row.stamps["title"]["hlc"].get<std::string>())->wall_ms <= 1'000'000 + 60'000);
}

TEST_CASE("op applier: moving a case takes its petitioners and conflicts along") {
  StoreFixture f;
  f.apply({case_create_op(), petitioner_create("Zhao")});
  f.apply(case_update({{"handling_path", "counselling"}}, "d1", 2000));
  OpResult c = f.apply(case_update({{"handling_path", "by_law"}}, "d2", 2100));
  REQUIRE(c.status == OpStatus::conflict);
  OpResult move = f.apply(case_update({{"unit_id", kOtherUnit}}, "office", 5000, 4));
  REQUIRE(move.status == OpStatus::accepted);
  CHECK(f.applier.rows().find("petitioner", test_id("pet-Zhao"))->unit_id == kOtherUnit);
  CHECK(f.applier.rows().find("conflict", c.conflict_ids[0])->unit_id == kOtherUnit);
  CHECK(query_int(f.db, "SELECT count(*) FROM scope_exits WHERE old_unit_id = '" + kUnit + "'") ==
        3);
  CHECK(query_int(f.db, "SELECT count(*) FROM change_index WHERE unit_id = '" + kUnit + "'") == 0);
}

TEST_CASE("op applier: units are written by the server, never by a device") {
  StoreFixture f;
  Op unit = make_op(OpKind::create, "unit", test_id("team-7"),
                    {{"name", "Team 7"}, {"kind", "team"}}, "server", 1000);
  OpResult by_device = f.apply(unit);
  CHECK(by_device.status == OpStatus::rejected);
  CHECK(by_device.problems.at(0).code == "kind_not_allowed");
  unit.op_id = test_id("another-op-id");
  OpResult by_server =
      f.applier.apply_batch({unit}, nullptr, "2026-11-26T08:00:00Z", Author::server).at(0);
  CHECK(by_server.status == OpStatus::accepted);
  Row row = f.applier.rows().find("unit", test_id("team-7")).value();
  CHECK(row.unit_id == test_id("team-7"));
  CHECK(row.values["name"] == "Team 7");
}
