// Replayed, reused, reordered and future ops: a replay is answered "duplicate" with the first
// answer and doubles nothing (the store's checksum is unchanged); a reused op id with other
// content, a child before its parent and an update before its create are rejected with nothing
// stored; a stamp from the future is applied clamped, so it cannot win every later edit.
#include <string>

#include <doctest/doctest.h>

#include "bad_input_ledger.h"
#include "bad_input_world.h"

namespace fieldsync::testing {
namespace {

// Pushes `ops` as `device` and returns the results; REQUIREs 200 and one result per op.
json push_wire(ApiWorld& api, const Device& device, const std::vector<json>& ops) {
  const HttpResult result = api.push_raw(device, BadInputWorld::body_of(ops));
  INFO("push: ", result.body);
  REQUIRE(result.status == 200);
  json results = result.json().at("results");
  REQUIRE(results.size() == ops.size());
  return results;
}

}  // namespace

TEST_CASE("replayed ops are answered duplicate and double nothing") {
  BadInputWorld world;
  ApiWorld& api = world.api();
  BadInputLedger& ledger = BadInputLedger::instance();
  const Device& a = world.a();
  const std::string case_id = api.new_id();
  const json create = encode_op(api.create_case(a, case_id, a.unit_id));
  const json visit = encode_op(api.create_visit(a, api.new_id(), case_id));
  const json first = push_wire(api, a, {create, visit});
  REQUIRE(first[0]["status"] == "accepted");
  REQUIRE(first[1]["status"] == "accepted");
  const std::string stored = world.checksum();

  for (int replay = 0; replay < 3; ++replay) {
    CAPTURE(replay);
    const json again = push_wire(api, a, {create, visit});
    for (int i = 0; i < 2; ++i) {
      CHECK(again[i]["status"] == "duplicate");
      CHECK(again[i]["first_status"] == "accepted");
      CHECK(again[i]["seq"] == first[i]["seq"]);
    }
    CHECK_MESSAGE(world.checksum() == stored, "a replay changed the store");
    ledger.record("replayed batch");
  }
  // Replayed one at a time, in the opposite order.
  for (const json& op : {visit, create}) {
    CHECK(push_wire(api, a, {op})[0]["status"] == "duplicate");
    CHECK_MESSAGE(world.checksum() == stored, "a replay changed the store");
    ledger.record("replayed op, reordered");
  }

  // A rejected op resent gets its first answer again; nothing is applied.
  json bad = world.good_case(a);
  bad["fields"]["colour"] = "red";
  const json rejected = push_wire(api, a, {bad})[0];
  REQUIRE(rejected["status"] == "rejected");
  const std::string after_rejection = world.checksum();
  CHECK(after_rejection == stored);
  const json resent = push_wire(api, a, {bad})[0];
  CHECK(resent["status"] == "duplicate");
  CHECK(resent["first_status"] == "rejected");
  CHECK(resent["problems"] == rejected["problems"]);
  CHECK(world.checksum() == stored);
  ledger.record("replayed rejected op");

  // The same op id with different content is not a replay.
  json reused = create;
  reused["fields"]["title"] = "Something else entirely";
  world.rejected("op id reused with other content", a, {reused}, 0, "op_id", "op_id_reused");
}

TEST_CASE("reordered ops: a child before its parent, an update before its create") {
  BadInputWorld world;
  ApiWorld& api = world.api();
  const Device& a = world.a();
  const std::string case_id = api.new_id();
  const Op create = api.create_case(a, case_id, a.unit_id);

  world.rejected("child before its parent", a,
                 {encode_op(api.create_visit(a, api.new_id(), case_id))}, 0, "fields.case_id",
                 "unknown_row");
  world.rejected(
      "update before its create", a,
      {encode_op(api.make_op(a, "case", case_id, OpKind::update, {{"title", "Early"}}, 1))}, 0,
      "id", "unknown_row");

  // In one batch: the update ahead of the create is rejected, the create applies alone.
  const Op early = api.make_op(a, "case", case_id, OpKind::update, {{"title", "Early"}}, 1);
  const json results = push_wire(api, a, {encode_op(early), encode_op(create)});
  CHECK(results[0]["status"] == "rejected");
  CHECK(problem_at(results[0], "id")["code"] == "unknown_row");
  CHECK(results[1]["status"] == "accepted");
  const json row = find_upsert(api.pull_all(a, 0), "case", case_id);
  REQUIRE(row.is_object());
  CHECK(row["values"]["title"] == create.fields["title"]);
  CHECK(row["stamps"]["title"]["op"] == create.op_id);
  BadInputLedger::instance().record("update ahead of its create in one batch", false);
}

TEST_CASE("ops from the future are applied with their stamp clamped") {
  BadInputWorld world;
  ApiWorld& api = world.api();
  const Device& a = world.a();
  struct Future {
    const char* kind;
    std::int64_t wall_ms;
  };
  const std::int64_t day = 24LL * 60 * 60 * 1000;
  for (const Future& future : {Future{"op stamped a day ahead", api.next_hlc().wall_ms + day},
                               Future{"op stamped in the year 2286", 9'999'999'999'999LL}}) {
    CAPTURE(future.kind);
    const std::string case_id = api.new_id();
    Op op = api.create_case(a, case_id, a.unit_id);
    op.hlc.wall_ms = future.wall_ms;
    const HttpResult result = api.push_raw(a, BadInputWorld::body_of({encode_op(op)}));
    REQUIRE(result.status == 200);
    const json answer = result.json()["results"][0];
    CHECK(answer["status"] == "accepted");
    CHECK(answer["hlc_clamped"] == true);
    const json row = find_upsert(api.pull_all(a, 0), "case", case_id);
    REQUIRE(row.is_object());
    // Clamped to the server's clock + 5 minutes: an hour of slack for a slow test machine is
    // still far from the day (or centuries) the op claimed.
    const std::string stamp = row["stamps"]["title"]["hlc"].get<std::string>();
    const std::int64_t stored_ms = std::stoll(stamp.substr(0, 13));
    CHECK(stored_ms < api.next_hlc().wall_ms + 60LL * 60 * 1000);
    CHECK(stored_ms < future.wall_ms);
    BadInputLedger::instance().record(future.kind, false);
  }
}

}  // namespace fieldsync::testing
