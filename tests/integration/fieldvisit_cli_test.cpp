// The fieldvisit command line against the real server: two tablets (two database files) sign
// in, work offline, sync, settle a conflict; errors a person can act on; --json; --help.
#include <cstdlib>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "fieldvisit_runner.h"
#include "password_cost.h"
#include "server_process.h"

namespace fieldsync::testing {
namespace {

using nlohmann::json;

constexpr const char* kLeaderPassword = "leader-secret-1";
constexpr const char* kOfficePassword = "office-secret-2";

// The id at the end of an admin command's "added ..." line.
std::string last_word(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.substr(text.rfind(' ') + 1);
}

// A served store with the unit "Plant/Unit 3", the field leader "wang" there and the central
// office user "office" at the plant, and a directory for the tablets' database files.
class FieldWorld {
 public:
  FieldWorld() {
    admin({"unit", "add", "--name", "Unit 3", "--kind", "unit", "--parent", "Plant"});
    leader_id =
        last_word(add_user("wang", "Wang Li", "field_leader", "Plant/Unit 3", kLeaderPassword));
    office_id =
        last_word(add_user("office", "Li Ming", "central_office", "Plant", kOfficePassword));
  }

  std::string db(const std::string& name) const { return (tablets_.path() / name).string(); }
  ServerProcess& server() { return server_; }

  // `fieldvisit --db <name> args...`.
  CommandResult fv(const std::string& name, std::vector<std::string> args,
                   const std::map<std::string, std::string>& env = {}) const {
    args.insert(args.begin(), {"--db", db(name)});
    return run_fieldvisit(args, env);
  }
  // The same with --json; REQUIREs that stdout is one JSON document.
  json fv_json(const std::string& name, std::vector<std::string> args,
               int expected_exit = 0) const {
    args.insert(args.begin(), "--json");
    const CommandResult r = fv(name, args);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_status == expected_exit);
    const json doc = json::parse(r.out, nullptr, false);
    REQUIRE_FALSE(doc.is_discarded());
    return doc;
  }
  CommandResult login(const std::string& name, const std::string& user,
                      const std::string& password) const {
    return fv(name,
              {"login", "--server", server_.base_url(), "--user", user, "--device-name", name},
              {{"FIELDVISIT_PASSWORD", password}});
  }

  // `fieldsync-server args... --data DIR`; REQUIREs exit status 0.
  std::string admin(std::vector<std::string> args) {
    args.insert(args.end(), {"--data", server_.data_dir().string()});
    const CommandResult r = run_server_command(args, 120s);
    INFO(r.err);
    REQUIRE(r.exit_status == 0);
    return r.out;
  }
  std::string add_user(const std::string& login, const std::string& name, const std::string& role,
                       const std::string& unit, const std::string& password) {
    setenv("FIELDSYNC_USER_PASSWORD", password.c_str(), 1);
    const std::string out =
        admin({"user", "add", "--login", login, "--name", name, "--role", role, "--unit", unit,
               "--password-iterations", kTestPasswordIterationsArg});
    unsetenv("FIELDSYNC_USER_PASSWORD");
    return out;
  }

  std::string leader_id;
  std::string office_id;

 private:
  ServerProcess server_;
  TempDir tablets_;
};

// REQUIREs exit status `expected`, showing the output when it is not.
void require_exit(const CommandResult& r, int expected) {
  INFO("exit " << r.exit_status << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.exit_status == expected);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("fieldvisit: --help works everywhere and usage errors exit 2") {
  const std::vector<std::vector<std::string>> helps = {
      {"--help"},
      {"login", "--help"},
      {"case", "--help"},
      {"case", "list", "--help"},
      {"case", "show", "--help"},
      {"case", "new", "--help"},
      {"case", "set", "--help"},
      {"case", "reopen", "--help"},
      {"visit", "add", "--help"},
      {"visit", "correct", "--help"},
      {"commitment", "add", "--help"},
      {"commitment", "done", "--help"},
      {"urgent", "add", "--help"},
      {"sync", "--help"},
      {"status", "--help"},
      {"conflicts", "--help"},
      {"conflicts", "resolve", "--help"},
      {"rejected", "discard", "--help"},
      {"retry", "--help"},
  };
  for (const auto& args : helps) {
    CAPTURE(args.front());
    const CommandResult r = run_fieldvisit(args);
    require_exit(r, 0);
    CHECK(contains(r.out, "Usage: fieldvisit"));
  }
  const CommandResult top = run_fieldvisit({"--help"});
  CHECK(contains(top.out, "Exit codes"));
  const std::string set_help = run_fieldvisit({"case", "set", "--help"}).out;
  CHECK(contains(set_help, "responsible_leader_id"));
  // Computed and server-set fields are not offered for setting.
  for (const char* computed : {"kind_flags", "repeat_of_case_ids", "office_kind_flags"}) {
    CAPTURE(computed);
    CHECK_FALSE(contains(set_help, std::string("  ") + computed + " "));
  }

  const TempDir dir;
  const std::string db = (dir.path() / "t.db").string();
  require_exit(run_fieldvisit({"--db", db, "frobnicate"}), 2);
  require_exit(run_fieldvisit({"case", "list"}), 2);  // no --db
  require_exit(run_fieldvisit({"--db", db, "case", "list", "--status", "sleeping"}), 2);
  require_exit(run_fieldvisit({"--db", db, "visit", "add"}), 2);

  // A command on a device that never signed in says what to do.
  const CommandResult fresh = run_fieldvisit({"--db", db, "case", "list"});
  require_exit(fresh, 1);
  CHECK(contains(fresh.err, "login"));
}

TEST_CASE("fieldvisit: sign in, and a wrong password is refused readably") {
  FieldWorld world;
  const CommandResult wrong = world.login("a.db", "wang", "not-the-password");
  require_exit(wrong, 1);
  CHECK(contains(wrong.err, "wrong user name or password"));
  CHECK_FALSE(contains(wrong.out + wrong.err, "not-the-password"));

  const CommandResult no_password =
      world.fv("a.db", {"login", "--server", world.server().base_url(), "--user", "wang"});
  require_exit(no_password, 2);
  CHECK(contains(no_password.err, "FIELDVISIT_PASSWORD"));

  const CommandResult good = world.login("a.db", "wang", kLeaderPassword);
  require_exit(good, 0);
  CHECK(contains(good.out, "Signed in as wang"));
  CHECK_FALSE(contains(good.out + good.err, kLeaderPassword));

  const json status = world.fv_json("a.db", {"status"});
  CHECK(status["user_id"] == world.leader_id);
  CHECK(status["signed_in"] == true);
  CHECK(status["server"] == world.server().base_url());

  // Nothing is on the device before the first sync; writes before sign-in are refused.
  const CommandResult empty = world.fv("a.db", {"case", "list"});
  require_exit(empty, 0);
  CHECK(contains(empty.out, "No cases"));

  // The office revokes the tablet: its next sync wipes it and says so; later commands say
  // there is nothing here and how to start again.
  world.admin({"device", "revoke", "--id", status["device_id"].get<std::string>()});
  const CommandResult wiped = world.fv("a.db", {"sync"});
  require_exit(wiped, 1);
  CHECK(contains(wiped.err, "wiped"));
  CHECK_FALSE(std::filesystem::exists(world.db("a.db")));
  const CommandResult after = world.fv("a.db", {"case", "list"});
  require_exit(after, 1);
  CHECK(contains(after.err, "login"));
}

TEST_CASE("fieldvisit: two tablets work offline, converge, and settle a conflict") {
  FieldWorld world;
  require_exit(world.login("a.db", "wang", kLeaderPassword), 0);
  require_exit(world.login("b.db", "office", kOfficePassword), 0);

  // Tablet A records a case; it is listed at once, before any sync.
  const json created =
      world.fv_json("a.db", {"case", "new", "--title", "Allowance three months late", "--channel",
                             "home_visit", "--subject", "retiree_allowance", "--headcount", "6",
                             "--petitioner", "Zhang San,13800000000", "--petitioner", "Li Si"});
  const std::string case_id = created["case_id"];
  CHECK(created["petitioner_ids"].size() == 2);
  const std::string prefix = case_id.substr(0, 8);
  const CommandResult listed = world.fv("a.db", {"case", "list"});
  require_exit(listed, 0);
  CHECK(contains(listed.out, "Allowance three months late"));
  CHECK(contains(listed.out, "not yet"));  // not synced

  // Mistakes name the field and what it takes; nothing is written.
  const CommandResult unknown = world.fv("a.db", {"case", "set", prefix, "colour=red"});
  require_exit(unknown, 1);
  CHECK(contains(unknown.err, "colour"));
  CHECK(contains(unknown.err, "responsible_leader_id"));  // the fields it could be
  const CommandResult bad_date =
      world.fv("a.db", {"case", "set", prefix, "feedback_due=2026-13-45"});
  require_exit(bad_date, 1);
  CHECK(contains(bad_date.err, "feedback_due"));
  CHECK(contains(bad_date.err, "YYYY-MM-DD"));
  const CommandResult bad_enum = world.fv("a.db", {"case", "set", prefix, "handling_path=fast"});
  require_exit(bad_enum, 1);
  CHECK(contains(bad_enum.err, "handling_path"));
  CHECK(contains(bad_enum.err, "solve_quickly"));
  const CommandResult bad_due = world.fv(
      "a.db", {"commitment", "add", prefix, "--who", "x", "--how", "y", "--due", "next week"});
  require_exit(bad_due, 1);
  CHECK(contains(bad_due.err, "YYYY-MM-DD"));
  const CommandResult no_case = world.fv("a.db", {"case", "show", "ffffffff"});
  require_exit(no_case, 1);
  CHECK(contains(no_case.err, "no case"));
  const CommandResult short_id = world.fv("a.db", {"case", "show", "0192"});
  require_exit(short_id, 1);
  CHECK(contains(short_id.err, "8"));

  // Both tablets sync: B gets the case.
  require_exit(world.fv("a.db", {"sync"}), 0);
  const CommandResult first_b = world.fv("b.db", {"sync"});
  require_exit(first_b, 0);
  CHECK(contains(first_b.out, "Sync finished: sent 0"));
  CHECK(contains(world.fv("b.db", {"case", "list"}).out, "Allowance three months late"));

  // Offline, both leaders record a visit and both set the responsible leader (to themselves);
  // A also makes a commitment that is already overdue.
  const json visit_a = world.fv_json(
      "a.db", {"visit", "add", prefix, "--kind", "home", "--met", "Zhang San and his wife",
               "--notes", "Allowance unpaid since August", "--outcome", "Answer within a week"});
  const json visit_b = world.fv_json(
      "b.db", {"visit", "add", prefix, "--kind", "reception", "--notes", "Li Si came in"});
  require_exit(world.fv("a.db", {"case", "set", prefix, "responsible_leader_id=me"}), 0);
  require_exit(world.fv("b.db", {"case", "set", prefix, "responsible_leader_id=me",
                                 "handling_path=solve_quickly"}),
               0);
  require_exit(world.fv("a.db", {"commitment", "add", prefix, "--who", "Wang Li", "--how",
                                 "ask the pension office", "--due", "2020-01-05"}),
               0);
  // A correction is a new visit; the original stays.
  require_exit(world.fv("a.db", {"visit", "correct", visit_a["visit_id"].get<std::string>(),
                                 "--notes", "Allowance unpaid since July"}),
               0);

  // A syncs first, then B: B's value meets A's and a conflict opens (exit 3), then A learns it.
  require_exit(world.fv("a.db", {"sync"}), 0);
  const json sync_b = world.fv_json("b.db", {"sync"}, 3);
  CHECK(sync_b["conflicts"] == 1);
  CHECK(sync_b["open_conflicts"] == 1);
  const CommandResult sync_a = world.fv("a.db", {"sync"});
  require_exit(sync_a, 3);
  CHECK(contains(sync_a.out, "fieldvisit conflicts"));

  // `conflicts` lists both values with who set them.
  const CommandResult conflicts_b = world.fv("b.db", {"conflicts"});
  require_exit(conflicts_b, 0);
  CHECK(contains(conflicts_b.out, "responsible_leader_id"));
  CHECK(contains(conflicts_b.out, "Wang Li (wang)"));
  CHECK(contains(conflicts_b.out, "Li Ming (office, you)"));
  const json listed_conflicts = world.fv_json("a.db", {"conflicts"});
  REQUIRE(listed_conflicts["conflicts"].size() == 1);
  const json& conflict = listed_conflicts["conflicts"][0];
  CHECK(conflict["field"] == "responsible_leader_id");
  CHECK(conflict["case_id"] == case_id);
  std::vector<std::string> values;
  for (const json& c : conflict["candidates"]) values.push_back(c["value"]);
  CHECK(values.size() == 2);
  CHECK(std::find(values.begin(), values.end(), world.leader_id) != values.end());
  CHECK(std::find(values.begin(), values.end(), world.office_id) != values.end());

  // The central office decides for the leader, by a unique prefix of the conflict's id.
  const std::string conflict_id = conflict["id"];
  const CommandResult resolved =
      world.fv("b.db", {"conflicts", "resolve", conflict_id.substr(0, 10), "--value",
                        world.leader_id, "--note", "he visited the family"});
  require_exit(resolved, 0);
  CHECK(contains(resolved.out, "Wang Li (wang)"));
  require_exit(world.fv("b.db", {"sync"}), 0);
  require_exit(world.fv("a.db", {"sync"}), 0);

  // Both tablets show the same case: both visits (A's with its correction), the commitment
  // (overdue, by the device clock), the decided leader, no open conflict.
  for (const char* device : {"a.db", "b.db"}) {
    CAPTURE(device);
    const json shown = world.fv_json(device, {"case", "show", prefix});
    CHECK(shown["case"]["values"]["responsible_leader_id"] == world.leader_id);
    CHECK(shown["case"]["values"]["handling_path"] == "solve_quickly");
    CHECK(shown["open_conflicts"].empty());
    REQUIRE(shown["visits"].size() == 2);
    std::vector<std::string> visit_ids;
    for (const json& v : shown["visits"]) visit_ids.push_back(v["id"]);
    CHECK(std::find(visit_ids.begin(), visit_ids.end(), visit_a["visit_id"]) != visit_ids.end());
    CHECK(std::find(visit_ids.begin(), visit_ids.end(), visit_b["visit_id"]) != visit_ids.end());
    for (const json& v : shown["visits"]) {
      if (v["id"] == visit_a["visit_id"]) {
        CHECK(v["values"]["notes"] == "Allowance unpaid since August");
        REQUIRE(v["corrections"].size() == 1);
        CHECK(v["corrections"][0]["values"]["notes"] == "Allowance unpaid since July");
      }
    }
    REQUIRE(shown["commitments"].size() == 1);
    CHECK(shown["commitments"][0]["overdue"] == true);
    CHECK(shown["petitioners"].size() == 2);

    const CommandResult text = world.fv(device, {"case", "show", prefix});
    require_exit(text, 0);
    CHECK(contains(text.out, "Visits (2)"));
    CHECK(contains(text.out, "OVERDUE (device time)"));
    CHECK(contains(text.out, "Zhang San"));
    CHECK_FALSE(contains(text.out, "Open conflicts"));
    const json status = world.fv_json(device, {"status"});
    CHECK(status["pending_ops"] == 0);
    CHECK(status["open_conflicts"] == 0);
  }
  const CommandResult overdue = world.fv("b.db", {"case", "list", "--overdue"});
  require_exit(overdue, 0);
  CHECK(contains(overdue.out, "1 open, 1 overdue"));

  // The commitment is done; the urgent report is filed; B sees both after a sync.
  const json shown_a = world.fv_json("a.db", {"case", "show", prefix});
  const std::string commitment_id = shown_a["commitments"][0]["id"];
  require_exit(world.fv("a.db", {"commitment", "done", commitment_id.substr(0, 16)}), 0);
  require_exit(world.fv("a.db", {"urgent", "add", prefix, "--kind", "collective_visit", "--summary",
                                 "Six retirees plan to go to the bureau", "--headcount", "6"}),
               0);
  require_exit(world.fv("a.db", {"sync"}), 0);
  require_exit(world.fv("b.db", {"sync"}), 0);
  const json shown_b = world.fv_json("b.db", {"case", "show", prefix});
  CHECK(shown_b["commitments"][0]["values"]["status"] == "done");
  REQUIRE(shown_b["urgent_reports"].size() == 1);
  CHECK(shown_b["urgent_reports"][0]["values"]["kind"] == "collective_visit");
  CHECK(shown_b["urgent_reports"][0]["local_changes"] == false);

  // A change the server refuses stays visible with its reason until discarded on purpose.
  const std::string plant_id = world.fv_json("b.db", {"status"})["unit_id"];
  require_exit(world.fv("a.db", {"case", "set", prefix, "unit_id=" + plant_id}), 0);
  const json refused = world.fv_json("a.db", {"sync"}, 3);
  CHECK(refused["rejected"] == 1);
  const json with_rejected = world.fv_json("a.db", {"status"});
  REQUIRE(with_rejected["rejected_ops"].size() == 1);
  const CommandResult status_text = world.fv("a.db", {"status"});
  CHECK(contains(status_text.out, "unit_id"));
  const std::string op_id = with_rejected["rejected_ops"][0]["op_id"];
  require_exit(world.fv("a.db", {"rejected", "discard", op_id}), 0);
  CHECK(world.fv_json("a.db", {"status"})["rejected_ops"].empty());
  require_exit(world.fv("a.db", {"sync"}), 0);
}

TEST_CASE("fieldvisit: a sync with the server gone fails readably and keeps the changes") {
  FieldWorld world;
  require_exit(world.login("a.db", "wang", kLeaderPassword), 0);
  const json created =
      world.fv_json("a.db", {"case", "new", "--title", "Roof leaks", "--channel", "letter"});
  const std::string case_id = created["case_id"];
  require_exit(world.fv("a.db", {"sync"}), 0);
  require_exit(world.fv("a.db", {"case", "set", case_id, "title=Roof leaks in block 4"}), 0);

  // Two cases made moments apart share the first digits of their ids (a UUIDv7 starts with
  // its time): that shared prefix is ambiguous, and the error lists both.
  const json second =
      world.fv_json("a.db", {"case", "new", "--title", "Roof leaks again", "--channel", "phone"});
  const std::string second_id = second["case_id"];
  std::size_t common = 0;
  while (common < case_id.size() && case_id[common] == second_id[common]) ++common;
  const std::string shared = case_id.substr(0, common);
  if (shared.size() >= 8) {  // false only when the two straddle a 65-second boundary
    const CommandResult ambiguous = world.fv("a.db", {"case", "show", shared});
    require_exit(ambiguous, 1);
    CHECK(contains(ambiguous.err, "matches 2 cases"));
    CHECK(contains(ambiguous.err, case_id));
    CHECK(contains(ambiguous.err, second_id));
  }

  const std::string server = world.server().base_url();
  REQUIRE(world.server().stop() == 0);
  const CommandResult failed = world.fv("a.db", {"sync"});
  require_exit(failed, 1);
  CHECK(contains(failed.err, "could not reach " + server));
  CHECK(contains(failed.err, "your changes are kept and will sync later"));

  const CommandResult status = world.fv("a.db", {"status"});
  require_exit(status, 0);
  CHECK(contains(status.out, "2 changes waiting for a sync"));
  CHECK(contains(status.out, "unreachable"));
  const json doc = world.fv_json("a.db", {"status"});
  CHECK(doc["pending_ops"] == 2);
  CHECK(doc["last_error"]["domain"] == "transport");
  // The edit is still shown on the device.
  const json shown = world.fv_json("a.db", {"case", "show", case_id});
  CHECK(shown["case"]["values"]["title"] == "Roof leaks in block 4");
  CHECK(shown["case"]["local_changes"] == true);

  // --json failures are one JSON document too.
  const json error = world.fv_json("a.db", {"sync"}, 1);
  CHECK(error["error"]["exit_code"] == 1);
  CHECK(contains(error["error"]["message"].get<std::string>(), "could not reach"));
}

}  // namespace fieldsync::testing
