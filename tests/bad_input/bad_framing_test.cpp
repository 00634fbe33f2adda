// Bad requests the server refuses whole before looking at any op: broken JSON, invalid UTF-8,
// deep nesting, wrong shapes and types, huge numbers, oversized bodies, wrong methods, paths and
// content types. Each answer is checked, and the store's checksum is unchanged.
#include <string>

#include <doctest/doctest.h>

#include "bad_input_world.h"

namespace fieldsync::testing {

TEST_CASE("bad push bodies: broken JSON, invalid UTF-8, nesting, shapes, types, numbers") {
  BadInputWorld world;
  const Device& a = world.a();
  const std::string push = world.url("/v1/sync/push");
  const std::string good = BadInputWorld::body_of({world.good_case(a)}).dump();
  const auto post = [&](const std::string& body) {
    return
        [&world, &a, push, body] { return world.http().post(push, body, ApiWorld::auth_json(a)); };
  };

  world.refused("truncated JSON", post(good.substr(0, good.size() / 2)), 400, "invalid_json");
  world.refused("JSON with trailing garbage", post(good + " x"), 400, "invalid_json");
  world.refused("empty body", post(""), 400, "invalid_json");
  std::string bad_utf8 = good;
  bad_utf8.replace(bad_utf8.find("Allowance"), 9, "Allow\xC3\x28\xFF\xFE");
  world.refused("invalid UTF-8 in a string", post(bad_utf8), 400, "invalid_json");
  std::string surrogate = good;
  surrogate.replace(surrogate.find("Allowance"), 9, "\\ud800");
  world.refused("lone UTF-16 surrogate escape", post(surrogate), 400, "invalid_json");
  // 100,000 levels deep: parsed without recursion, then refused as not an object.
  world.refused("deeply nested body", post(std::string(100'000, '[') + std::string(100'000, ']')),
                400, "bad_request");
  world.refused("body not an object", post("[]"), 400, "bad_request");
  world.refused("ops not an array", post(R"({"cursor": 0, "ops": {}})"), 400, "bad_request");
  world.refused("ops missing", post(R"({"cursor": 0})"), 400, "bad_request");
  world.refused("cursor of the wrong type", post(R"({"cursor": "0", "ops": []})"), 400,
                "bad_request");
  world.refused("negative cursor", post(R"({"cursor": -1, "ops": []})"), 400, "bad_request");
  world.refused("cursor beyond 64 bits", post(R"({"cursor": 18446744073709551616, "ops": []})"),
                400, "bad_request");
  world.refused("number beyond double range", post(R"({"cursor": 1e999, "ops": []})"), 400,
                "invalid_json");
  world.refused("unknown member in the body", post(R"({"cursor": 0, "ops": [], "force": true})"),
                400, "bad_request");
  // A repeated member is ambiguous (parsers disagree on which copy wins): refused whole.
  std::string twice = good;
  twice.replace(twice.find("\"user_id\""), 9,
                "\"user_id\":\"" + world.b().user_id + "\",\"user_id\"");
  world.refused("repeated member name", post(twice), 400, "duplicate_member");
  world.refused(
      "batch over 500 ops",
      [&] {
        json batch = BadInputWorld::body_of({});
        const json op = world.good_case(a);
        for (int i = 0; i < 501; ++i) batch["ops"].push_back(op);
        return world.http().post(push, batch.dump(), ApiWorld::auth_json(a));
      },
      413, "batch_too_large");
}

TEST_CASE("bad framing: sizes, content types, methods, paths") {
  BadInputWorld world({"--max-body", "65536"});
  const Device& a = world.a();
  HttpClient& http = world.http();
  const std::string push = world.url("/v1/sync/push");
  const std::string good = BadInputWorld::body_of({world.good_case(a)}).dump();

  json big = BadInputWorld::body_of({world.good_case(a)});
  big["ops"][0]["fields"]["summary"] = std::string(70'000, 'x');
  world.refused(
      "body over the size limit",
      [&] { return http.post(push, big.dump(), ApiWorld::auth_json(a)); }, 413, "body_too_large");
  world.refused(
      "chunked body without Content-Length",
      [&] { return http.post_chunked(push, good, ApiWorld::auth_json(a)); }, 411,
      "length_required");
  world.refused(
      "content type not JSON",
      [&] {
        return http.post(push, good,
                         {{"Authorization", "Bearer " + a.token}, {"Content-Type", "text/plain"}});
      },
      415, "unsupported_media_type");
  world.refused(
      "no content type",
      [&] {
        return http.post(push, good, {{"Authorization", "Bearer " + a.token}});
      },
      415, "unsupported_media_type");
  world.refused(
      "wrong method", [&] { return http.request("PUT", push, &good, ApiWorld::auth_json(a)); }, 405,
      "method_not_allowed");
  world.refused(
      "unknown path",
      [&] { return http.post(world.url("/v1/sync/pushh"), good, ApiWorld::auth_json(a)); }, 404,
      "not_found");
  world.refused(
      "unknown protocol version",
      [&] { return http.post(world.url("/v2/sync/push"), good, ApiWorld::auth_json(a)); }, 404,
      "not_found");
  world.refused(
      "pull cursor not a number",
      [&] {
        return http.get(world.url("/v1/sync/pull?cursor=abc"),
                        {{"Authorization", "Bearer " + a.token}});
      },
      400, "bad_request");
  world.refused(
      "pull cursor beyond 64 bits",
      [&] {
        return http.get(world.url("/v1/sync/pull?cursor=99999999999999999999999"),
                        {{"Authorization", "Bearer " + a.token}});
      },
      400, "bad_request");
}

}  // namespace fieldsync::testing
