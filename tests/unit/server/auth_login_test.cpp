#include <doctest/doctest.h>

#include <chrono>

#include "auth_fixture.h"
#include "fieldsync/server/server_identity.h"

namespace fieldsync::server::testing {
namespace {

struct LoginFixture : ServerFixture {
  std::string unit_a = admin.add_unit("Unit A", "unit", "Plant").id;
  UserRecord wang = add_user("wang", "Plant/Unit A");
  UserRecord li = add_user("li", "Plant/Unit A");
};

TEST_CASE_FIXTURE(LoginFixture, "a good login returns a fresh token for the user and device") {
  const LoginResult result = login("wang", "w1");
  CHECK(result.token.size() == 43);
  CHECK(result.user_id == wang.id);
  CHECK(result.unit_id == unit_a);
  CHECK(result.role == "field_leader");
  CHECK(result.expires_at_ms == kStartMs + fast_policy().token_ttl_ms);
  CHECK(fast_policy().token_ttl_ms == std::int64_t{30} * 24 * 3600 * 1000);

  const Session session = auth.authenticate(result.token, clock.now_ms());
  CHECK(session.user_id == wang.id);
  CHECK(session.device_id == device_id("w1"));
  CHECK(session.unit_id == unit_a);
  CHECK(session.role == "field_leader");
  CHECK(session.login == "wang");
  CHECK(login("wang", "w1").token != result.token);  // each login makes a new token
}

TEST_CASE_FIXTURE(LoginFixture, "the first login enrols the device through a server op") {
  login("wang", "w1");
  const std::string id = device_id("w1");
  CHECK(query_text(db, "SELECT user_id FROM entity_device WHERE id = '" + id + "'") == wang.id);
  CHECK(query_text(db, "SELECT unit_id FROM entity_device WHERE id = '" + id + "'") == unit_a);
  // Made by the server's authority, logged, versioned and in the change index (so it syncs).
  CHECK(query_text(db,
                   "SELECT device_id FROM op_log WHERE entity = 'device' AND kind = 'create'"
                   " AND row_id = '" +
                       id + "'") == server_device_id());
  CHECK(query_int(db, "SELECT version FROM entity_device WHERE id = '" + id + "'") > 0);
  CHECK(query_int(db, "SELECT COUNT(*) FROM change_index WHERE entity = 'device' AND row_id = '" +
                          id + "'") == 1);
}

TEST_CASE_FIXTURE(LoginFixture, "a wrong password and an unknown login both give bad_credentials") {
  const std::string before = query_text(db, "SELECT COUNT(*) FROM tokens");
  CHECK(login_error("wang", "w1", "not-it") == "bad_credentials");
  CHECK(login_error("nobody", "w1", "pw-nobody") == "bad_credentials");
  CHECK(login_error("", "w1", "x") == "bad_credentials");
  CHECK(query_text(db, "SELECT COUNT(*) FROM tokens") == before);
  CHECK(query_int(db, "SELECT COUNT(*) FROM entity_device") == 0);  // nothing enrolled
  CHECK(query_int(db, "SELECT COUNT(*) FROM login_failures") == 3);
}

TEST_CASE_FIXTURE(LoginFixture, "an unknown login costs about as much as a wrong password") {
  AuthPolicy slow = fast_policy();
  slow.password_iterations = 200'000;
  slow.max_failures = 1000;
  // The stored hash now takes as long to check as a real one would at the slow cost.
  db.exec("UPDATE credentials SET iterations = 200000 WHERE login = 'wang'");
  Authenticator slow_auth(db, embedded_model(), random, slow);
  auto time_ms = [&](const std::string& who) {
    const auto start = std::chrono::steady_clock::now();
    CHECK(error_code([&] {
            slow_auth.login({who, "wrong", device_id("t"), ""}, clock.now_ms());
          }) == "bad_credentials");
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
  };
  const double wrong_password = time_ms("wang");
  const double unknown_login = time_ms("nobody");
  INFO("wrong password " << wrong_password << " ms, unknown login " << unknown_login << " ms");
  CHECK(unknown_login > wrong_password * 0.3);
}

TEST_CASE_FIXTURE(LoginFixture, "a device enrolled to another user is refused: device_mismatch") {
  login("wang", "w1");
  const std::string before = dump();
  CHECK(login_error("li", "w1") == "device_mismatch");
  CHECK(dump() == before);  // no token, no device change
  CHECK(login("li", "l1").user_id == li.id);
}

TEST_CASE_FIXTURE(LoginFixture, "device ids must be UUIDs and never the server's own") {
  CHECK(error_code([&] {
          auth.login({"wang", "pw-wang", "tablet-7", ""}, clock.now_ms());
        }) == "invalid_device_id");
  CHECK(error_code([&] {
          auth.login({"wang", "pw-wang", server_device_id(), ""}, clock.now_ms());
        }) == "invalid_device_id");
  CHECK(error_code([&] {
          auth.login({"wang", "pw-wang", device_id("w1"), std::string(201, 'x')}, clock.now_ms());
        }) == "invalid_device_name");
}

TEST_CASE_FIXTURE(LoginFixture, "five failures throttle the login, even with the right password") {
  for (int i = 0; i < 5; ++i) {
    CHECK(login_error("wang", "w1", "wrong") == "bad_credentials");
    clock.advance(kMinute);
  }
  const auto e = thrown_error([&] { login("wang", "w1"); });
  REQUIRE(e);
  CHECK(e->code() == "throttled");
  CHECK(e->domain() == ErrorDomain::auth);
  // From another device too: the login itself is throttled.
  CHECK(login_error("wang", "w2") == "throttled");
  // The first failure (at 0) leaves the 15-minute window at 15 min; it is now 5 min.
  try {
    login("wang", "w1");
    FAIL("expected throttled");
  } catch (const ThrottledError& throttled) {
    CHECK(throttled.retry_after_seconds() == 10 * 60);
  }
  // Other logins are not affected.
  CHECK(login("li", "l1").user_id == li.id);

  clock.set(kStartMs + 15 * kMinute - 1);
  CHECK(login_error("wang", "w1") == "throttled");
  clock.set(kStartMs + 15 * kMinute);
  CHECK(login("wang", "w1").user_id == wang.id);
}

TEST_CASE_FIXTURE(LoginFixture, "a throttled attempt does not check the password") {
  for (int i = 0; i < 5; ++i) CHECK(login_error("wang", "w1", "wrong") == "bad_credentials");
  // A wrong password while throttled answers throttled, not bad_credentials, and is not counted.
  CHECK(login_error("wang", "w1", "wrong again") == "throttled");
  CHECK(query_int(db, "SELECT COUNT(*) FROM login_failures WHERE login = 'wang'") == 5);
}

TEST_CASE_FIXTURE(LoginFixture, "five failures from one device throttle that device") {
  for (const char* who : {"a", "b", "c", "d", "e"})
    CHECK(login_error(who, "stolen", "guess") == "bad_credentials");
  CHECK(login_error("wang", "stolen") == "throttled");
  CHECK(login("wang", "w1").user_id == wang.id);  // the login from another device is fine
}

TEST_CASE_FIXTURE(LoginFixture, "a successful login clears the login's failures") {
  for (int i = 0; i < 4; ++i) CHECK(login_error("wang", "w1", "wrong") == "bad_credentials");
  login("wang", "w1");
  for (int i = 0; i < 4; ++i) CHECK(login_error("wang", "w1", "wrong") == "bad_credentials");
  CHECK(login("wang", "w1").user_id == wang.id);  // 4 < 5: not throttled
  for (int i = 0; i < 5; ++i) CHECK(login_error("wang", "w1", "wrong") == "bad_credentials");
  CHECK(login_error("wang", "w1") == "throttled");
}

}  // namespace
}  // namespace fieldsync::server::testing
