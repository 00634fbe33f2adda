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

TEST_CASE("op applier: a follow-up sees every answer and its ops commit with the batch") {
  StoreFixture f;
  std::vector<OpResult> seen;
  OpResult follow;
  auto results = f.applier.apply_batch(
      {case_create_op()}, nullptr, "2026-11-26T08:00:00Z", Author::device,
      [&](const std::vector<Op>& ops, const std::vector<OpResult>& answers) {
        CHECK(ops.size() == 1);
        seen = answers;
        follow = f.applier.apply_within(case_update({{"title", "Set by follow-up"}}, "d2", 3000),
                                        "2026-11-26T08:00:00Z", Author::device);
      });
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].status == OpStatus::accepted);
  CHECK(follow.status == OpStatus::accepted);
  CHECK(follow.seq > results[0].seq);
  CHECK(f.applier.rows().find("case", kCase)->values["title"] == "Set by follow-up");
}

TEST_CASE("op applier: a follow-up that throws rolls the whole batch back") {
  StoreFixture f;
  const std::string before = dump_database(f.db);
  CHECK_THROWS_AS(
      f.applier.apply_batch({case_create_op()}, nullptr, "2026-11-26T08:00:00Z", Author::device,
                            [&](const std::vector<Op>&, const std::vector<OpResult>&) {
                              throw Error(ErrorDomain::storage, "io", "disk gone");
                            }),
      Error);
  CHECK(dump_database(f.db) == before);
}

TEST_CASE("op applier: apply_within outside a transaction is refused") {
  StoreFixture f;
  CHECK_THROWS_AS(f.applier.apply_within(case_create_op(), "2026-11-26T08:00:00Z", Author::device),
                  Error);
}
