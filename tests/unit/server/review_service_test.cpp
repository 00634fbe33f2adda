// The reviewer's list and metrics over a real store, with the server's clock in the test's
// hands: scope, filters, paging, parameter refusals.
#include <doctest/doctest.h>

#include "fieldsync/core/error.h"
#include "review_fixture.h"

using namespace fieldsync;
using namespace fieldsync::server;
using namespace fieldsync::server::testing;

TEST_CASE(
    "review: a unit's reviewer lists only cases of their subtree; another unit is not "
    "found") {
  ReviewFixture f;
  const auto a = f.leader_a();
  const auto b = f.leader_b();
  f.push(a, {f.case_at(a, kCase1, kUnitA, "2026-11-20T09:00:00Z"),
             f.case_at(a, kCase2, kTeamA1, "2026-11-21T09:00:00Z")});
  f.push(b, {f.case_at(b, kCaseB, kUnitB, "2026-11-22T09:00:00Z")});
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(sorted(f.list(a, {})) == sorted({kCase1, kCase2}));
  CHECK(f.list(b, {}) == std::vector<std::string>{kCaseB});
  CHECK(f.list(f.office(), {}).size() == 3);
  CHECK(f.list(f.office(), {{"unit", kTeamA1}}) == std::vector<std::string>{kCase2});
  CHECK(f.list(f.office(), {{"unit", kUnitB}}) == std::vector<std::string>{kCaseB});
  // Unit B from unit A's leader: exactly like a unit that does not exist.
  CHECK(code_of([&] { f.list(a, {{"unit", kUnitB}}); }) == "unknown_unit");
  CHECK(code_of([&] { f.list(a, {{"unit", test_id("nowhere")}}); }) == "unknown_unit");
  CHECK(code_of([&] {
          f.review.metrics(a, {{"unit", kUnitB}, {"from", "2026-11-01"}, {"to", "2026-11-30"}});
        }) == "unknown_unit");

  // Pages of one, by id, until the end.
  std::vector<std::string> seen;
  std::string after;
  for (int page = 0; page < 10; ++page) {
    Json r = f.review.list_cases(f.office(), {{"limit", "1"}, {"after", after}});
    for (const auto& id : f.ids(r)) seen.push_back(id);
    after = r["after"].get<std::string>();
    if (!r["more"].get<bool>()) break;
  }
  CHECK(seen == sorted({kCase1, kCase2, kCaseB}));
}

TEST_CASE("review: status, leader, overdue, late and missing reports and open conflicts filter") {
  ReviewFixture f;
  const auto a = f.leader_a();
  const std::string leader = test_id("user-some-leader");
  // Case 1: collective (5 people), received 3 hours ago, no report: missing its report.
  // Case 2: a late report linked (known 3 hours before it reached the office), a leader, a
  //         commitment due yesterday (overdue).
  // Case 3: a commitment due today (not overdue), a feedback date tomorrow.
  f.push(a,
         {f.case_at(a, kCase1, kUnitA, "2026-11-26T09:00:00Z",
                    {{"headcount", 5}, {"kind_flags", {{"add", {"collective"}}}}}),
          f.case_at(a, kCase2, kUnitA, "2026-11-26T08:00:00Z", {{"responsible_leader_id", leader}}),
          f.case_at(a, kCase3, kUnitA, "2026-11-26T08:00:00Z", {{"feedback_due", "2026-11-27"}}),
          f.report(a, test_id("r-late"), kUnitA, kCase2, "2026-11-26T09:00:00Z"),
          f.op(a, OpKind::create, "commitment", test_id("k-late"),
               {{"case_id", kCase2},
                {"who", "Wang"},
                {"how", "visit again"},
                {"due_date", "2026-11-25"},
                {"status", "open"}}),
          f.op(a, OpKind::create, "commitment", test_id("k-today"),
               {{"case_id", kCase3},
                {"who", "Wang"},
                {"how", "call"},
                {"due_date", "2026-11-26"},
                {"status", "open"}})});
  const Row case1 = f.row("case", kCase1);
  // Two devices set different leaders on case 3 concurrently: a conflict opens.
  const Row case3 = f.row("case", kCase3);
  Access other = SyncFixture::caller("leader-a2", Role::field_leader, {kUnitA, kTeamA1});
  f.push(a, {f.op(a, OpKind::update, "case", kCase3,
                  {{"responsible_leader_id", test_id("user-one")}}, case3.version)});
  f.push(other, {f.op(other, OpKind::update, "case", kCase3,
                      {{"responsible_leader_id", test_id("user-another")}}, case3.version)});

  CHECK(f.list(a, {{"status", "received"}}).size() == 3);
  CHECK(f.list(a, {{"status", "closed"}}).empty());
  CHECK(f.list(a, {{"leader", leader}}) == std::vector<std::string>{kCase2});
  CHECK(f.list(a, {{"overdue", "true"}}) == std::vector<std::string>{kCase2});
  CHECK(f.list(a, {{"late_report", "1"}}) == std::vector<std::string>{kCase2});
  CHECK(f.list(a, {{"missing_report", "true"}}) == std::vector<std::string>{kCase1});
  CHECK(f.list(a, {{"collective", "true"}}) == std::vector<std::string>{kCase1});
  CHECK(f.list(a, {{"conflicts_open", "true"}}) == std::vector<std::string>{kCase3});
  CHECK(f.list(a, {{"overdue", "false"}}).size() == 3);
  // Combined: AND.
  CHECK(f.list(a, {{"overdue", "true"}, {"late_report", "true"}}) ==
        std::vector<std::string>{kCase2});
  CHECK(f.list(a, {{"overdue", "true"}, {"missing_report", "true"}}).empty());

  // What each listed case says about itself.
  Json page = f.review.list_cases(a, {{"overdue", "true"}});
  CHECK(page["today"] == "2026-11-26");
  CHECK(page["cases"][0]["overdue_commitments"] == 1);
  CHECK(page["cases"][0]["late_reports"] == 1);
  CHECK(page["cases"][0]["responsible_leader_id"] == leader);

  // A day later the commitment due today is overdue too, and so is case 3's feedback date.
  f.wall.advance(domain::kMsPerDay);
  auto overdue = f.list(a, {{"overdue", "true"}});
  std::sort(overdue.begin(), overdue.end());
  std::vector<std::string> expected = {kCase2, kCase3};
  std::sort(expected.begin(), expected.end());
  CHECK(overdue == expected);
  (void)case1;
}

TEST_CASE("review: bad parameters are refused with a precise code") {
  ReviewFixture f;
  const auto a = f.leader_a();
  CHECK(code_of([&] { f.list(a, {{"colour", "red"}}); }) == "unknown_parameter");
  CHECK(code_of([&] { f.list(a, {{"status", "done"}}); }) == "bad_status");
  CHECK(code_of([&] { f.list(a, {{"overdue", "yes"}}); }) == "bad_flag");
  CHECK(code_of([&] { f.list(a, {{"leader", "bob"}}); }) == "bad_leader");
  CHECK(code_of([&] { f.list(a, {{"limit", "0"}}); }) == "bad_limit");
  CHECK(code_of([&] { f.list(a, {{"limit", "501"}}); }) == "bad_limit");
  CHECK(code_of([&] { f.list(a, {{"limit", "ten"}}); }) == "bad_limit");
  CHECK(code_of([&] { f.list(a, {{"after", "x"}}); }) == "bad_after");
  auto metrics = [&](std::map<std::string, std::string> q) {
    return code_of([&] { f.review.metrics(a, q); });
  };
  CHECK(metrics({{"from", "2026-11-01"}}) == "bad_date");
  CHECK(metrics({{"from", "2026-11-31"}, {"to", "2026-12-01"}}) == "bad_date");
  CHECK(metrics({{"from", "2026-12-01"}, {"to", "2026-11-01"}}) == "bad_period");
  CHECK(metrics({{"from", "2000-01-01"}, {"to", "2026-11-01"}}) == "bad_period");
  CHECK(metrics({{"from", "2026-11-01"}, {"to", "2026-11-30"}, {"x", "1"}}) == "unknown_parameter");
  CHECK(metrics({{"from", "2026-11-01"}, {"to", "2026-11-30"}}) == "no error");
}

TEST_CASE("review: the metrics document of a subtree, by child unit") {
  ReviewFixture f;
  const auto a = f.leader_a();
  f.push(a, {f.case_at(a, kCase1, kUnitA, "2026-11-20T09:00:00Z",
                       {{"headcount", 6}, {"kind_flags", {{"add", {"collective"}}}}}),
             f.case_at(a, kCase2, kTeamA1, "2026-11-21T09:00:00Z")});
  Json doc = f.review.metrics(f.office(), {{"from", "2026-11-01"}, {"to", "2026-11-30"}});
  CHECK(doc["unit"]["id"] == kPlant);
  CHECK(doc["total"]["cases"] == 2);
  CHECK(doc["total"]["figures"]["collective"]["numerator"] == 1);
  CHECK(doc["total"]["figures"]["collective"]["denominator"] == 2);
  CHECK(doc["total"]["figures"]["collective"]["rate"] == 0.5);
  CHECK(doc["total"]["figures"]["stop_petition"]["rate"].is_null());
  // The collective case's report was due at 11:00 and never came.
  CHECK(doc["total"]["figures"]["missing_reports"]["numerator"] == 1);
  REQUIRE(doc["children"].size() == 3);  // the plant's own, Unit A (with Team A1), Unit B
  CHECK(doc["children"][0]["own"] == true);
  CHECK(doc["children"][1]["name"] == "Unit A");
  CHECK(doc["children"][1]["cases"] == 2);
  CHECK(doc["children"][2]["cases"] == 0);
  CHECK(doc["urgent_report_threshold_minutes"] == 120);
}
