// The reviewer's case list and the metrics against the real fieldsync-server: a hand-built
// fixture of cases pushed over HTTP, its figures counted by hand (comments), read back through
// GET /v1/reports/metrics and `fieldsync-server report --json/--csv`, filters and scope of
// GET /v1/cases, and urgent reports stamped as they reach the office.
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "api_world.h"
#include "fieldsync/core/domain/calendar.h"
#include "fieldsync/server/sync_service.h"

namespace fieldsync::testing {
namespace {

// The fixture (period: 2026-10-01 to today, both included; threshold 120 minutes):
//   c1  Team A1, arose there, first-time, closed (satisfied)            received 2026-10-02
//   c2  Unit A, arose at Team A1, first-time, resolved, level "unit"    received 2026-10-03
//   c3  Unit B, collective (5 people), received, no urgent report       received 2026-10-04
//   c4  Unit B, skip-level (reached the bureau), resolved; its report r3 came today
//                                                                       received 2026-10-05
//   c5  Unit A, first-time, a second before the period                  received 2026-09-30
//   c6  Unit A, repeat of c2 (same ID number, same subject), in progress received 2026-10-10
//   r1  Unit A, known a minute ago: in time       r2  Unit A, known 3 hours ago: late
//   r3  Unit B, case c4, known 2026-10-05 08:00: late
//   k1  c6 open, due 2026-10-15 (overdue)   k2  c1 open, due today (not yet)
//   k3  c3 open, due 2026-10-20 (overdue)
struct Fixture {
  ApiWorld world{{kLeaderA, kLeaderB, kReviewerA, kOffice}, {"--urgent-report-threshold", "120"}};
  Device a = world.login("leader_a");
  Device b = world.login("leader_b");
  Device reviewer = world.login("reviewer_a");
  Device office = world.login("office");
  std::string c1 = world.new_id(), c2 = world.new_id(), c3 = world.new_id(), c4 = world.new_id(),
              c5 = world.new_id(), c6 = world.new_id();
  std::string r1 = world.new_id(), r2 = world.new_id(), r3 = world.new_id();
  std::string today;

  Fixture() {
    SystemClock clock;
    const std::int64_t now = clock.now_ms();
    today = domain::utc_date(now);
    const std::string team = world.unit_id("Plant/Unit A/Team A1");
    const std::string unit_a = world.unit_id("Plant/Unit A");
    const std::string unit_b = world.unit_id("Plant/Unit B");
    auto subjects = [](const char* s) { return json{{"add", {s}}}; };
    auto flags = [](const char* f) { return json{{"add", {f}}}; };
    std::vector<Op> ops_a = {
        world.create_case(a, c1, team,
                          {{"origin_unit_id", team},
                           {"received_at", "2026-10-02T09:00:00Z"},
                           {"kind_flags", flags("first_time")}}),
        world.create_case(a, c2, unit_a,
                          {{"origin_unit_id", team},
                           {"received_at", "2026-10-03T09:00:00Z"},
                           {"highest_level_reached", "unit"},
                           {"subjects", subjects("retiree_allowance")},
                           {"kind_flags", flags("first_time")}}),
        world.make_op(a, "petitioner", world.new_id(), OpKind::create,
                      {{"case_id", c2}, {"name", "Li Wei"}, {"id_number", "110101199001011234"}}),
        world.create_case(a, c5, unit_a,
                          {{"origin_unit_id", unit_a},
                           {"received_at", "2026-09-30T23:59:59Z"},
                           {"kind_flags", flags("first_time")}}),
        world.create_case(a, c6, unit_a,
                          {{"origin_unit_id", unit_a},
                           {"received_at", "2026-10-10T09:00:00Z"},
                           {"subjects", subjects("retiree_allowance")},
                           {"kind_flags", flags("repeat")}}),
        world.make_op(a, "petitioner", world.new_id(), OpKind::create,
                      {{"case_id", c6}, {"name", "li  wei"}, {"id_number", "110101-199001011234"}}),
        world.make_op(a, "commitment", world.new_id(), OpKind::create,
                      {{"case_id", c6},
                       {"who", "Wang"},
                       {"how", "check the allowance"},
                       {"due_date", "2026-10-15"},
                       {"status", "open"}}),
        world.make_op(a, "commitment", world.new_id(), OpKind::create,
                      {{"case_id", c1},
                       {"who", "Wang"},
                       {"how", "call back"},
                       {"due_date", today},
                       {"status", "open"}}),
        world.make_op(a, "case", c6, OpKind::update, {{"status", "in_progress"}}),
        world.make_op(a, "case", c1, OpKind::update,
                      {{"status", "resolved"}, {"handling_path", "solve_quickly"}}),
        world.make_op(a, "case", c1, OpKind::update,
                      {{"status", "closed"}, {"petitioner_satisfied", true}}),
        world.make_op(a, "case", c2, OpKind::update,
                      {{"status", "resolved"}, {"handling_path", "flexible_solution"}}),
        world.make_op(a, "urgent_report", r1, OpKind::create,
                      {{"unit_id", unit_a},
                       {"kind", "collective_visit"},
                       {"known_at", server::format_timestamp(now - 60 * 1000)},
                       {"summary", "a group at the gate"}}),
        world.make_op(a, "urgent_report", r2, OpKind::create,
                      {{"unit_id", unit_a},
                       {"kind", "coordinated_group"},
                       {"known_at", server::format_timestamp(now - 3 * 60 * 60 * 1000)},
                       {"summary", "retirees calling each other"}}),
    };
    std::vector<Op> ops_b = {
        world.create_case(b, c3, unit_b,
                          {{"origin_unit_id", unit_b},
                           {"received_at", "2026-10-04T09:00:00Z"},
                           {"headcount", 5},
                           {"kind_flags", flags("collective")}}),
        world.create_case(b, c4, unit_b,
                          {{"origin_unit_id", unit_b},
                           {"received_at", "2026-10-05T08:00:00Z"},
                           {"highest_level_reached", "bureau"},
                           {"kind_flags", flags("skip_level")}}),
        world.make_op(b, "case", c4, OpKind::update,
                      {{"status", "resolved"}, {"handling_path", "by_law"}}),
        world.make_op(b, "commitment", world.new_id(), OpKind::create,
                      {{"case_id", c3},
                       {"who", "Zhao"},
                       {"how", "meet the group"},
                       {"due_date", "2026-10-20"},
                       {"status", "open"}}),
        world.make_op(b, "urgent_report", r3, OpKind::create,
                      {{"unit_id", unit_b},
                       {"case_id", c4},
                       {"kind", "skip_level_bureau"},
                       {"known_at", "2026-10-05T08:00:00Z"},
                       {"summary", "went to the bureau"}}),
    };
    for (const json& r : world.push(a, ops_a)) CHECK_MESSAGE(r["status"] == "accepted", r.dump());
    for (const json& r : world.push(b, ops_b)) CHECK_MESSAGE(r["status"] == "accepted", r.dump());
  }

  json get(const Device& who, const std::string& path) {
    HttpResult r = world.http().get(world.url(path), ApiWorld::auth_json(who));
    INFO(path, " -> ", r.body);
    REQUIRE(r.status == 200);
    return r.json();
  }
  std::set<std::string> cases(const Device& who, const std::string& query) {
    std::set<std::string> ids;
    const json page = get(who, "/v1/cases?" + query);
    for (const json& c : page["cases"]) ids.insert(c["id"].get<std::string>());
    return ids;
  }
};

void check_ratio(const json& figures, const char* name, int numerator, int denominator) {
  INFO(name, ": ", figures[name].dump());
  CHECK(figures[name]["numerator"] == numerator);
  CHECK(figures[name]["denominator"] == denominator);
}

// Every figure of the fixture, total and by child unit, as docs/metrics.md defines them.
void check_fixture_figures(const json& doc) {
  const json& t = doc["total"]["figures"];
  CHECK(doc["total"]["cases"] == 5);                  // c1 c2 c3 c4 c6
  check_ratio(t, "first_petition_resolution", 2, 2);  // c1 c2, both handled
  check_ratio(t, "stop_petition", 1, 3);              // handled c1 c2 c4; closed c1
  check_ratio(t, "repeat", 1, 5);                     // c6
  check_ratio(t, "skip_level", 1, 5);                 // c4
  check_ratio(t, "collective", 1, 5);                 // c3
  check_ratio(t, "not_out_team", 1, 2);               // c1 solved in the team; c2 went up to Unit A
  check_ratio(t, "not_out_unit", 0, 1);               // c4 reached the bureau
  check_ratio(t, "not_out_department_system", 0, 0);
  check_ratio(t, "not_out_plant", 2, 3);        // c1 c2 of c1 c2 c4
  check_ratio(t, "late_reports", 2, 3);         // r2 r3 of r1 r2 r3
  check_ratio(t, "missing_reports", 2, 2);      // c3 (none), c4 (r3 months late)
  check_ratio(t, "overdue_commitments", 2, 3);  // k1 k3 of k1 k2 k3
  REQUIRE(doc["children"].size() == 3);
  CHECK(doc["children"][0]["own"] == true);
  CHECK(doc["children"][0]["cases"] == 0);
  const json& a = doc["children"][1];
  CHECK(a["name"] == "Unit A");
  CHECK(a["cases"] == 3);  // c1 (Team A1) c2 c6
  check_ratio(a["figures"], "stop_petition", 1, 2);
  check_ratio(a["figures"], "repeat", 1, 3);
  check_ratio(a["figures"], "not_out_team", 1, 2);
  check_ratio(a["figures"], "late_reports", 1, 2);
  check_ratio(a["figures"], "overdue_commitments", 1, 2);
  check_ratio(a["figures"], "missing_reports", 0, 0);
  const json& b = doc["children"][2];
  CHECK(b["name"] == "Unit B");
  CHECK(b["cases"] == 2);  // c3 c4
  check_ratio(b["figures"], "collective", 1, 2);
  check_ratio(b["figures"], "skip_level", 1, 2);
  check_ratio(b["figures"], "not_out_unit", 0, 1);
  check_ratio(b["figures"], "missing_reports", 2, 2);
  check_ratio(b["figures"], "late_reports", 1, 1);
  check_ratio(b["figures"], "overdue_commitments", 1, 1);
}

}  // namespace

TEST_CASE("review over HTTP: the metrics of the hand-built fixture, by API and by report CLI") {
  Fixture f;
  const json doc = f.get(f.office, "/v1/reports/metrics?from=2026-10-01&to=" + f.today);
  CHECK(doc["unit"]["name"] == "Plant");
  CHECK(doc["today"] == f.today);
  check_fixture_figures(doc);

  // The same figures from the command line, on the store the server is serving.
  const std::string data = f.world.server().data_dir().string();
  CommandResult json_out = run_server_command({"report", "--data", data, "--unit", "Plant",
                                               "--from", "2026-10-01", "--to", f.today, "--json"});
  INFO(json_out.err);
  REQUIRE(json_out.exit_status == 0);
  check_fixture_figures(json::parse(json_out.out));

  CommandResult csv = run_server_command({"report", "--data", data, "--unit", "Plant", "--from",
                                          "2026-10-01", "--to", f.today, "--csv"});
  REQUIRE(csv.exit_status == 0);
  std::istringstream lines(csv.out);
  std::string header, total, own, unit_a, unit_b, extra;
  std::getline(lines, header);
  std::getline(lines, total);
  std::getline(lines, own);
  std::getline(lines, unit_a);
  std::getline(lines, unit_b);
  CHECK_FALSE(std::getline(lines, extra));
  CHECK(header.rfind("unit_id,unit,own,cases,first_petition_resolution_numerator,"
                     "first_petition_resolution_denominator,stop_petition_numerator",
                     0) == 0);
  // total: 5 cases; first-petition 2/2; stop-petition 1/3; repeat 1/5 ...
  CHECK(total.rfind(",total,false,5,2,2,1,3,1,5,1,5,1,5,1,2,0,1,0,0,2,3,2,3,2,2,2,3", 0) == 0);
  CHECK(unit_b.find(",Unit B,false,2,") != std::string::npos);

  CommandResult table = run_server_command({"report", "--data", data, "--unit", "Plant/Unit A",
                                            "--from", "2026-10-01", "--to", f.today});
  REQUIRE(table.exit_status == 0);
  CHECK(table.out.find("Metrics of Unit A") != std::string::npos);
  CHECK(table.out.find("Team A1") != std::string::npos);
  CHECK(table.out.find("overdue_commitments") != std::string::npos);

  // Bad input: a usage error, and nothing printed on stdout.
  CommandResult bad = run_server_command(
      {"report", "--data", data, "--unit", "Plant", "--from", "2026-10-32", "--to", f.today});
  CHECK(bad.exit_status == 2);
  CHECK(bad.out.empty());
  CommandResult nowhere = run_server_command({"report", "--data", data, "--unit", "Plant/Unit Z",
                                              "--from", "2026-10-01", "--to", f.today});
  CHECK(nowhere.exit_status != 0);
  CHECK(nowhere.out.empty());
}

TEST_CASE("review over HTTP: filters, scope and paging of GET /v1/cases") {
  Fixture f;
  // A unit's reviewer sees their subtree only: never Unit B's c3 and c4.
  CHECK(f.cases(f.reviewer, "") == std::set<std::string>{f.c1, f.c2, f.c5, f.c6});
  CHECK(f.cases(f.reviewer, "status=resolved") == std::set<std::string>{f.c2});
  CHECK(f.cases(f.reviewer, "repeat=true") == std::set<std::string>{f.c6});
  CHECK(f.cases(f.reviewer, "overdue=true") == std::set<std::string>{f.c6});
  CHECK(f.cases(f.reviewer, "missing_report=true").empty());
  CHECK(f.cases(f.reviewer, "unit=" + f.world.unit_id("Plant/Unit A/Team A1")) ==
        std::set<std::string>{f.c1});
  // Unit B's id from Unit A is answered like a unit that does not exist.
  const Headers auth = ApiWorld::auth_json(f.reviewer);
  ApiWorld::check_error(
      f.world.http().get(f.world.url("/v1/cases?unit=" + f.world.unit_id("Plant/Unit B")), auth),
      404, "unknown_unit");
  ApiWorld::check_error(f.world.http().get(f.world.url("/v1/cases?unit=" + f.world.new_id()), auth),
                        404, "unknown_unit");
  ApiWorld::check_error(
      f.world.http().get(f.world.url("/v1/reports/metrics?unit=" + f.world.unit_id("Plant/Unit B") +
                                     "&from=2026-10-01&to=2026-10-31"),
                         auth),
      404, "unknown_unit");
  ApiWorld::check_error(f.world.http().get(f.world.url("/v1/cases?overdue=maybe"), auth), 400,
                        "bad_flag");
  ApiWorld::check_error(f.world.http().get(f.world.url("/v1/cases?status=open"), auth), 400,
                        "bad_status");
  ApiWorld::check_error(
      f.world.http().get(f.world.url("/v1/reports/metrics?from=2026-10-31&to=2026-10-01"), auth),
      400, "bad_period");
  ApiWorld::check_error(f.world.http().get(f.world.url("/v1/cases")), 401, "token_missing");

  // Unit B's leader: the collective case without a report and the skip-level one whose report
  // came months late are both missing a report; c4's report is late.
  CHECK(f.cases(f.b, "missing_report=true") == std::set<std::string>{f.c3, f.c4});
  CHECK(f.cases(f.b, "late_report=1") == std::set<std::string>{f.c4});
  CHECK(f.cases(f.b, "collective=true") == std::set<std::string>{f.c3});
  CHECK(f.cases(f.b, "skip_level=true") == std::set<std::string>{f.c4});
  // The office sees the plant: overdue commitments in both units (server clock).
  CHECK(f.cases(f.office, "overdue=true") == std::set<std::string>{f.c3, f.c6});
  CHECK(f.cases(f.office, "conflicts_open=true").empty());

  // Pages of two until the end: every case once.
  std::set<std::string> seen;
  std::string after;
  int pages = 0;
  for (; pages < 10; ++pages) {
    json page = f.get(f.office, "/v1/cases?limit=2&after=" + after);
    for (const json& c : page["cases"]) CHECK(seen.insert(c["id"].get<std::string>()).second);
    after = page["after"].get<std::string>();
    if (!page["more"].get<bool>()) break;
  }
  CHECK(seen.size() == 6);
  CHECK(pages >= 2);
}

TEST_CASE("review over HTTP: urgent reports are stamped when they reach the office") {
  Fixture f;
  const std::vector<json> changes = f.world.pull_all(f.a, 0);
  const json r1 = find_upsert(changes, "urgent_report", f.r1);
  const json r2 = find_upsert(changes, "urgent_report", f.r2);
  REQUIRE(r1.is_object());
  REQUIRE(r2.is_object());
  CHECK(r1["values"]["late"] == false);
  CHECK(r2["values"]["late"] == true);
  const std::string reached = r1["values"]["reached_office_at"].get<std::string>();
  CHECK(reached.rfind(f.today, 0) == 0);
  // The stamp is the server's: a device cannot write it.
  json answer =
      f.world.push(f.a, {f.world.make_op(f.a, "urgent_report", f.r1, OpKind::update,
                                         {{"late", true}}, r1["version"].get<std::int64_t>())});
  CHECK(answer[0]["status"] == "rejected");
}

}  // namespace fieldsync::testing
