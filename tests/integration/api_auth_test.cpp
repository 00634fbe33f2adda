// Sign-in and the refusals that tell a device to sign in again or wipe its data, against the real
// fieldsync-server over HTTP. Every refused request is checked to change nothing in the store.
#include <stdlib.h>

#include <chrono>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "api_world.h"
#include "fieldsync/server/password.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::testing {
namespace {

// A case create that a refused push carries.
json one_case_push(ApiWorld& world, const Device& device) {
  return {{"cursor", 0},
          {"ops", {encode_op(world.create_case(device, world.new_id(), device.unit_id))}}};
}

}  // namespace

TEST_CASE("api login: a good password signs in; a wrong one and an unknown login get one answer") {
  ApiWorld world({kLeaderA});
  const std::string device_id = world.new_id();
  const HttpResult good = world.login_raw("leader_a", kUserPassword, device_id);
  REQUIRE(good.status == 200);
  json body = good.json();
  CHECK(body.at("user_id") == world.user_id("leader_a"));
  CHECK(body.at("unit_id") == world.unit_id("Plant/Unit A"));
  CHECK(body.at("role") == "field_leader");
  CHECK(body.at("token").get<std::string>().size() >= 32);
  CHECK(body.at("expires_at").get<std::string>().size() == 24);  // 2026-11-26T08:00:00.000Z

  // The token opens the API, and the new device was enrolled to the user (a row of the unit).
  const Device device{"leader_a",
                      device_id,
                      body["token"].get<std::string>(),
                      body["user_id"].get<std::string>(),
                      body["unit_id"].get<std::string>(),
                      "field_leader"};
  json enrolled = find_upsert(world.pull_all(device, 0), "device", device_id);
  REQUIRE(enrolled.is_object());
  CHECK(enrolled["values"]["user_id"] == device.user_id);
  CHECK(enrolled["unit_id"] == device.unit_id);

  const StoreDump before = world.dump();
  const HttpResult wrong = world.login_raw("leader_a", "not-the-password", world.new_id());
  world.check_refused(wrong, 401, "bad_credentials", before);
  const HttpResult unknown = world.login_raw("nobody", "not-the-password", world.new_id());
  world.check_refused(unknown, 401, "bad_credentials", before);
  // The two are not told apart.
  CHECK(unknown.body == wrong.body);
  CHECK(unknown.headers.count("retry-after") == 0);

  // A device id that is not a UUID is refused before any password is checked.
  world.check_refused(world.login_raw("leader_a", kUserPassword, "tablet-7"), 400,
                      "invalid_device_id", before);
}

TEST_CASE("api login: a user added without --password-iterations gets the production cost") {
  ApiWorld world({});
  setenv("FIELDSYNC_USER_PASSWORD", kUserPassword, 1);
  world.admin({"user", "add", "--login", "prod_cost", "--name", "Production Cost", "--role",
               "field_leader", "--unit", "Plant"});
  {
    sqlite::OpenOptions read_only;
    read_only.read_only = true;
    sqlite::Database db =
        sqlite::Database::open(world.server().data_dir() / "fieldsync.db", read_only);
    sqlite::Statement st = db.prepare("SELECT iterations FROM credentials WHERE login = ?1");
    st.bind(1, "prod_cost");
    REQUIRE(st.step());
    CHECK(st.column_int64(0) == 600'000);
    CHECK(server::kDefaultPasswordIterations == 600'000);
  }
  CHECK(world.login_raw("prod_cost", kUserPassword, world.new_id()).status == 200);
  const StoreDump before = world.dump();
  world.check_refused(world.login_raw("prod_cost", "not-the-password", world.new_id()), 401,
                      "bad_credentials", before);
}

TEST_CASE("api login: 5 failures throttle the login and the device with 429 and Retry-After") {
  ApiWorld world({kLeaderA, kLeaderB});
  const std::string device_id = world.new_id();
  const StoreDump before = world.dump();
  for (int i = 0; i < 5; ++i) {
    CAPTURE(i);
    world.check_refused(world.login_raw("leader_a", "wrong-" + std::to_string(i), device_id), 401,
                        "bad_credentials", before);
  }
  // The right password no longer helps: not checked at all while throttled.
  const HttpResult by_login = world.login_raw("leader_a", kUserPassword, world.new_id());
  world.check_refused(by_login, 429, "throttled", before);
  const std::string retry_after = by_login.header("retry-after");
  REQUIRE(!retry_after.empty());
  CHECK(std::stoi(retry_after) >= 1);
  CHECK(std::stoi(retry_after) <= 15 * 60);
  // The device that failed is throttled too, for another login.
  const HttpResult by_device = world.login_raw("leader_b", kUserPassword, device_id);
  world.check_refused(by_device, 429, "throttled", before);
  CHECK(!by_device.header("retry-after").empty());
  // Another login on another device is not.
  CHECK(world.login("leader_b").user_id == world.user_id("leader_b"));
}

TEST_CASE("api revoked device: its next call is 403 device_revoked, other devices go on") {
  ApiWorld world({kLeaderA, kLeaderB});
  const Device revoked = world.login("leader_a");
  const Device same_user = world.login("leader_a");
  const Device other_user = world.login("leader_b");
  world.admin({"device", "revoke", "--id", revoked.device_id});

  const StoreDump before = world.dump();
  world.check_refused(world.pull_raw(revoked, 0), 403, "device_revoked", before);
  world.check_refused(world.push_raw(revoked, one_case_push(world, revoked)), 403, "device_revoked",
                      before);
  world.check_refused(world.login_raw("leader_a", kUserPassword, revoked.device_id), 403,
                      "device_revoked", before);

  CHECK(world.pull_raw(same_user, 0).status == 200);
  CHECK(world.pull_raw(other_user, 0).status == 200);
  json results =
      world.push(same_user, {world.create_case(same_user, world.new_id(), same_user.unit_id)});
  CHECK(results[0]["status"] == "accepted");
}

TEST_CASE("api expired token: 401 token_expired once --token-ttl has passed") {
  ApiWorld world({kLeaderA}, {"--token-ttl", "1"});
  const Device device = world.login("leader_a");
  // The token works until its second has passed; wait for that (at most 10 s), not for a guess.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (world.pull_raw(device, 0).status == 200 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const StoreDump before = world.dump();
  world.check_refused(world.pull_raw(device, 0), 401, "token_expired", before);
  world.check_refused(world.push_raw(device, one_case_push(world, device)), 401, "token_expired",
                      before);
}

TEST_CASE("api disabled user: 403 user_disabled on every call and on sign-in; others go on") {
  ApiWorld world({kLeaderA, kLeaderB});
  const Device disabled = world.login("leader_a");
  const Device other = world.login("leader_b");
  world.admin({"user", "disable", "--login", "leader_a"});

  const StoreDump before = world.dump();
  world.check_refused(world.pull_raw(disabled, 0), 403, "user_disabled", before);
  world.check_refused(world.push_raw(disabled, one_case_push(world, disabled)), 403,
                      "user_disabled", before);
  world.check_refused(world.login_raw("leader_a", kUserPassword, disabled.device_id), 403,
                      "user_disabled", before);
  CHECK(world.pull_raw(other, 0).status == 200);

  // Signing out ends the other user's token: sign in again.
  const HttpResult logout =
      world.http().post(world.url("/v1/auth/logout"), "{}", ApiWorld::auth_json(other));
  CHECK(logout.status == 200);
  const StoreDump signed_out = world.dump();
  world.check_refused(world.pull_raw(other, 0), 401, "token_invalid", signed_out);
}

}  // namespace fieldsync::testing
