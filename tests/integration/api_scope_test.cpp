// Scope isolation between sibling units against the real fieldsync-server: a leader of Unit B never
// sees Unit A's rows in pull or snapshot, and an id of Unit A is answered exactly like an id that
// does not exist.
#include <regex>
#include <string>

#include <doctest/doctest.h>

#include "api_world.h"

namespace fieldsync::testing {
namespace {

// CHECKs that two answers are the same rejection: same problems (field and code), messages equal
// once `id` and `other_id` are blanked out.
void check_same_rejection(json answer, const std::string& id, json other,
                          const std::string& other_id) {
  INFO("answer: ", answer.dump());
  INFO("other: ", other.dump());
  CHECK(answer["status"] == "rejected");
  CHECK(other["status"] == "rejected");
  REQUIRE(answer["problems"].size() == other["problems"].size());
  for (std::size_t i = 0; i < answer["problems"].size(); ++i) {
    json& p = answer["problems"][i];
    json& q = other["problems"][i];
    CHECK(p["field"] == q["field"]);
    CHECK(p["code"] == q["code"]);
    CHECK(std::regex_replace(p["message"].get<std::string>(), std::regex(id), "ID") ==
          std::regex_replace(q["message"].get<std::string>(), std::regex(other_id), "ID"));
  }
}

// CHECKs that every row is owned by `unit_id` and none has an id in `foreign`.
void check_only_unit(const std::vector<json>& rows, const std::string& unit_id,
                     const std::vector<std::string>& foreign) {
  for (json row : rows) {
    INFO(row.dump());
    CHECK(row["unit_id"] == unit_id);
    for (const auto& id : foreign) CHECK(row["id"] != id);
  }
}

}  // namespace

TEST_CASE("api scope: sibling units never see each other's rows; A's ids look nonexistent to B") {
  ApiWorld world({kLeaderA, kLeaderB});
  const Device a = world.login("leader_a");
  const Device b = world.login("leader_b");
  const std::string unit_a = world.unit_id("Plant/Unit A");
  const std::string unit_b = world.unit_id("Plant/Unit B");

  const std::string case_a = world.new_id();
  const std::string visit_a = world.new_id();
  const std::string petitioner_a = world.new_id();
  json pushed_a =
      world.push(a, {world.create_case(a, case_a, unit_a), world.create_visit(a, visit_a, case_a),
                     world.make_op(a, "petitioner", petitioner_a, OpKind::create,
                                   {{"case_id", case_a}, {"name", "Zhang Wei"}})});
  for (json r : pushed_a) CHECK(r["status"] == "accepted");
  const std::string case_b = world.new_id();
  CHECK(world.push(b, {world.create_case(b, case_b, unit_b)})[0]["status"] == "accepted");
  const std::vector<std::string> rows_of_a = {case_a,      visit_a,   petitioner_a,
                                              a.device_id, a.user_id, unit_a};

  // B's pull and snapshot hold B's rows only.
  std::vector<json> pulled;
  for (const auto& change : world.pull_all(b, 0)) {
    REQUIRE(change.contains("upsert"));
    pulled.push_back(change["upsert"]);
  }
  CHECK(find_row(pulled, "case", case_b).is_object());
  check_only_unit(pulled, unit_b, rows_of_a);
  const std::vector<json> snapshot = world.snapshot_all(b, 2);
  CHECK(find_row(snapshot, "case", case_b).is_object());
  check_only_unit(snapshot, unit_b, rows_of_a);
  // And the other way round.
  CHECK(find_upsert(world.pull_all(a, 0), "case", case_b).is_null());
  CHECK(find_row(world.snapshot_all(a), "case", case_b).is_null());

  // A snapshot page token naming A's unit is refused like one naming no unit at all.
  const auto snapshot_after = [&](const std::string& unit) {
    return world.http().get(
        world.url("/v1/sync/snapshot?cursor=1&after=" + unit + "%7Ccase%7C" + case_a),
        {{"Authorization", "Bearer " + b.token}});
  };
  const HttpResult after_a = snapshot_after(unit_a);
  ApiWorld::check_error(after_a, 400, "bad_request");
  CHECK(after_a.body == snapshot_after(world.new_id()).body);

  // Every push of B touching A's rows gets the answer a random id gets.
  const StoreDump before = world.dump();
  const std::string nowhere = world.new_id();
  auto update = [&](const std::string& id, json fields) {
    return world.make_op(b, "case", id, OpKind::update, std::move(fields), 1);
  };
  const std::vector<Op> touching_a = {
      update(case_a, {{"title", "Mine now"}}),
      update(case_a, {{"title", 7}, {"headcount", 0}}),  // and invalid values
      world.make_op(b, "case", case_a, OpKind::remove, json::object(), 1),
      world.make_op(b, "petitioner", petitioner_a, OpKind::update, {{"name", "Li Na"}}, 1),
      world.create_visit(b, world.new_id(), case_a),
      world.make_op(b, "petitioner", world.new_id(), OpKind::create,
                    {{"case_id", case_a}, {"name", "Li Na"}}),
      world.create_case(b, world.new_id(), unit_a),
  };
  const std::vector<Op> touching_nothing = {
      update(nowhere, {{"title", "Mine now"}}),
      update(nowhere, {{"title", 7}, {"headcount", 0}}),
      world.make_op(b, "case", nowhere, OpKind::remove, json::object(), 1),
      world.make_op(b, "petitioner", nowhere, OpKind::update, {{"name", "Li Na"}}, 1),
      world.create_visit(b, world.new_id(), nowhere),
      world.make_op(b, "petitioner", world.new_id(), OpKind::create,
                    {{"case_id", nowhere}, {"name", "Li Na"}}),
      world.create_case(b, world.new_id(), nowhere),
  };
  json answers_a = world.push(b, touching_a);
  json answers_nowhere = world.push(b, touching_nothing);
  for (std::size_t i = 0; i < touching_a.size(); ++i) {
    CAPTURE(i);
    const std::string id_a = i == 3 ? petitioner_a : i == 6 ? unit_a : case_a;
    check_same_rejection(answers_a[i], id_a, answers_nowhere[i], nowhere);
  }
  CHECK(answers_a[0]["problems"][0] == json{{"field", "id"},
                                            {"code", "unknown_row"},
                                            {"message", "case " + case_a + " does not exist"}});
  CHECK(answers_a[4]["problems"][0]["field"] == "fields.case_id");
  CHECK(answers_a[4]["problems"][0]["code"] == "unknown_row");
  CHECK(answers_a[6]["problems"][0]["field"] == "fields.unit_id");
  CHECK(answers_a[6]["problems"][0]["code"] == "unknown_unit");
  world.check_unchanged(before);
}

}  // namespace fieldsync::testing
