// How a batch uses its transaction: rows it wrote are read back within it (RowStore keeps
// them while the batch runs), sequence numbers are counted without gaps or reuse, an op the
// merge refuses takes its seq but writes nothing, and a failed batch leaves nothing behind,
// neither in the store nor in memory.
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
using fieldsync::testing::kUnit;
using fieldsync::testing::make_op;
using fieldsync::testing::test_id;

namespace {

Op petitioner_on(const std::string& case_id, const std::string& name, std::int64_t ms) {
  return make_op(OpKind::create, "petitioner", test_id("pet-" + name),
                 {{"case_id", case_id}, {"name", name}, {"phone", "13800000000"}}, "d1", ms);
}

std::vector<std::int64_t> logged_seqs(Database& db) {
  std::vector<std::int64_t> seqs;
  Statement st = db.prepare("SELECT seq FROM op_log ORDER BY seq");
  while (st.step()) seqs.push_back(st.column_int64(0));
  return seqs;
}

}  // namespace

TEST_CASE("op applier batch: rows written earlier in the batch are read back by later ops") {
  StoreFixture f;
  const std::string ghost = test_id("no-such-case");
  auto results =
      f.apply({case_create_op(), petitioner_on(kCase, "Li", 1500),
               petitioner_on(ghost, "Zhao", 1600), case_update({{"title", "Roof"}}, "d1", 2000)});
  REQUIRE(results.size() == 4);
  CHECK(results[0].status == OpStatus::accepted);
  CHECK(results[1].status == OpStatus::accepted);
  // The merge refuses a petitioner of a case that does not exist: logged, nothing written.
  CHECK(results[2].status == OpStatus::rejected);
  REQUIRE(!results[2].problems.empty());
  CHECK(results[2].problems[0].code == "unknown_parent");
  CHECK(results[3].status == OpStatus::accepted);

  // The petitioner took its unit from the case created two ops before, in the same batch.
  CHECK(f.applier.rows().find("petitioner", test_id("pet-Li")).value().unit_id == kUnit);
  CHECK_FALSE(f.applier.rows().find("petitioner", test_id("pet-Zhao")).has_value());
  const Row the_case = f.applier.rows().find("case", kCase).value();
  CHECK(the_case.values["title"] == "Roof");
  CHECK(the_case.version == results[3].seq);
  CHECK(query_int(f.db, "SELECT count(*) FROM change_index") == 2);

  // One op_log row per op, seqs 1..4 in order; the refused op has its seq but no seq answer.
  CHECK(logged_seqs(f.db) == std::vector<std::int64_t>{1, 2, 3, 4});
  CHECK(results[0].seq == 1);
  CHECK(results[1].seq == 2);
  CHECK(results[2].seq == 0);
  CHECK(query_text(f.db, "SELECT outcome FROM op_log WHERE seq = 3") == "rejected");
  CHECK(query_text(f.db, "SELECT outcome FROM op_log WHERE seq = 4") == "accepted");
}

TEST_CASE("op applier batch: a failed batch leaves no row in memory and no seq used") {
  StoreFixture f;
  f.apply(case_create_op());
  f.db.exec(
      "CREATE TEMP TRIGGER fail_write BEFORE INSERT ON entity_petitioner"
      " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  // The title is written, then the petitioner's write fails: the whole batch rolls back.
  CHECK_THROWS_AS(
      f.apply({case_update({{"title", "lost"}}, "d1", 2000), petitioner_on(kCase, "Wang", 2100)}),
      Error);
  f.db.exec("DROP TRIGGER fail_write");
  CHECK(f.applier.rows().find("case", kCase).value().values.value("title", "") != "lost");

  // The next batch reads the stored row, not the failed batch's, and numbers on from seq 1.
  auto results = f.apply(std::vector<Op>{case_update({{"summary", "after"}}, "d1", 3000)});
  REQUIRE(results.at(0).status == OpStatus::accepted);
  CHECK(results[0].seq == 2);
  const Row the_case = f.applier.rows().find("case", kCase).value();
  CHECK(the_case.values.value("title", "") != "lost");
  CHECK(the_case.values["summary"] == "after");
  CHECK(logged_seqs(f.db) == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("op applier batch: a seq is never reused, even after the last op_log row is gone") {
  StoreFixture f;
  f.apply({case_create_op(), case_update({{"title", "one"}}, "d1", 2000)});
  // AUTOINCREMENT remembers 2 although no row holds it any more (as after pruning the log).
  f.db.exec("DELETE FROM op_log WHERE seq = 2");
  const OpResult next = f.apply(case_update({{"title", "two"}}, "d1", 3000));
  CHECK(next.seq == 3);
  CHECK(f.applier.rows().find("case", kCase).value().version == 3);
}
