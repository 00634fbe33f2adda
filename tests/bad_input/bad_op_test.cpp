// Bad ops inside an otherwise valid push: each is answered "rejected" with its documented
// problem (field, code), and the store's checksum is unchanged.
#include <string>

#include <doctest/doctest.h>

#include "bad_input_ledger.h"
#include "bad_input_world.h"

namespace fieldsync::testing {

TEST_CASE("bad op structure: ids, kinds, stamps, members, numbers, schema versions") {
  BadInputWorld world;
  const Device& a = world.a();
  const auto with = [&](const std::string& member, const json& value) {
    json op = world.good_case(a);
    op[member] = value;
    return op;
  };

  world.rejected("upper-case UUID", a, {with("id", "0192F3A4-5B6C-7D8E-9F01-23456789ABCD")}, 0,
                 "id", "invalid_uuid");
  world.rejected("unknown op kind", a, {with("kind", "upsert")}, 0, "kind", "unknown_kind");
  world.rejected("HLC not a stamp", a, {with("hlc", "yesterday")}, 0, "hlc", "invalid_hlc");
  json missing = world.good_case(a);
  missing.erase("hlc");
  world.rejected("missing op member", a, {missing}, 0, "hlc", "missing");
  world.rejected("unknown op member", a, {with("priority", 1)}, 0, "priority", "unknown_member");
  world.rejected("op member of the wrong type", a, {with("base_version", "12")}, 0, "base_version",
                 "wrong_type");
  world.rejected("base_version beyond 64 bits", a,
                 {with("base_version", json(std::uint64_t{18446744073709551615ULL}))}, 0,
                 "base_version", "out_of_range");
  world.rejected("negative base_version", a, {with("base_version", -3)}, 0, "base_version",
                 "negative");
  world.rejected("schema version 0", a, {with("schema_version", 0)}, 0, "schema_version",
                 "bad_schema_version");
  world.rejected("schema version as text", a, {with("schema_version", "2")}, 0, "schema_version",
                 "wrong_type");
  world.rejected("op not an object", a, {json("an op")}, 0, "", "not_object");
  world.rejected("fields not an object", a, {with("fields", json::array())}, 0, "fields",
                 "fields_not_object");
  json many = world.good_case(a);
  for (int i = 0; i < 300; ++i) many["fields"]["f" + std::to_string(i)] = i;
  world.rejected("too many fields", a, {many}, 0, "fields", "too_many_fields");
  json deep = json::array();
  for (int i = 0; i < 2000; ++i) deep = json::array({deep});
  json nested = world.good_case(a);
  nested["fields"]["summary"] = deep;
  world.rejected("field nested too deep", a, {nested}, 0, "fields.summary", "too_deep");
  {
    // 100,000 levels, written as text: building or printing such a document recursively would
    // overflow this test's own stack. The server reads it without recursing and refuses it.
    INFO("bad input: field nested 100,000 deep");
    const std::string before = world.checksum();
    std::string body = BadInputWorld::body_of({world.good_case(a)}).dump();
    body.insert(body.find("\"fields\":{") + 10,
                "\"summary\":" + std::string(100'000, '[') + std::string(100'000, ']') + ",");
    const HttpResult result =
        world.http().post(world.url("/v1/sync/push"), body, ApiWorld::auth_json(a));
    REQUIRE(result.status == 200);
    const json answer = result.json().at("results").at(0);
    CHECK(answer["status"] == "rejected");
    CHECK(problem_at(answer, "fields.summary")["code"] == "too_deep");
    CHECK(world.checksum() == before);
    BadInputLedger::instance().record("field nested 100,000 deep");
  }
  json huge = world.good_case(a);
  huge["fields"]["summary"] = std::string(300 * 1024, 'x');
  world.rejected("field value over 256 KiB", a, {huge}, 0, "fields.summary", "too_large");
}

TEST_CASE("bad op content: model, types, sizes, units, rows, authors, roles, states") {
  BadInputWorld world;
  ApiWorld& api = world.api();
  const Device& a = world.a();
  const Device& b = world.b();
  const auto field = [&](const std::string& name, const json& value) {
    json op = world.good_case(a);
    op["fields"][name] = value;
    return op;
  };
  // A case of Unit B, and one of Unit A, both accepted before the bad input starts.
  const std::string case_b = api.new_id();
  REQUIRE(api.push(b, {api.create_case(b, case_b, b.unit_id)})[0]["status"] == "accepted");
  const std::string case_a = api.new_id();
  REQUIRE(api.push(a, {api.create_case(a, case_a, a.unit_id)})[0]["status"] == "accepted");

  world.rejected(
      "unknown entity", a,
      {encode_op(api.make_op(a, "complaint", api.new_id(), OpKind::create, {{"title", "Noise"}}))},
      0, "entity", "unknown_entity");
  world.rejected("unknown field", a, {field("colour", "red")}, 0, "fields.colour", "unknown_field");
  world.rejected("field of the wrong type", a, {field("title", 42)}, 0, "fields.title",
                 "wrong_type");
  world.rejected("integer field out of range", a, {field("headcount", 1'000'000'000'000LL)}, 0,
                 "fields.headcount", "out_of_range");
  world.rejected("huge number in an integer field", a, {field("headcount", 1e300)}, 0,
                 "fields.headcount", "wrong_type");
  world.rejected("string field too long", a, {field("title", std::string(201, 't'))}, 0,
                 "fields.title", "too_long");
  world.rejected("value not allowed", a, {field("channel", "carrier_pigeon")}, 0, "fields.channel",
                 "not_allowed_value");
  world.rejected("server-only field", a, {field("office_kind_flags", {{"add", {"repeat"}}})}, 0,
                 "fields.office_kind_flags", "server_field");
  world.rejected("forged unit id", a, {field("unit_id", api.new_id())}, 0, "fields.unit_id",
                 "unknown_unit");
  world.rejected("case put in another unit", a, {field("unit_id", b.unit_id)}, 0, "fields.unit_id",
                 "unknown_unit");
  world.rejected(
      "update of another unit's row", a,
      {encode_op(api.make_op(a, "case", case_b, OpKind::update, {{"title", "Mine now"}}, 1))}, 0,
      "id", "unknown_row");
  world.rejected("visit to another unit's case", a,
                 {encode_op(api.create_visit(a, api.new_id(), case_b))}, 0, "fields.case_id",
                 "unknown_row");
  json forged_user = world.good_case(a);
  forged_user["user_id"] = b.user_id;
  world.rejected("forged user id", a, {forged_user}, 0, "user_id", "not_your_op");
  json forged_device = world.good_case(a);
  forged_device["device_id"] = b.device_id;
  world.rejected("forged device id", a, {forged_device}, 0, "user_id", "not_your_op");
  world.rejected("case delete by a field leader", a,
                 {encode_op(api.make_op(a, "case", case_a, OpKind::remove, json::object(), 1))}, 0,
                 "kind", "forbidden");
  world.rejected(
      "status jump the workflow forbids", a,
      {encode_op(api.make_op(a, "case", case_a, OpKind::update, {{"status", "closed"}}, 1))}, 0,
      "fields.status", "transition_not_allowed");
  world.rejected("create over an existing row", a,
                 {encode_op(api.create_case(a, case_a, a.unit_id))}, 0, "id", "exists");
}

}  // namespace fieldsync::testing
