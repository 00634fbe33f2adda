// Refused requests and rejected ops against the real fieldsync-server: each answer's status and
// error code, and that nothing of a refused request reached the store.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "api_world.h"

namespace fieldsync::testing {
namespace {

// The problem in `answer` with this field, or null.
json problem_at(const json& answer, const std::string& field) {
  if (!answer.is_object()) return json();
  for (const auto& p : answer.value("problems", json::array()))
    if (p["field"] == field) return p;
  return json();
}

}  // namespace

TEST_CASE("api HTTP errors: bad JSON, content type, route, method, token, batch size") {
  ApiWorld world({kLeaderA});
  const Device device = world.login("leader_a");
  HttpClient& http = world.http();
  const std::string push = world.url("/v1/sync/push");
  json good = {{"cursor", 0},
               {"ops", {encode_op(world.create_case(device, world.new_id(), device.unit_id))}}};
  const StoreDump before = world.dump();

  world.check_refused(http.post(push, R"({"cursor": 0, "ops": [)", ApiWorld::auth_json(device)),
                      400, "invalid_json", before);
  world.check_refused(
      http.post(push, good.dump(),
                {{"Authorization", "Bearer " + device.token}, {"Content-Type", "text/plain"}}),
      415, "unsupported_media_type", before);
  world.check_refused(http.post(push, good.dump(), {{"Authorization", "Bearer " + device.token}}),
                      415, "unsupported_media_type", before);
  world.check_refused(world.push_raw(device, json::array()), 400, "bad_request", before);
  world.check_refused(world.push_raw(device, {{"cursor", 0}}), 400, "bad_request", before);

  world.check_refused(http.get(world.url("/v1/sync/nothing")), 404, "not_found", before);
  world.check_refused(
      http.post(world.url("/v2/sync/push"), good.dump(), ApiWorld::auth_json(device)), 404,
      "not_found", before);
  const HttpResult get_push = http.get(push, {{"Authorization", "Bearer " + device.token}});
  world.check_refused(get_push, 405, "method_not_allowed", before);
  CHECK(get_push.header("allow") == "POST");
  const HttpResult post_pull =
      http.post(world.url("/v1/sync/pull"), good.dump(), ApiWorld::auth_json(device));
  world.check_refused(post_pull, 405, "method_not_allowed", before);
  CHECK(post_pull.header("allow") == "GET");

  const HttpResult delete_push =
      http.request("DELETE", push, nullptr, {{"Authorization", "Bearer " + device.token}});
  world.check_refused(delete_push, 405, "method_not_allowed", before);
  CHECK(delete_push.header("allow") == "POST");
  world.check_refused(world.pull_raw(device, -1), 400, "bad_request", before);
  world.check_refused(http.get(world.url("/v1/sync/pull?cursor=0&limit=ten"),
                               {{"Authorization", "Bearer " + device.token}}),
                      400, "bad_request", before);
  // Sign-in takes JSON with login, password and device_id.
  const std::string login = world.url("/v1/auth/login");
  world.check_refused(http.post(login, "login=leader_a", {{"Content-Type", "text/plain"}}), 415,
                      "unsupported_media_type", before);
  world.check_refused(http.post(login, "{", {{"Content-Type", "application/json"}}), 400,
                      "invalid_json", before);
  world.check_refused(
      http.post(login, R"({"login": "leader_a"})", {{"Content-Type", "application/json"}}), 400,
      "bad_request", before);

  world.check_refused(http.get(world.url("/v1/sync/pull?cursor=0")), 401, "token_missing", before);
  world.check_refused(http.post(push, good.dump(), {{"Content-Type", "application/json"}}), 401,
                      "token_missing", before);
  world.check_refused(http.get(world.url("/v1/sync/snapshot")), 401, "token_missing", before);
  Device forged = device;
  forged.token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  world.check_refused(world.pull_raw(forged, 0), 401, "token_invalid", before);
  world.check_refused(world.push_raw(forged, good), 401, "token_invalid", before);

  // 501 good ops: the whole batch is refused; 500 go through.
  json batch = {{"cursor", 0}, {"ops", json::array()}};
  for (int i = 0; i < 501; ++i)
    batch["ops"].push_back(encode_op(world.create_case(device, world.new_id(), device.unit_id)));
  world.check_refused(world.push_raw(device, batch), 413, "batch_too_large", before);
  batch["ops"].erase(batch["ops"].size() - 1);
  const HttpResult full = world.push_raw(device, batch);
  REQUIRE(full.status == 200);
  CHECK(full.json()["results"].size() == 500);
  CHECK(full.json()["results"][499]["status"] == "accepted");
}

TEST_CASE("api body over --max-body: 413 body_too_large, and the store is unchanged") {
  ApiWorld world({kLeaderA}, {"--max-body", "2048"});
  const Device device = world.login("leader_a");
  std::vector<Op> ops;
  for (int i = 0; i < 8; ++i)
    ops.push_back(world.create_case(device, world.new_id(), device.unit_id));
  json body = {{"cursor", 0}, {"ops", json::array()}};
  for (const Op& op : ops) body["ops"].push_back(encode_op(op));
  REQUIRE(body.dump().size() > 2048);

  const StoreDump before = world.dump();
  world.check_refused(world.push_raw(device, body), 413, "body_too_large", before);
  // One of those ops alone fits and is applied.
  CHECK(world.push(device, {ops[0]})[0]["status"] == "accepted");
  // The edge's own refusal is counted like every other answer.
  const HttpResult metrics = world.http().get(world.url("/metrics"));
  REQUIRE(metrics.status == 200);
  CHECK(metrics.body.find("fieldsync_requests_total{route=\"push\",status=\"413\"} 1") !=
        std::string::npos);
}

TEST_CASE("api content type: application/json exactly, in any case, charset utf-8 at most") {
  ApiWorld world({kLeaderA});
  const Device device = world.login("leader_a");
  HttpClient& http = world.http();
  const std::string push = world.url("/v1/sync/push");
  const auto body = [&] {
    return json{{"cursor", 0},
                {"ops", {encode_op(world.create_case(device, world.new_id(), device.unit_id))}}}
        .dump();
  };
  const auto as = [&](const std::string& type) {
    return Headers{{"Authorization", "Bearer " + device.token}, {"Content-Type", type}};
  };
  const StoreDump before = world.dump();
  for (const char* refused :
       {"application/jsonp", "application/json5", "application/json-seq", "text/json",
        "application/json; charset=latin1", "application/json; profile=x", "application/ json"}) {
    CAPTURE(refused);
    world.check_refused(http.post(push, body(), as(refused)), 415, "unsupported_media_type",
                        before);
  }
  for (const char* taken : {"application/json", "Application/JSON", "APPLICATION/JSON",
                            "application/json; charset=utf-8", "application/json;charset=UTF-8",
                            "application/json; charset=\"utf-8\""}) {
    CAPTURE(taken);
    const HttpResult answer = http.post(push, body(), as(taken));
    CHECK(answer.status == 200);
    CHECK(answer.json()["results"][0]["status"] == "accepted");
  }

  // Logout takes no body or a JSON object; anything else is refused and the token stays valid.
  const std::string logout = world.url("/v1/auth/logout");
  CHECK(http.post(logout, "not json", as("application/json")).status == 400);
  CHECK(http.post(logout, "[1]", as("application/json")).status == 400);
  CHECK(http.post(logout, "{}", as("text/plain")).status == 415);
  CHECK(world.pull_raw(device, 0).status == 200);
  CHECK(http.post(logout, "", {{"Authorization", "Bearer " + device.token}}).status == 200);
  CHECK(world.pull_raw(device, 0).status == 401);
}

TEST_CASE(
    "api rejected ops: unknown entity or field, not your op, a malformed op among good ones") {
  ApiWorld world({kLeaderA});
  const Device device = world.login("leader_a");

  // Alone, the bad ops change nothing.
  const Op unknown_entity =
      world.make_op(device, "complaint", world.new_id(), OpKind::create, {{"title", "Noise"}});
  Op unknown_field = world.create_case(device, world.new_id(), device.unit_id);
  unknown_field.fields["colour"] = "red";
  json malformed = encode_op(world.create_case(device, world.new_id(), device.unit_id));
  malformed["hlc"] = "yesterday";
  malformed["priority"] = 1;
  malformed.erase("schema_version");
  Op not_mine = world.create_case(device, world.new_id(), device.unit_id);
  not_mine.device_id = world.new_id();

  const StoreDump before = world.dump();
  const HttpResult alone = world.push_raw(
      device,
      {{"cursor", 0},
       {"ops",
        {encode_op(unknown_entity), encode_op(unknown_field), malformed, encode_op(not_mine)}}});
  REQUIRE(alone.status == 200);
  json answers = alone.json()["results"];
  REQUIRE(answers.size() == 4);
  for (json a : answers) CHECK(a["status"] == "rejected");
  CHECK(answers[0]["op_id"] == unknown_entity.op_id);
  CHECK(problem_at(answers[0], "entity")["code"] == "unknown_entity");
  CHECK(answers[1]["problems"].size() == 1);
  CHECK(problem_at(answers[1], "fields.colour")["code"] == "unknown_field");
  CHECK(answers[2]["op_id"] == malformed["op_id"]);
  CHECK(answers[2]["problems"].size() == 3);
  CHECK(problem_at(answers[2], "hlc")["code"] == "invalid_hlc");
  CHECK(problem_at(answers[2], "priority")["code"] == "unknown_member");
  CHECK(problem_at(answers[2], "schema_version")["code"] == "missing");
  CHECK(problem_at(answers[3], "user_id")["code"] == "not_your_op");
  world.check_unchanged(before);

  // A field value over 256 KiB is refused as too large.
  Op huge = world.create_case(device, world.new_id(), device.unit_id);
  huge.fields["summary"] = std::string(300 * 1024, 'x');
  json too_large = world.push(device, {huge});
  CHECK(too_large[0]["status"] == "rejected");
  CHECK(problem_at(too_large[0], "fields.summary")["code"] == "too_large");
  world.check_unchanged(before);

  // Among good ops, only the malformed one is refused.
  const std::string case_id = world.new_id();
  const std::string visit_id = world.new_id();
  json bad = encode_op(world.create_case(device, world.new_id(), device.unit_id));
  bad["base_version"] = -3;
  bad["fields"] = "not an object";
  Op ahead = world.create_visit(device, visit_id, case_id);
  ahead.hlc.wall_ms += 60 * 60 * 1000;  // an hour ahead of the server: clamped, still applied
  const HttpResult mixed = world.push_raw(
      device,
      {{"cursor", 0},
       {"ops",
        {encode_op(world.create_case(device, case_id, device.unit_id)), bad, encode_op(ahead)}}});
  REQUIRE(mixed.status == 200);
  json results = mixed.json()["results"];
  REQUIRE(results.size() == 3);
  CHECK(results[0]["status"] == "accepted");
  CHECK(results[1]["status"] == "rejected");
  CHECK(results[1]["op_id"] == bad["op_id"]);
  CHECK(problem_at(results[1], "base_version")["code"] == "negative");
  CHECK(problem_at(results[1], "fields")["code"] == "fields_not_object");
  CHECK(results[2]["status"] == "accepted");
  CHECK(results[2]["hlc_clamped"] == true);
  CHECK(results[0].count("hlc_clamped") == 0);
  const std::vector<json> changes = world.pull_all(device, 0);
  CHECK(find_upsert(changes, "case", case_id).is_object());
  CHECK(find_upsert(changes, "visit", visit_id).is_object());
  CHECK(find_upsert(changes, "case", bad["id"].get<std::string>()).is_null());
}

}  // namespace fieldsync::testing
