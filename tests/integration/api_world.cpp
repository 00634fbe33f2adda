#include "api_world.h"

#include <stdlib.h>

#include <algorithm>
#include <future>
#include <regex>
#include <set>

#include <doctest/doctest.h>

#include "fieldsync/core/op_codec.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/sqlite/database.h"
#include "password_cost.h"

namespace fieldsync::testing {
namespace {

constexpr int kMaxPages = 100;

// The first canonical UUID in `text`, or "" when there is none.
std::string first_uuid(const std::string& text) {
  static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  std::smatch match;
  return std::regex_search(text, match, uuid) ? match.str() : std::string();
}

// Runs a command that must succeed and returns what it printed.
CommandResult run_ok(const std::vector<std::string>& args) {
  CommandResult result = run_server_command(args, 60s);
  INFO("fieldsync-server ", args.front(), " ", args.size() > 1 ? args[1] : "", ": ", result.err);
  REQUIRE(result.exit_status == 0);
  return result;
}

// Every row of `sql` as a JSON array of its columns (text, or null).
std::vector<std::string> rows_of(sqlite::Database& db, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite::Statement st = db.prepare(sql);
  while (st.step()) {
    json row = json::array();
    for (int c = 0; c < st.column_count(); ++c)
      row.push_back(st.is_null(c) ? json() : json(st.column_text(c)));
    rows.push_back(row.dump());
  }
  return rows;
}

// Up to three rows of `a` that `b` lacks, one per line.
std::string missing_rows(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::set<std::string> in_b(b.begin(), b.end());
  std::string out;
  int shown = 0;
  for (const auto& row : a) {
    if (in_b.count(row) || shown++ == 3) continue;
    out += "    " + row + "\n";
  }
  return out;
}

}  // namespace

ApiWorld::ApiWorld(const std::vector<UserSpec>& users, std::vector<std::string> serve_args)
    : server_(std::move(serve_args)) {
  const std::string dir = server_.data_dir().string();
  {
    sqlite::OpenOptions options;
    options.read_only = true;
    sqlite::Database db = sqlite::Database::open(server_.data_dir() / "fieldsync.db", options);
    sqlite::Statement root = db.prepare("SELECT id FROM entity_unit WHERE parent_id IS NULL");
    REQUIRE(root.step());
    unit_ids_["Plant"] = root.column_text(0);
  }

  // Each admin command is a process of its own (and `user add` spends ~0.3 s in PBKDF2), so they
  // run side by side, in rounds by the depth of the unit they need: the plant's, then its units'.
  setenv("FIELDSYNC_USER_PASSWORD", kUserPassword, 1);
  const std::vector<std::vector<std::string>> units = {{"Unit A", "unit", "Plant"},
                                                       {"Unit B", "unit", "Plant"},
                                                       {"Team A1", "team", "Plant/Unit A"}};
  const auto depth = [](const std::string& path) {
    return std::count(path.begin(), path.end(), '/');
  };
  for (long round = 0; round < 3; ++round) {
    std::vector<std::vector<std::string>> commands;
    std::vector<std::string> made;  // the unit path or the login each command adds
    for (const auto& u : units) {
      if (depth(u[2]) != round) continue;
      commands.push_back(
          {"unit", "add", "--data", dir, "--name", u[0], "--kind", u[1], "--parent", u[2]});
      made.push_back(u[2] + "/" + u[0]);
    }
    for (const auto& user : users) {
      if (depth(user.unit) != round) continue;
      commands.push_back({"user", "add", "--data", dir, "--login", user.login, "--name", user.login,
                          "--role", user.role, "--unit", user.unit, "--password-iterations",
                          kTestPasswordIterationsArg});
      made.push_back(user.login);
    }
    std::vector<std::future<CommandResult>> running;
    for (const auto& command : commands)
      running.push_back(
          std::async(std::launch::async, [command] { return run_server_command(command, 60s); }));
    for (std::size_t i = 0; i < commands.size(); ++i) {
      const CommandResult done = running[i].get();
      INFO(commands[i][0], " ", commands[i][1], " ", made[i], ": ", done.err);
      REQUIRE(done.exit_status == 0);
      (commands[i][0] == "unit" ? unit_ids_ : user_ids_)[made[i]] = first_uuid(done.out);
    }
  }
}

HttpResult ApiWorld::login_raw(const std::string& login, const std::string& password,
                               const std::string& device_id) {
  const json body = {{"login", login}, {"password", password}, {"device_id", device_id}};
  return http_.post(url("/v1/auth/login"), body.dump(), {{"Content-Type", "application/json"}});
}

Device ApiWorld::login(const std::string& login, std::string device_id) {
  if (device_id.empty()) device_id = new_id();
  const HttpResult result = login_raw(login, kUserPassword, device_id);
  INFO("login ", login, ": ", result.body);
  REQUIRE(result.status == 200);
  const json body = result.json();
  return {login,
          device_id,
          body.at("token").get<std::string>(),
          body.at("user_id").get<std::string>(),
          body.at("unit_id").get<std::string>(),
          body.at("role").get<std::string>()};
}

CommandResult ApiWorld::admin(std::vector<std::string> args) {
  args.insert(args.end(), {"--data", server_.data_dir().string()});
  return run_ok(args);
}

std::string ApiWorld::new_id() {
  return make_uuid_v7(wall_.now_ms(), random_);
}

Hlc ApiWorld::next_hlc() {
  return hlc_.now();
}

Op ApiWorld::make_op(const Device& device, const std::string& entity, const std::string& id,
                     OpKind kind, json fields, std::int64_t base_version) {
  Op op;
  op.op_id = new_id();
  op.device_id = device.device_id;
  op.user_id = device.user_id;
  op.entity = entity;
  op.id = id;
  op.kind = kind;
  op.fields = std::move(fields);
  op.hlc = next_hlc();
  op.base_version = base_version;
  return op;
}

Op ApiWorld::create_case(const Device& device, const std::string& id, const std::string& unit_id,
                         json extra) {
  json fields = {{"unit_id", unit_id},
                 {"title", "Allowance three months late"},
                 {"channel", "home_visit"},
                 {"status", "received"},
                 {"received_at", "2026-11-26T08:00:00Z"}};
  fields.update(extra);
  return make_op(device, "case", id, OpKind::create, std::move(fields));
}

Op ApiWorld::create_visit(const Device& device, const std::string& id, const std::string& case_id) {
  return make_op(device, "visit", id, OpKind::create,
                 {{"case_id", case_id}, {"kind", "home"}, {"visited_at", "2026-11-27T09:30:00Z"}});
}

Headers ApiWorld::auth_json(const Device& device) {
  return {{"Authorization", "Bearer " + device.token}, {"Content-Type", "application/json"}};
}

HttpResult ApiWorld::push_raw(const Device& device, const json& body) {
  return http_.post(url("/v1/sync/push"), body.dump(), auth_json(device));
}

json ApiWorld::push(const Device& device, const std::vector<Op>& ops, std::int64_t cursor) {
  json body = {{"cursor", cursor}, {"ops", json::array()}};
  for (const Op& op : ops) body["ops"].push_back(encode_op(op));
  const HttpResult result = push_raw(device, body);
  INFO("push: ", result.body);
  REQUIRE(result.status == 200);
  json results = result.json().at("results");
  REQUIRE(results.size() == ops.size());
  return results;
}

HttpResult ApiWorld::pull_raw(const Device& device, std::int64_t cursor) {
  return http_.get(url("/v1/sync/pull?cursor=" + std::to_string(cursor)),
                   {{"Authorization", "Bearer " + device.token}});
}

std::vector<json> ApiWorld::pull_all(const Device& device, std::int64_t cursor,
                                     std::int64_t* next_cursor) {
  std::vector<json> changes;
  for (int page = 0; page < kMaxPages; ++page) {
    const HttpResult result = pull_raw(device, cursor);
    INFO("pull: ", result.body);
    REQUIRE(result.status == 200);
    const json body = result.json();
    for (const auto& change : body.at("changes")) changes.push_back(change);
    cursor = body.at("next_cursor").get<std::int64_t>();
    if (!body.at("more").get<bool>()) break;
    REQUIRE(page + 1 < kMaxPages);
  }
  if (next_cursor) *next_cursor = cursor;
  return changes;
}

std::vector<json> ApiWorld::snapshot_all(const Device& device, int page_rows,
                                         std::int64_t* cursor) {
  std::vector<json> rows;
  std::string query = "?limit=" + std::to_string(page_rows);
  for (int page = 0; page < kMaxPages; ++page) {
    const HttpResult result =
        http_.get(url("/v1/sync/snapshot" + query), {{"Authorization", "Bearer " + device.token}});
    INFO("snapshot: ", result.body);
    REQUIRE(result.status == 200);
    const json body = result.json();
    for (const auto& row : body.at("rows")) rows.push_back(row);
    if (cursor) *cursor = body.at("cursor").get<std::int64_t>();
    if (!body.at("more").get<bool>()) break;
    REQUIRE(page + 1 < kMaxPages);
    // The token holds '|'; encode it for the query.
    std::string after;
    for (char c : body.at("after").get<std::string>())
      after += c == '|' ? "%7C" : std::string(1, c);
    query = "?limit=" + std::to_string(page_rows) +
            "&cursor=" + std::to_string(body.at("cursor").get<std::int64_t>()) + "&after=" + after;
  }
  return rows;
}

StoreDump ApiWorld::dump() const {
  sqlite::OpenOptions options;
  options.read_only = true;
  sqlite::Database db = sqlite::Database::open(server_.data_dir() / "fieldsync.db", options);
  StoreDump out;
  out["op_log"] = rows_of(db, "SELECT * FROM op_log WHERE outcome <> 'rejected' ORDER BY seq");
  out["change_index"] = rows_of(db, "SELECT * FROM change_index ORDER BY entity, row_id");
  out["scope_exits"] = rows_of(db, "SELECT * FROM scope_exits ORDER BY seq");
  std::vector<std::string> tables;
  {
    sqlite::Statement st = db.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'entity\\_%' ESCAPE "
        "'\\' ORDER BY name");
    while (st.step()) tables.push_back(st.column_text(0));
  }
  REQUIRE(tables.size() > 5);
  for (const auto& t : tables) out[t] = rows_of(db, "SELECT * FROM \"" + t + "\" ORDER BY id");
  return out;
}

void ApiWorld::check_unchanged(const StoreDump& before) const {
  const StoreDump now = dump();
  std::string differences;
  for (const auto& [table, rows] : now) {
    const auto old = before.find(table);
    const std::vector<std::string> none;
    const auto& old_rows = old == before.end() ? none : old->second;
    if (rows == old_rows) continue;
    differences += table + ":\n  gone:\n" + missing_rows(old_rows, rows) + "  new or changed:\n" +
                   missing_rows(rows, old_rows);
  }
  CHECK_MESSAGE(differences.empty(), "the store changed:\n" << differences);
}

void ApiWorld::check_error(const HttpResult& result, long status, const std::string& code) {
  INFO("answer: ", result.status, " ", result.body);
  CHECK(result.status == status);
  CHECK(result.header("content-type") == "application/json");
  json body = json::parse(result.body, nullptr, false);
  REQUIRE(body.is_object());
  // {"error": {"code", "message", "problems"?}} and nothing else.
  CHECK(body.size() == 1);
  REQUIRE(body["error"].is_object());
  CHECK(body["error"]["code"] == code);
  CHECK(body["error"]["message"].is_string());
  for (const auto& [member, value] : body["error"].items()) {
    CAPTURE(member);
    CHECK((member == "code" || member == "message" || member == "problems"));
  }
}

void ApiWorld::check_refused(const HttpResult& result, long status, const std::string& code,
                             const StoreDump& before) const {
  check_error(result, status, code);
  check_unchanged(before);
}

json find_upsert(const std::vector<json>& changes, const std::string& entity,
                 const std::string& id) {
  json found;
  for (const auto& change : changes) {
    if (!change.contains("upsert")) continue;
    const json& row = change["upsert"];
    if (row.at("entity") == entity && row.at("id") == id) found = row;  // the last one wins
  }
  return found;
}

bool has_drop(const std::vector<json>& changes, const std::string& entity, const std::string& id) {
  return std::any_of(changes.begin(), changes.end(), [&](const json& change) {
    return change.contains("drop") && change["drop"].at("entity") == entity &&
           change["drop"].at("id") == id;
  });
}

json find_row(const std::vector<json>& rows, const std::string& entity, const std::string& id) {
  for (const auto& row : rows)
    if (row.at("entity") == entity && row.at("id") == id) return row;
  return json();
}

}  // namespace fieldsync::testing
