// `fieldvisit cases` and `fieldvisit commitments` on a unit reviewer's tablet against the real
// server: each filter lists exactly the cases (and commitments) that match, another unit's
// case is never listed, and the output says overdue was judged by the device's clock.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "api_world.h"
#include "fieldvisit_runner.h"
#include "server_process.h"

// A failed comparison of listed titles shows them.
template <>
struct doctest::StringMaker<std::set<std::string>> {
  static doctest::String convert(const std::set<std::string>& titles) {
    std::string text = "{";
    for (const std::string& t : titles) text += (text.size() > 1 ? ", \"" : "\"") + t + "\"";
    return (text + "}").c_str();
  }
};

namespace fieldsync::testing {
namespace {

using nlohmann::json;
using Titles = std::set<std::string>;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Tablets (database files) of leader_a and reviewer_a in Plant/Unit A and of leader_b in
// Plant/Unit B, against one served store.
struct ReviewWorld {
  ApiWorld world{{kLeaderA, kLeaderB, kReviewerA}};
  TempDir tablets;

  CommandResult fv(const std::string& tablet, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", (tablets.path() / tablet).string()});
    return run_fieldvisit(args);
  }
  // REQUIREs exit status `expected_exit` and returns the output.
  CommandResult ok(const std::string& tablet, std::vector<std::string> args,
                   int expected_exit = 0) {
    const CommandResult r = fv(tablet, std::move(args));
    INFO("exit " << r.exit_status << "\nstdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_status == expected_exit);
    return r;
  }
  json fv_json(const std::string& tablet, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    const CommandResult r = ok(tablet, std::move(args));
    const json doc = json::parse(r.out, nullptr, false);
    INFO("stdout: " << r.out);
    REQUIRE_FALSE(doc.is_discarded());
    return doc;
  }
  void login(const std::string& tablet, const std::string& user) {
    const CommandResult r = run_fieldvisit({"--db", (tablets.path() / tablet).string(), "login",
                                            "--server", world.server().base_url(), "--user", user},
                                           {{"FIELDVISIT_PASSWORD", kUserPassword}});
    INFO(r.err);
    REQUIRE(r.exit_status == 0);
  }
  std::string new_case(const std::string& tablet, std::vector<std::string> args) {
    args.insert(args.begin(), {"case", "new"});
    return fv_json(tablet, std::move(args))["case_id"].get<std::string>();
  }
  // The titles of the cases `fieldvisit --json cases filters...` lists on the reviewer's tablet.
  Titles listed(std::vector<std::string> filters) {
    filters.insert(filters.begin(), "cases");
    const json doc = fv_json("reviewer.db", std::move(filters));
    CHECK(doc["today_from_device_clock"] == true);
    Titles titles;
    for (const json& c : doc["cases"]) titles.insert(c["values"]["title"].get<std::string>());
    return titles;
  }
};

const json& case_titled(const json& cases, const std::string& title) {
  for (const json& c : cases)
    if (c["values"]["title"] == title) return c;
  FAIL("no case titled " << title);
  return cases;
}

}  // namespace

TEST_CASE("fieldvisit review: cases and commitments filters on a reviewer's tablet") {
  ReviewWorld w;
  const std::string roof = "Allowance stopped in March";
  const std::string group = "Six retirees at the gate";
  const std::string again = "Allowance asked for again";
  const std::string lamp = "Street lamp out";
  const std::string other = "Unit B's own group";

  w.login("leader_a.db", "leader_a");
  w.login("leader_b.db", "leader_b");
  w.login("reviewer.db", "reviewer_a");

  // Leader A: a case with one overdue and one future commitment (received); a collective case
  // with a late urgent report; a repeat of the first (same ID number, same subject); a resolved
  // case whose past-due commitment is done.
  const std::string roof_id = w.new_case(
      "leader_a.db", {"--title", roof, "--channel", "letter", "--subject", "retiree_allowance",
                      "--petitioner", "Zhao Min,13800000000,37010219650704123X"});
  w.ok("leader_a.db", {"commitment", "add", roof_id, "--who", "Wang Li", "--how",
                       "ask the pension office", "--due", "2020-01-05"});
  w.ok("leader_a.db", {"commitment", "add", roof_id, "--who", "Wang Li", "--how",
                       "visit the family again", "--due", "2999-12-31"});
  const std::string group_id =
      w.new_case("leader_a.db", {"--title", group, "--channel", "visit", "--headcount", "6"});
  w.ok("leader_a.db",
       {"urgent", "add", group_id, "--kind", "collective_visit", "--summary",
        "Six retirees at the gate", "--known-at", "2020-01-01T08:00:00Z", "--headcount", "6"});
  w.new_case("leader_a.db",
             {"--title", again, "--channel", "letter", "--subject", "retiree_allowance",
              "--petitioner", "Zhao  min,13900000000,37010219650704123X"});
  const std::string lamp_id = w.new_case("leader_a.db", {"--title", lamp, "--channel", "phone"});
  w.ok("leader_a.db", {"commitment", "add", lamp_id, "--who", "Wang Li", "--how",
                       "call the street office", "--due", "2020-02-01"});
  const json lamp_shown = w.fv_json("leader_a.db", {"case", "show", lamp_id});
  REQUIRE(lamp_shown["commitments"].size() == 1);
  w.ok("leader_a.db",
       {"commitment", "done", lamp_shown["commitments"][0]["id"].get<std::string>()});
  w.ok("leader_a.db", {"case", "path", lamp_id, "solve_quickly"});
  w.ok("leader_a.db", {"case", "leader", lamp_id, "--user", "me"});
  w.ok("leader_a.db", {"case", "resolve", lamp_id});

  // Leader B: a case that would match every filter, in another unit.
  const std::string other_id =
      w.new_case("leader_b.db", {"--title", other, "--channel", "visit", "--headcount", "7"});
  w.ok("leader_b.db", {"commitment", "add", other_id, "--who", "Zhou", "--how",
                       "unit B's own promise", "--due", "2020-01-01"});
  w.ok("leader_b.db", {"urgent", "add", other_id, "--kind", "collective_visit", "--summary",
                       "Seven at the gate", "--known-at", "2020-01-01T08:00:00Z"});

  w.ok("leader_a.db", {"sync"});
  w.ok("leader_b.db", {"sync"});
  w.ok("leader_a.db", {"sync"});  // the office's flags come back
  w.ok("reviewer.db", {"sync"});

  {  // each cases filter lists exactly its cases, never another unit's
    CHECK(w.listed({}) == Titles{roof, group, again, lamp});
    CHECK(w.listed({"--status", "resolved"}) == Titles{lamp});
    CHECK(w.listed({"--status", "received"}) == Titles{roof, group, again});
    CHECK(w.listed({"--status", "closed"}).empty());
    CHECK(w.listed({"--overdue"}) == Titles{roof});
    CHECK(w.listed({"--collective"}) == Titles{group});
    CHECK(w.listed({"--repeat"}) == Titles{again});
    CHECK(w.listed({"--late-report"}) == Titles{group});
    CHECK(w.listed({"--collective", "--late-report"}) == Titles{group});
    CHECK(w.listed({"--overdue", "--collective"}).empty());

    // The JSON facts behind the filters.
    const json all = w.fv_json("reviewer.db", {"cases"});
    const json& r = case_titled(all["cases"], roof);
    CHECK(r["overdue"] == true);
    CHECK(r["overdue_commitments"] == 1);
    CHECK(r["late_reports"] == 0);
    const json& g = case_titled(all["cases"], group);
    CHECK(g["overdue"] == false);
    CHECK(g["late_reports"] == 1);
    const json& flags = g["kind_flags_counted"];
    CHECK(std::find(flags.begin(), flags.end(), "collective") != flags.end());
    const json& l = case_titled(all["cases"], lamp);
    CHECK(l["overdue"] == false);
    CHECK(l["overdue_commitments"] == 0);
    for (const json& c : all["cases"]) CHECK(c["id"] != other_id);
  }

  {  // the text lists say the device clock judged the deadlines
    const std::string today = w.fv_json("reviewer.db", {"cases"})["today"];
    REQUIRE(today.size() == 10);
    const std::string clock = "judged on " + today + " by this device's clock (it may be wrong)";

    const CommandResult overdue = w.ok("reviewer.db", {"cases", "--overdue"});
    CHECK(contains(overdue.out, roof));
    CHECK(contains(overdue.out, "overdue"));
    for (const std::string& t : {group, again, lamp, other}) CHECK_FALSE(contains(overdue.out, t));
    CHECK(contains(overdue.out, "1 case; deadlines " + clock + "."));

    const CommandResult late = w.ok("reviewer.db", {"cases", "--late-report"});
    CHECK(contains(late.out, group));
    CHECK(contains(late.out, "late report"));
    CHECK(contains(late.out, "collective"));
    for (const std::string& t : {roof, again, lamp, other}) CHECK_FALSE(contains(late.out, t));

    const CommandResult repeat = w.ok("reviewer.db", {"cases", "--repeat"});
    CHECK(contains(repeat.out, again));
    CHECK(contains(repeat.out, "repeat"));
    for (const std::string& t : {roof, group, lamp, other}) CHECK_FALSE(contains(repeat.out, t));

    const CommandResult none = w.ok("reviewer.db", {"cases", "--overdue", "--collective"});
    CHECK(contains(none.out, "No cases match (" + clock + ")."));

    const CommandResult commitments = w.ok("reviewer.db", {"commitments", "--overdue"});
    CHECK(contains(commitments.out, "ask the pension office"));
    CHECK(contains(commitments.out, "open (overdue)"));
    CHECK_FALSE(contains(commitments.out, "visit the family again"));
    CHECK_FALSE(contains(commitments.out, "call the street office"));
    CHECK_FALSE(contains(commitments.out, "unit B's own promise"));
    CHECK(contains(commitments.out, "1 commitment; overdue " + clock + "."));
  }

  {  // commitments --overdue lists only the open past-due ones of the unit
    const json overdue = w.fv_json("reviewer.db", {"commitments", "--overdue"});
    CHECK(overdue["today_from_device_clock"] == true);
    REQUIRE(overdue["commitments"].size() == 1);
    CHECK(overdue["commitments"][0]["values"]["how"] == "ask the pension office");
    CHECK(overdue["commitments"][0]["values"]["case_id"] == roof_id);
    CHECK(overdue["commitments"][0]["overdue"] == true);

    const json every = w.fv_json("reviewer.db", {"commitments"});
    std::vector<std::pair<std::string, bool>> seen;
    for (const json& c : every["commitments"])
      seen.emplace_back(c["values"]["how"].get<std::string>(), c["overdue"].get<bool>());
    // By due date: 2020-01-05, 2020-02-01 (done), 2999-12-31.
    CHECK(seen == std::vector<std::pair<std::string, bool>>{{"ask the pension office", true},
                                                            {"call the street office", false},
                                                            {"visit the family again", false}});
  }
}

}  // namespace fieldsync::testing
