// Push, pull and snapshot against the real fieldsync-server over HTTP: the round trip between
// devices of a unit, duplicates (and /metrics after that traffic), conflicts and their resolution,
// reassignment with work still pending on the old unit's devices.
#include <regex>
#include <string>

#include <doctest/doctest.h>

#include "api_world.h"

namespace fieldsync::testing {

TEST_CASE("api push then pull: another user's device in the unit gets the row; the cursor moves") {
  ApiWorld world({kLeaderA, kReviewerA});
  const Device writer = world.login("leader_a");
  const Device reader = world.login("reviewer_a");
  std::int64_t cursor = 0;
  world.pull_all(reader, 0, &cursor);

  const std::string case_id = world.new_id();
  const Op create = world.create_case(writer, case_id, writer.unit_id);
  json created = world.push(writer, {create}, cursor);
  CHECK(created[0]["op_id"] == create.op_id);
  CHECK(created[0]["status"] == "accepted");
  CHECK(created[0]["seq"].get<std::int64_t>() > 0);
  CHECK(created[0].count("hlc_clamped") == 0);

  std::int64_t next = 0;
  const std::vector<json> changes = world.pull_all(reader, cursor, &next);
  CHECK(next > cursor);
  REQUIRE(changes.size() == 1);
  json row = find_upsert(changes, "case", case_id);
  REQUIRE(row.is_object());
  CHECK(row["unit_id"] == writer.unit_id);
  CHECK(row["deleted"] == false);
  CHECK(row["values"]["title"] == "Allowance three months late");
  CHECK(row["values"]["status"] == "received");
  CHECK(row["created_by"] == writer.user_id);
  CHECK(row["stamps"]["title"]["dev"] == writer.device_id);

  // Nothing new after next_cursor.
  const HttpResult again = world.pull_raw(reader, next);
  REQUIRE(again.status == 200);
  CHECK(again.json() == json{{"changes", json::array()}, {"next_cursor", next}, {"more", false}});

  // An edit moves the cursor on once more, and only the edited row comes.
  json edited = world.push(writer,
                           {world.make_op(writer, "case", case_id, OpKind::update,
                                          {{"title", "Roof leaks"}}, row["version"])},
                           next);
  CHECK(edited[0]["status"] == "accepted");
  std::int64_t after_edit = 0;
  const std::vector<json> second = world.pull_all(reader, next, &after_edit);
  CHECK(after_edit > next);
  REQUIRE(second.size() == 1);
  CHECK(second[0]["upsert"]["values"]["title"] == "Roof leaks");
  CHECK(second[0]["upsert"]["version"].get<std::int64_t>() > row["version"].get<std::int64_t>());

  // A new device of the reader gets the same state by snapshot, and pull continues from its
  // cursor with nothing missed.
  std::int64_t snapshot_cursor = 0;
  const std::vector<json> rows = world.snapshot_all(reader, 2, &snapshot_cursor);
  CHECK(find_row(rows, "case", case_id) == second[0]["upsert"]);
  CHECK(snapshot_cursor == after_edit);
}

TEST_CASE("api duplicate push: the same body again answers duplicate with the first seq; metrics") {
  ApiWorld world({kLeaderA});
  const Device device = world.login("leader_a");
  const std::string case_id = world.new_id();
  const Op create = world.create_case(device, case_id, device.unit_id);
  const Op visit = world.create_visit(device, world.new_id(), case_id);
  json body = {{"cursor", 0}, {"ops", {encode_op(create), encode_op(visit)}}};

  const HttpResult first = world.push_raw(device, body);
  REQUIRE(first.status == 200);
  json first_results = first.json()["results"];
  CHECK(first.json()["server_time"].get<std::string>().size() == 24);
  REQUIRE(first_results.size() == 2);
  for (json r : first_results) CHECK(r["status"] == "accepted");

  const StoreDump before = world.dump();
  const HttpResult second = world.push_raw(device, body);
  REQUIRE(second.status == 200);
  json results = second.json()["results"];
  REQUIRE(results.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CAPTURE(i);
    CHECK(results[i]["status"] == "duplicate");
    CHECK(results[i]["first_status"] == "accepted");
    CHECK(results[i]["op_id"] == first_results[i]["op_id"]);
    CHECK(results[i]["seq"] == first_results[i]["seq"]);
  }
  world.check_unchanged(before);

  // The same op_id with other content is refused, and changes nothing either.
  Op reused = create;
  reused.fields["title"] = "Something else";
  json refused = world.push(device, {reused});
  CHECK(refused[0]["status"] == "rejected");
  CHECK(refused[0]["problems"][0]["code"] == "op_id_reused");
  world.check_unchanged(before);

  // /metrics counted that traffic: three pushes, 2 accepted, 2 duplicate, 1 rejected ops.
  const HttpResult metrics = world.http().get(world.url("/metrics"));
  REQUIRE(metrics.status == 200);
  CHECK(metrics.header("content-type").rfind("text/plain", 0) == 0);
  INFO(metrics.body);
  for (const char* line : {"fieldsync_requests_total{route=\"push\",status=\"200\"} 3\n",
                           "fieldsync_requests_total{route=\"login\",status=\"200\"} 1\n",
                           "fieldsync_request_duration_seconds_count{route=\"push\"} 3\n",
                           "fieldsync_ops_total{outcome=\"accepted\"} 2\n",
                           "fieldsync_ops_total{outcome=\"duplicate\"} 2\n",
                           "fieldsync_ops_total{outcome=\"conflict\"} 0\n",
                           "fieldsync_ops_total{outcome=\"rejected\"} 1\n"}) {
    CAPTURE(line);
    CHECK(metrics.body.find(line) != std::string::npos);
  }
  std::smatch bytes;
  REQUIRE(std::regex_search(metrics.body, bytes, std::regex("\nfieldsync_store_bytes (\\d+)\n")));
  CHECK(std::stoll(bytes[1]) > 0);
}

TEST_CASE("api conflict: concurrent handling_path edits conflict in the unit; the office decides") {
  ApiWorld world({kLeaderA, kReviewerA, kLeaderB, kOffice});
  const Device leader = world.login("leader_a");
  const Device reviewer = world.login("reviewer_a");
  const Device sibling = world.login("leader_b");
  const Device office = world.login("office");

  const std::string case_id = world.new_id();
  world.push(leader, {world.create_case(leader, case_id, leader.unit_id,
                                        {{"responsible_leader_id", leader.user_id}})});
  std::int64_t cursor = 0;
  json seen = find_upsert(world.pull_all(leader, 0, &cursor), "case", case_id);
  REQUIRE(seen.is_object());
  const std::int64_t base = seen["version"];

  // Both edit from the same version.
  json first = world.push(leader, {world.make_op(leader, "case", case_id, OpKind::update,
                                                 {{"handling_path", "solve_quickly"}}, base)});
  CHECK(first[0]["status"] == "accepted");
  json second = world.push(reviewer, {world.make_op(reviewer, "case", case_id, OpKind::update,
                                                    {{"handling_path", "counselling"}}, base)});
  REQUIRE(second[0]["status"] == "conflict");
  CHECK(second[0]["seq"].get<std::int64_t>() > first[0]["seq"].get<std::int64_t>());
  REQUIRE(second[0]["conflict_ids"].size() == 1);
  const std::string conflict_id = second[0]["conflict_ids"][0];

  // The record reaches the unit by pull, holding both values and who wrote them.
  const std::vector<json> in_unit = world.pull_all(leader, cursor, &cursor);
  json conflict = find_upsert(in_unit, "conflict", conflict_id);
  REQUIRE(conflict.is_object());
  CHECK(conflict["unit_id"] == leader.unit_id);
  CHECK(conflict["values"]["entity"] == "case");
  CHECK(conflict["values"]["row_id"] == case_id);
  CHECK(conflict["values"]["field"] == "handling_path");
  CHECK(conflict["values"]["status"] == "open");
  CHECK(conflict["values"]["addressed_to"] == leader.user_id);
  json candidates = conflict["values"]["candidates"];
  REQUIRE(candidates.size() == 2);
  CHECK(candidates[0]["value"] == "solve_quickly");
  CHECK(candidates[0]["user_id"] == leader.user_id);
  CHECK(candidates[1]["value"] == "counselling");
  CHECK(candidates[1]["user_id"] == reviewer.user_id);
  // Meanwhile the later write holds the field.
  CHECK(find_upsert(in_unit, "case", case_id)["values"]["handling_path"] == "counselling");

  // The sibling unit sees neither the case nor its conflict, by pull or snapshot.
  const std::vector<json> in_sibling = world.pull_all(sibling, 0);
  CHECK(find_upsert(in_sibling, "conflict", conflict_id).is_null());
  CHECK(find_upsert(in_sibling, "case", case_id).is_null());
  CHECK(find_row(world.snapshot_all(sibling), "conflict", conflict_id).is_null());

  // To the sibling unit's leader the record does not exist: resolving it is refused as for a
  // random id, and changes nothing.
  const StoreDump open_state = world.dump();
  const std::string random_id = world.new_id();
  json foreign = world.push(
      sibling,
      {world.make_op(sibling, "conflict", conflict_id, OpKind::resolve, {{"resolution", "by_law"}}),
       world.make_op(sibling, "conflict", random_id, OpKind::resolve, {{"resolution", "by_law"}})});
  CHECK(foreign[0]["status"] == "rejected");
  CHECK(foreign[0]["problems"] ==
        json::parse(
            std::regex_replace(foreign[1]["problems"].dump(), std::regex(random_id), conflict_id)));
  world.check_unchanged(open_state);

  // The central office decides; the decision becomes the case's value.
  json office_view = find_upsert(world.pull_all(office, 0), "conflict", conflict_id);
  REQUIRE(office_view.is_object());
  json resolved = world.push(
      office,
      {world.make_op(office, "conflict", conflict_id, OpKind::resolve,
                     {{"resolution", "by_law"}, {"resolution_note", "decided at the plant"}},
                     office_view["version"])});
  CHECK(resolved[0]["status"] == "accepted");

  const std::vector<json> after = world.pull_all(leader, cursor, &cursor);
  json closed = find_upsert(after, "conflict", conflict_id);
  REQUIRE(closed.is_object());
  CHECK(closed["values"]["status"] == "resolved");
  CHECK(closed["values"]["resolution"] == "by_law");
  CHECK(closed["updated_by"] == office.user_id);
  json decided = find_upsert(after, "case", case_id);
  REQUIRE(decided.is_object());
  CHECK(decided["values"]["handling_path"] == "by_law");
  CHECK(find_upsert(world.pull_all(sibling, 0), "conflict", conflict_id).is_null());
}

TEST_CASE("api reassignment: work written before the move is kept; the old unit drops the case") {
  ApiWorld world({kLeaderA, kLeaderB, kOffice});
  const Device old_leader = world.login("leader_a");
  const Device new_leader = world.login("leader_b");
  const Device office = world.login("office");
  const std::string unit_b = world.unit_id("Plant/Unit B");

  // A case of Unit A with a visit, a petitioner and an open conflict on its handling path.
  const std::string case_id = world.new_id();
  const std::string first_visit = world.new_id();
  const std::string petitioner = world.new_id();
  world.push(old_leader, {world.create_case(old_leader, case_id, old_leader.unit_id),
                          world.create_visit(old_leader, first_visit, case_id),
                          world.make_op(old_leader, "petitioner", petitioner, OpKind::create,
                                        {{"case_id", case_id}, {"name", "Zhang Wei"}})});
  json created = find_upsert(world.pull_all(office, 0), "case", case_id);
  REQUIRE(created.is_object());
  world.push(old_leader, {world.make_op(old_leader, "case", case_id, OpKind::update,
                                        {{"handling_path", "solve_quickly"}}, created["version"])});
  json disagreed =
      world.push(office, {world.make_op(office, "case", case_id, OpKind::update,
                                        {{"handling_path", "counselling"}}, created["version"])});
  REQUIRE(disagreed[0]["status"] == "conflict");
  const std::string conflict_id = disagreed[0]["conflict_ids"][0];

  std::int64_t before_move = 0;
  const std::vector<json> known = world.pull_all(old_leader, 0, &before_move);
  json seen = find_upsert(known, "case", case_id);
  REQUIRE(seen.is_object());
  REQUIRE(find_upsert(known, "conflict", conflict_id).is_object());
  const std::int64_t base = seen["version"];

  // A field leader may not move it, not even into a team of their own unit.
  const StoreDump unmoved = world.dump();
  json refused = world.push(
      old_leader, {world.make_op(old_leader, "case", case_id, OpKind::update,
                                 {{"unit_id", world.unit_id("Plant/Unit A/Team A1")}}, base)});
  CHECK(refused[0]["status"] == "rejected");
  CHECK(refused[0]["problems"][0]["code"] == "forbidden");
  world.check_unchanged(unmoved);

  // The central office moves it to Unit B.
  json moved = world.push(office, {world.make_op(office, "case", case_id, OpKind::update,
                                                 {{"unit_id", unit_b}}, base)});
  REQUIRE(moved[0]["status"] == "accepted");
  const std::int64_t move_seq = moved[0]["seq"];

  // Written offline before the device learned of the move: both are accepted.
  const std::string late_visit = world.new_id();
  json late = world.push(
      old_leader,
      {world.create_visit(old_leader, late_visit, case_id),
       world.make_op(old_leader, "case", case_id, OpKind::update, {{"title", "Roof leaks"}}, base)},
      before_move);
  CHECK(late[0]["status"] == "accepted");
  CHECK(late[1]["status"] == "accepted");

  // The old unit's next pull drops the case and everything that moved with it.
  std::int64_t after_move = 0;
  const std::vector<json> dropped = world.pull_all(old_leader, before_move, &after_move);
  CHECK(after_move >= move_seq);
  CHECK(has_drop(dropped, "case", case_id));
  CHECK(has_drop(dropped, "visit", first_visit));
  CHECK(has_drop(dropped, "petitioner", petitioner));
  CHECK(has_drop(dropped, "conflict", conflict_id));
  for (const auto& change : dropped) CHECK_MESSAGE(!change.contains("upsert"), change.dump());

  // The new unit has it all, with the late edit and the late visit.
  const std::vector<json> in_b = world.pull_all(new_leader, 0);
  json case_in_b = find_upsert(in_b, "case", case_id);
  REQUIRE(case_in_b.is_object());
  CHECK(case_in_b["unit_id"] == unit_b);
  CHECK(case_in_b["values"]["title"] == "Roof leaks");
  for (const auto& [entity, id] :
       std::vector<std::pair<std::string, std::string>>{{"visit", first_visit},
                                                        {"visit", late_visit},
                                                        {"petitioner", petitioner},
                                                        {"conflict", conflict_id}}) {
    CAPTURE(id);
    CHECK(find_upsert(in_b, entity, id)["unit_id"] == unit_b);
  }

  // Once the device pulled past the move, the case is answered like a row that never existed.
  const StoreDump before = world.dump();
  const std::string random_id = world.new_id();
  json stale = world.push(
      old_leader,
      {world.make_op(old_leader, "case", case_id, OpKind::update, {{"title", "Again"}}, base),
       world.make_op(old_leader, "case", random_id, OpKind::update, {{"title", "Again"}}, base)},
      after_move);
  for (json r : stale) {
    CHECK(r["status"] == "rejected");
    REQUIRE(r["problems"].size() == 1);
    CHECK(r["problems"][0]["field"] == "id");
    CHECK(r["problems"][0]["code"] == "unknown_row");
  }
  CHECK(std::regex_replace(stale[0]["problems"][0]["message"].get<std::string>(),
                           std::regex(case_id), "ID") ==
        std::regex_replace(stale[1]["problems"][0]["message"].get<std::string>(),
                           std::regex(random_id), "ID"));
  world.check_unchanged(before);
}

}  // namespace fieldsync::testing
