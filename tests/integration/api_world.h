#pragma once
// A fixture for API tests against the real fieldsync-server: a served store with units
// "Plant/Unit A", "Plant/Unit B", "Plant/Unit A/Team A1" and chosen users, helpers to sign in,
// build ops and push/pull/snapshot over HTTP, and a dump of the store's accepted data so a
// refused request can be checked to change nothing.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fieldsync/core/clock.h"
#include "fieldsync/core/hlc.h"
#include "fieldsync/core/op.h"
#include "fieldsync/core/op_codec.h"
#include "http_client.h"
#include "server_process.h"

namespace fieldsync::testing {

using nlohmann::json;

// The password every user of an ApiWorld gets.
inline constexpr const char* kUserPassword = "integration-user-secret";

// A user the world adds with `fieldsync-server user add`.
struct UserSpec {
  std::string login;
  std::string role;
  std::string unit;  // name path, e.g. "Plant/Unit A"
};

// The standard cast: a field leader in A and in B, a reviewer in A, the central office.
inline const UserSpec kLeaderA{"leader_a", "field_leader", "Plant/Unit A"};
inline const UserSpec kLeaderB{"leader_b", "field_leader", "Plant/Unit B"};
inline const UserSpec kReviewerA{"reviewer_a", "unit_reviewer", "Plant/Unit A"};
inline const UserSpec kOffice{"office", "central_office", "Plant"};

// One signed-in device: what POST /v1/auth/login answered for it.
struct Device {
  std::string login;
  std::string device_id;
  std::string token;
  std::string user_id;
  std::string unit_id;
  std::string role;
};

// The accepted data of a store: table name -> its rows, each row as a JSON array of columns.
// op_log rows the server rejected are left out (a rejected op is logged, but changes nothing).
using StoreDump = std::map<std::string, std::vector<std::string>>;

class ApiWorld {
 public:
  // Starts `fieldsync-server serve [serve_args]` on a fresh store and adds the three units and
  // the users (admin commands run side by side where they can: each `user add` hashes a
  // password).
  explicit ApiWorld(const std::vector<UserSpec>& users, std::vector<std::string> serve_args = {});

  ServerProcess& server() { return server_; }
  HttpClient& http() { return http_; }
  // base URL + path, e.g. url("/v1/sync/pull?cursor=0").
  std::string url(const std::string& path) const { return server_.base_url() + path; }
  // Id of a unit by name path ("Plant", "Plant/Unit A", ...).
  const std::string& unit_id(const std::string& path) const { return unit_ids_.at(path); }
  // Id of a user added by the world.
  const std::string& user_id(const std::string& login) const { return user_ids_.at(login); }

  // POST /v1/auth/login as given, answer unchecked.
  HttpResult login_raw(const std::string& login, const std::string& password,
                       const std::string& device_id);
  // Signs `login` in on a fresh device (or `device_id`); REQUIREs 200.
  Device login(const std::string& login, std::string device_id = {});
  // Runs an admin command (`fieldsync-server <args...> --data DIR`); REQUIREs exit status 0.
  CommandResult admin(std::vector<std::string> args);

  // A new UUIDv7 (row ids, op ids, device ids).
  std::string new_id();
  // The next HLC stamp of this world's clock (strictly increasing).
  Hlc next_hlc();
  // An op by `device` with a fresh op_id and HLC.
  Op make_op(const Device& device, const std::string& entity, const std::string& id, OpKind kind,
             json fields, std::int64_t base_version = 0);
  // A case create in `unit_id` with every required field (plus `extra` fields).
  Op create_case(const Device& device, const std::string& id, const std::string& unit_id,
                 json extra = json::object());
  // A visit create for case `case_id`.
  Op create_visit(const Device& device, const std::string& id, const std::string& case_id);

  // Headers of an authorised JSON request.
  static Headers auth_json(const Device& device);
  // POST /v1/sync/push with `body` (any JSON) as `device`, answer unchecked.
  HttpResult push_raw(const Device& device, const json& body);
  // Pushes ops with `cursor`; REQUIREs 200 and returns the "results" array.
  json push(const Device& device, const std::vector<Op>& ops, std::int64_t cursor = 0);
  // GET /v1/sync/pull?cursor=N as `device`, answer unchecked.
  HttpResult pull_raw(const Device& device, std::int64_t cursor);
  // Pulls every page after `cursor` (at most 100 pages); REQUIREs 200 each time. Returns the
  // changes in order and sets `next_cursor`.
  std::vector<json> pull_all(const Device& device, std::int64_t cursor,
                             std::int64_t* next_cursor = nullptr);
  // Every snapshot page (limit `page_rows`, at most 100 pages); REQUIREs 200. Returns the rows
  // and sets `cursor` to the snapshot's cursor.
  std::vector<json> snapshot_all(const Device& device, int page_rows = 50,
                                 std::int64_t* cursor = nullptr);

  // The accepted data of the store now (read-only connection to DIR/fieldsync.db).
  StoreDump dump() const;
  // CHECKs that the store's accepted data equals `before`, naming the first differences.
  void check_unchanged(const StoreDump& before) const;
  // CHECKs an error answer: status, JSON body with error.code == code and a message.
  static void check_error(const HttpResult& result, long status, const std::string& code);
  // check_error, and that the store still equals `before`.
  void check_refused(const HttpResult& result, long status, const std::string& code,
                     const StoreDump& before) const;

 private:
  ServerProcess server_;
  HttpClient http_;
  SystemClock wall_;
  SecureRandom random_;
  HlcClock hlc_{wall_};
  std::map<std::string, std::string> unit_ids_;
  std::map<std::string, std::string> user_ids_;
};

// The change in `changes` that upserts (entity, id), or null.
json find_upsert(const std::vector<json>& changes, const std::string& entity,
                 const std::string& id);
// True when `changes` holds a drop of (entity, id).
bool has_drop(const std::vector<json>& changes, const std::string& entity, const std::string& id);
// The row in `rows` with this entity and id, or null.
json find_row(const std::vector<json>& rows, const std::string& entity, const std::string& id);

}  // namespace fieldsync::testing
