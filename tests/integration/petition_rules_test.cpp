// The petition rules against the real fieldsync-server: the server refuses what the tablet
// refuses, with the same codes and nothing stored; the office's kind flags come back by pull;
// the fieldvisit commands of the rules, their refusals as clear errors, and the case detail.
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "api_world.h"
#include "fieldvisit_runner.h"
#include "server_process.h"

namespace fieldsync::testing {
namespace {

using nlohmann::json;

std::string problem_code(const json& result) {
  if (!result.contains("problems") || result["problems"].empty()) return "<none>";
  return result["problems"][0]["code"].get<std::string>();
}

TEST_CASE("petition rules online: the server refuses with the tablet's codes and stores nothing") {
  ApiWorld world({kLeaderA, kLeaderB});
  const Device leader = world.login("leader_a");
  const std::string case_id = world.new_id();
  const json created = world.push(leader, {world.create_case(leader, case_id, leader.unit_id)});
  REQUIRE(created[0]["status"] == "accepted");
  std::int64_t version = created[0]["seq"].get<std::int64_t>();
  const StoreDump before = world.dump();
  json refused = world.push(leader, {world.make_op(leader, "case", case_id, OpKind::update,
                                                   {{"status", "resolved"}}, version)});
  CHECK(refused[0]["status"] == "rejected");
  CHECK(problem_code(refused[0]) == "handling_path_required");
  CHECK(refused[0]["problems"][0]["field"] == "fields.status");
  world.check_unchanged(before);

  json resolved = world.push(
      leader, {world.make_op(leader, "case", case_id, OpKind::update,
                             {{"status", "resolved"}, {"handling_path", "counselling"}}, version)});
  REQUIRE(resolved[0]["status"] == "accepted");
  version = resolved[0]["seq"].get<std::int64_t>();
  const StoreDump resolved_state = world.dump();
  json close = world.push(leader, {world.make_op(leader, "case", case_id, OpKind::update,
                                                 {{"status", "closed"}}, version)});
  CHECK(close[0]["status"] == "rejected");
  CHECK(problem_code(close[0]) == "not_satisfied");
  Op reopen =
      world.make_op(leader, "case", case_id, OpKind::reopen, {{"status", "in_progress"}}, version);
  reopen.workflow_gen = 1;
  json reopened = world.push(leader, {reopen});
  CHECK(reopened[0]["status"] == "rejected");
  CHECK(problem_code(reopened[0]) == "reopen_reason_required");
  world.check_unchanged(resolved_state);
}

TEST_CASE("petition rules online: the office's flags find a repeat in another unit") {
  ApiWorld world({kLeaderA, kLeaderB});
  const Device a = world.login("leader_a");
  const Device b = world.login("leader_b");
  const std::string early = world.new_id();
  const std::string late = world.new_id();
  auto with_person = [&](const Device& d, const std::string& case_id, const char* received_at) {
    return std::vector<Op>{
        world.create_case(d, case_id, d.unit_id,
                          {{"received_at", received_at},
                           {"subjects", {{"add", {"housing_subsidy"}}}},
                           {"kind_flags", {{"add", {"first_time"}}}}}),
        world.make_op(
            d, "petitioner", world.new_id(), OpKind::create,
            {{"case_id", case_id}, {"name", "Zhao Min"}, {"id_number", "37010219650704123X"}})};
  };
  for (const json& r : world.push(a, with_person(a, early, "2026-01-10T08:00:00Z")))
    REQUIRE(r["status"] == "accepted");
  for (const json& r : world.push(b, with_person(b, late, "2026-11-20T08:00:00Z")))
    REQUIRE(r["status"] == "accepted");

  const json row = find_upsert(world.pull_all(b, 0), "case", late);
  REQUIRE(row.is_object());
  CHECK(row["values"]["kind_flags"] == json{"first_time"});  // what B's tablet said
  CHECK(row["values"]["office_kind_flags"] == json{"repeat"});
  CHECK(row["values"]["repeat_of_case_ids"] == json{early});
  // B never sees A's case itself.
  CHECK_FALSE(find_upsert(world.pull_all(b, 0), "case", early).is_object());
}

// fieldvisit against a served world: Plant/Unit A with leader_a.
struct RulesCli {
  ApiWorld world{{kLeaderA, kOffice}};
  TempDir tablets;

  CommandResult fv(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", (tablets.path() / "wang.db").string()});
    return run_fieldvisit(args);
  }
  json fv_json(std::vector<std::string> args, int expected_exit = 0) {
    args.insert(args.begin(), "--json");
    const CommandResult r = fv(args);
    INFO("exit " << r.exit_status << "\nstdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_status == expected_exit);
    const json doc = json::parse(r.out, nullptr, false);
    REQUIRE_FALSE(doc.is_discarded());
    return doc;
  }
};

TEST_CASE("fieldvisit: the petition rules' commands, refusals and the case detail") {
  RulesCli cli;
  {
    std::vector<std::string> args = {"--db",
                                     (cli.tablets.path() / "wang.db").string(),
                                     "login",
                                     "--server",
                                     cli.world.server().base_url(),
                                     "--user",
                                     "leader_a"};
    const CommandResult r = run_fieldvisit(args, {{"FIELDVISIT_PASSWORD", kUserPassword}});
    INFO(r.err);
    REQUIRE(r.exit_status == 0);
  }
  const json created = cli.fv_json({"case", "new", "--title", "Allowance not paid", "--channel",
                                    "letter", "--subject", "retiree_allowance", "--headcount", "5",
                                    "--petitioner", "Zhang Wei,13800000000,11010519491231002X"});
  const std::string id = created["case_id"].get<std::string>();

  // Refusals: clear errors with the library's codes, nothing saved.
  const CommandResult no_path = cli.fv({"case", "resolve", id});
  CHECK(no_path.exit_status == 1);
  CHECK(no_path.err.find("handling_path") != std::string::npos);
  CHECK(cli.fv_json({"case", "resolve", id}, 1)["error"]["code"] == "handling_path_required");
  CHECK(cli.fv_json({"case", "transfer", id, "--to", cli.world.unit_id("Plant/Unit B"), "--reason",
                     "theirs"},
                    1)["error"]["code"] == "forbidden");
  CHECK(cli.fv({"case", "mark", id, "abnormal"}).exit_status == 2);

  CHECK(cli.fv({"case", "path", id, "solve_quickly"}).exit_status == 0);
  CHECK(cli.fv({"case", "leader", id, "--user", "me", "--note", "I take it"}).exit_status == 0);
  CHECK(cli.fv({"case", "mark", id, "abnormal", "--reason", "banners at the gate"}).exit_status ==
        0);
  CHECK(cli.fv({"case", "packages", id, "information", "people"}).exit_status == 0);
  CHECK(cli.fv({"case", "ack", id, "leader"}).exit_status == 0);
  CHECK(cli.fv({"case", "resolve", id}).exit_status == 0);
  CHECK(cli.fv_json({"case", "close", id}, 1)["error"]["code"] == "not_satisfied");
  CHECK(cli.fv({"case", "follow-up", id, "--not-satisfied"}).exit_status == 0);
  const CommandResult still_open = cli.fv({"case", "close", id});
  CHECK(still_open.exit_status == 1);
  CHECK(still_open.err.find("satisfied") != std::string::npos);
  CHECK(cli.fv({"case", "follow-up", id, "--satisfied"}).exit_status == 0);
  CHECK(cli.fv({"case", "close", id}).exit_status == 0);

  const CommandResult synced = cli.fv({"sync"});
  INFO(synced.out << synced.err);
  CHECK(synced.exit_status == 0);
  CHECK(cli.fv({"sync"}).exit_status == 0);  // brings the office's flags

  const json detail = cli.fv_json({"case", "show", id});
  CHECK(detail["case"]["values"]["status"] == "closed");
  CHECK(detail["flags"]["tablet"] == json{"abnormal", "collective"});
  CHECK(detail["flags"]["office"] == json{"abnormal", "collective"});
  CHECK(detail["flags"]["flags_differ"] == false);
  REQUIRE(detail["leader_history"].size() == 1);
  CHECK(detail["leader_history"][0]["values"]["note"] == "I take it");
  CHECK_FALSE(detail["acknowledgements"]["leader_at"].get<std::string>().empty());
  CHECK(detail["case"]["values"]["five_packages"] == json{"information", "people"});
  CHECK(detail["case"]["values"]["follow_up_contacts"] == 2);

  const CommandResult shown = cli.fv({"case", "show", id});
  CHECK(shown.exit_status == 0);
  CHECK(shown.out.find("Kind flags") != std::string::npos);
  CHECK(shown.out.find("Responsible leaders (1)") != std::string::npos);
}

}  // namespace
}  // namespace fieldsync::testing
