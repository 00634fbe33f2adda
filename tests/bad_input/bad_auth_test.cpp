// Bad sign-ins, missing, forged and signed-out tokens, and snapshot tokens of another unit
// ("someone else's cursor"): each refused with its documented answer, the store unchanged.
#include <string>

#include <doctest/doctest.h>

#include "bad_input_world.h"

namespace fieldsync::testing {
namespace {

HttpResult post_json(HttpClient& http, const std::string& url, const json& body) {
  return http.post(url, body.dump(), {{"Content-Type", "application/json"}});
}

}  // namespace

TEST_CASE("bad tokens and sign-ins") {
  BadInputWorld world;
  ApiWorld& api = world.api();
  HttpClient& http = world.http();
  const Device& a = world.a();
  const std::string push = world.url("/v1/sync/push");
  const std::string good = BadInputWorld::body_of({world.good_case(a)}).dump();
  const std::string login = world.url("/v1/auth/login");

  world.refused(
      "missing token",
      [&] {
        return http.post(push, good, {{"Content-Type", "application/json"}});
      },
      401, "token_missing");
  world.refused(
      "Authorization not Bearer",
      [&] {
        return http.post(push, good,
                         {{"Content-Type", "application/json"},
                          {"Authorization", "Basic bGVhZGVyX2E6c2VjcmV0"}});
      },
      401, "token_missing");
  Device forged = a;
  forged.token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  world.refused(
      "forged token", [&] { return http.post(push, good, ApiWorld::auth_json(forged)); }, 401,
      "token_invalid");
  forged.token = a.token + "x";
  world.refused(
      "malformed token", [&] { return http.post(push, good, ApiWorld::auth_json(forged)); }, 401,
      "token_invalid");
  const Device signed_out = api.login("leader_a");
  REQUIRE(http.post(world.url("/v1/auth/logout"), "{}", ApiWorld::auth_json(signed_out)).status ==
          200);
  world.refused(
      "signed-out token", [&] { return http.post(push, good, ApiWorld::auth_json(signed_out)); },
      401, "token_invalid");

  world.refused(
      "wrong password", [&] { return api.login_raw("leader_a", "not-the-password", api.new_id()); },
      401, "bad_credentials");
  world.refused(
      "device id not a UUID", [&] { return api.login_raw("leader_a", kUserPassword, "tablet-7"); },
      400, "invalid_device_id");
  world.refused(
      "device name too long",
      [&] {
        return post_json(http, login,
                         {{"login", "leader_a"},
                          {"password", kUserPassword},
                          {"device_id", api.new_id()},
                          {"device_name", std::string(201, 'n')}});
      },
      400, "invalid_device_name");
  world.refused(
      "login of the wrong type",
      [&] {
        return post_json(http, login,
                         {{"login", 42}, {"password", kUserPassword}, {"device_id", api.new_id()}});
      },
      400, "bad_request");
  world.refused(
      "another user's device id",
      [&] { return api.login_raw("leader_b", kUserPassword, a.device_id); }, 403,
      "device_mismatch");
}

TEST_CASE("someone else's snapshot token, and a made-up one") {
  BadInputWorld world;
  ApiWorld& api = world.api();
  HttpClient& http = world.http();
  const Device& a = world.a();
  const Device& b = world.b();
  // Enough rows in Unit B for a second snapshot page.
  for (int i = 0; i < 3; ++i)
    REQUIRE(api.push(b, {api.create_case(b, api.new_id(), b.unit_id)})[0]["status"] == "accepted");
  const HttpResult first =
      http.get(world.url("/v1/sync/snapshot?limit=2"), {{"Authorization", "Bearer " + b.token}});
  REQUIRE(first.status == 200);
  const json page = first.json();
  REQUIRE(page["more"] == true);
  std::string after;
  for (char c : page["after"].get<std::string>()) after += c == '|' ? "%7C" : std::string(1, c);
  const std::string next =
      "/v1/sync/snapshot?limit=2&cursor=" + std::to_string(page["cursor"].get<std::int64_t>()) +
      "&after=" + after;

  world.refused(
      "another unit's snapshot token",
      [&] {
        return http.get(world.url(next), {{"Authorization", "Bearer " + a.token}});
      },
      400, "bad_request");
  world.refused(
      "made-up snapshot token",
      [&] {
        return http.get(world.url("/v1/sync/snapshot?cursor=1&after=garbage"),
                        {{"Authorization", "Bearer " + a.token}});
      },
      400, "bad_request");
  // B's own token still works.
  CHECK(http.get(world.url(next), {{"Authorization", "Bearer " + b.token}}).status == 200);
}

}  // namespace fieldsync::testing
