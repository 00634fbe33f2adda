#include <doctest/doctest.h>

#include "fieldsync/core/error.h"
#include "sync_fixture.h"

using namespace fieldsync;
using namespace fieldsync::server;
using namespace fieldsync::server::testing;

namespace {

// Every row id a pull from `cursor` to the end delivers (upserts), and the ids it drops.
struct Pulled {
  std::set<std::string> upserts, drops;
  std::int64_t cursor = 0;
};
Pulled pull_all(SyncFixture& f, const Access& who, std::int64_t cursor = 0,
                std::size_t limit = 100) {
  Pulled p;
  for (int page = 0; page < 1000; ++page) {
    Json r = f.service.pull(who, cursor, limit);
    for (const auto& c : r["changes"]) {
      if (c.contains("upsert")) {
        p.upserts.insert(c["upsert"]["id"].get<std::string>());
        p.drops.erase(c["upsert"]["id"].get<std::string>());
      } else {
        p.drops.insert(c["drop"]["id"].get<std::string>());
        p.upserts.erase(c["drop"]["id"].get<std::string>());
      }
    }
    cursor = r["next_cursor"].get<std::int64_t>();
    if (!r["more"].get<bool>()) break;
  }
  p.cursor = cursor;
  return p;
}

const std::string kCaseA = test_id("case-in-a");
const std::string kCaseB = test_id("case-in-b");

}  // namespace

TEST_CASE("sync service: pushed ops are answered one by one and pulled back in scope") {
  SyncFixture f;
  Json answer = f.push(f.leader_a(), {f.new_case(f.leader_a(), kCaseA, kUnitA),
                                      f.op(f.leader_a(), OpKind::create, "visit", test_id("v1"),
                                           {{"case_id", kCaseA},
                                            {"kind", "home"},
                                            {"visited_at", "2026-11-21T10:00:00Z"},
                                            {"notes", "roof leaks in the bedroom"}})});
  REQUIRE(answer["results"].size() == 2);
  CHECK(answer["results"][0]["status"] == "accepted");
  CHECK(answer["results"][1]["status"] == "accepted");
  CHECK(answer["results"][0]["seq"].get<std::int64_t>() <
        answer["results"][1]["seq"].get<std::int64_t>());

  Pulled p = pull_all(f, f.leader_a());
  CHECK(p.upserts.count(kCaseA) == 1);
  CHECK(p.upserts.count(test_id("v1")) == 1);
  CHECK(p.upserts.count(kUnitA) == 1);  // the unit tree of the caller comes along
  CHECK(p.upserts.count(kUnitB) == 0);
  // The last change is the server's own: the new case's office kind flags (office_flags.h).
  CHECK(p.cursor == answer["results"][1]["seq"].get<std::int64_t>() + 1);
  // Nothing new after the cursor.
  CHECK(f.service.pull(f.leader_a(), p.cursor, 100)["changes"].empty());
}

TEST_CASE("sync service: sibling units never see each other's rows") {
  SyncFixture f;
  f.push(f.leader_a(), {f.new_case(f.leader_a(), kCaseA, kUnitA)});
  f.push(f.leader_b(), {f.new_case(f.leader_b(), kCaseB, kUnitB)});
  CHECK(pull_all(f, f.leader_b()).upserts.count(kCaseA) == 0);
  CHECK(pull_all(f, f.leader_a()).upserts.count(kCaseB) == 0);
  Pulled office = pull_all(f, f.office());
  CHECK(office.upserts.count(kCaseA) == 1);
  CHECK(office.upserts.count(kCaseB) == 1);

  // Writing to another unit's case is answered exactly as writing to a case that does not exist.
  Json other = f.push(f.leader_b(),
                      {f.op(f.leader_b(), OpKind::update, "case", kCaseA, {{"title", "x"}}, 1)});
  Json missing =
      f.push(f.leader_b(),
             {f.op(f.leader_b(), OpKind::update, "case", test_id("nope"), {{"title", "x"}}, 1)});
  CHECK(other["results"][0]["status"] == "rejected");
  std::string other_text = other["results"][0]["problems"].dump();
  other_text.replace(other_text.find(kCaseA), kCaseA.size(), test_id("nope"));
  CHECK(other_text == missing["results"][0]["problems"].dump());
  // So is a visit on it, and a case created in the other unit.
  Json visit = f.push(
      f.leader_b(),
      {f.op(f.leader_b(), OpKind::create, "visit", test_id("v9"),
            {{"case_id", kCaseA}, {"kind", "home"}, {"visited_at", "2026-11-21T10:00:00Z"}})});
  Json no_case = f.push(f.leader_b(), {f.op(f.leader_b(), OpKind::create, "visit", test_id("v8"),
                                            {{"case_id", test_id("no-case")},
                                             {"kind", "home"},
                                             {"visited_at", "2026-11-21T10:00:00Z"}})});
  CHECK(visit["results"][0]["problems"][0]["code"] == "unknown_row");
  CHECK(visit["results"][0]["problems"][0]["field"] ==
        no_case["results"][0]["problems"][0]["field"]);
  CHECK(no_case["results"][0]["problems"][0]["code"] == "unknown_row");
  Json create = f.push(f.leader_b(), {f.new_case(f.leader_b(), test_id("c9"), kUnitA)});
  CHECK(create["results"][0]["problems"][0]["code"] == "unknown_unit");
  Json nowhere =
      f.push(f.leader_b(), {f.new_case(f.leader_b(), test_id("c8"), test_id("no-unit"))});
  CHECK(nowhere["results"][0]["problems"] == create["results"][0]["problems"]);
  CHECK(pull_all(f, f.office()).upserts.count(test_id("c9")) == 0);
}

TEST_CASE(
    "sync service: a moved case leaves the old unit's devices but their earlier work is kept") {
  SyncFixture f;
  f.push(f.leader_a(), {f.new_case(f.leader_a(), kCaseA, kUnitA)});
  const std::int64_t a_cursor = pull_all(f, f.leader_a()).cursor;

  Json move = f.push(f.office(),
                     {f.op(f.office(), OpKind::update, "case", kCaseA, {{"unit_id", kUnitB}}, 1)});
  REQUIRE(move["results"][0]["status"] == "accepted");

  // Leader A wrote a visit and an edit offline before learning of the move: both kept.
  Json late =
      f.push(f.leader_a(),
             {f.op(f.leader_a(), OpKind::create, "visit", test_id("late-visit"),
                   {{"case_id", kCaseA}, {"kind", "home"}, {"visited_at", "2026-11-22T10:00:00Z"}}),
              f.op(f.leader_a(), OpKind::update, "case", kCaseA,
                   {{"title", "Allowance, 3 months late"}}, 1)},
             a_cursor);
  CHECK(late["results"][0]["status"] == "accepted");
  CHECK(late["results"][1]["status"] == "accepted");

  // On its next pull, leader A's device is told to drop the case (and the visit it wrote).
  Pulled a = pull_all(f, f.leader_a(), a_cursor);
  CHECK(a.drops.count(kCaseA) == 1);
  CHECK(a.upserts.count(kCaseA) == 0);
  Pulled b = pull_all(f, f.leader_b());
  CHECK(b.upserts.count(kCaseA) == 1);
  CHECK(b.upserts.count(test_id("late-visit")) == 1);

  // Having pulled past the move, leader A can no longer write to it.
  Json after =
      f.push(f.leader_a(),
             {f.op(f.leader_a(), OpKind::update, "case", kCaseA, {{"title", "y"}}, 1)}, a.cursor);
  CHECK(after["results"][0]["problems"][0]["code"] == "unknown_row");
}

TEST_CASE("sync service: roles limit what a caller may do") {
  SyncFixture f;
  f.push(f.leader_a(), {f.new_case(f.leader_a(), kCaseA, kUnitA)});
  // A field leader may not move a case or delete it.
  Json move =
      f.push(f.leader_a(),
             {f.op(f.leader_a(), OpKind::update, "case", kCaseA, {{"unit_id", kTeamA1}}, 1)});
  CHECK(move["results"][0]["problems"][0]["code"] == "forbidden");
  Json del =
      f.push(f.leader_a(), {f.op(f.leader_a(), OpKind::remove, "case", kCaseA, Json::object(), 1)});
  CHECK(del["results"][0]["problems"][0]["code"] == "forbidden");
  // Nobody may push ops in another user's name.
  Op forged = f.op(f.leader_b(), OpKind::update, "case", kCaseA, {{"title", "forged"}}, 1);
  CHECK(f.push(f.leader_a(), {forged})["results"][0]["problems"][0]["code"] == "not_your_op");
  // The office may move it within the plant.
  CHECK(f.status_of(f.office(), f.op(f.office(), OpKind::update, "case", kCaseA,
                                     {{"unit_id", kTeamA1}}, 1)) == "accepted");
}

TEST_CASE("sync service: a conflict is answered, pulled by the unit and resolved by the office") {
  SyncFixture f;
  f.push(f.leader_a(), {f.new_case(f.leader_a(), kCaseA, kUnitA)});
  Access leader_a2 = SyncFixture::caller("leader-a2", Role::field_leader, {kUnitA, kTeamA1});
  f.push(f.leader_a(), {f.op(f.leader_a(), OpKind::update, "case", kCaseA,
                             {{"handling_path", "counselling"}}, 1)});
  Json second =
      f.push(leader_a2,
             {f.op(leader_a2, OpKind::update, "case", kCaseA, {{"handling_path", "by_law"}}, 1)});
  REQUIRE(second["results"][0]["status"] == "conflict");
  const std::string cid = second["results"][0]["conflict_ids"][0].get<std::string>();
  CHECK(pull_all(f, f.leader_a()).upserts.count(cid) == 1);
  CHECK(pull_all(f, f.leader_b()).upserts.count(cid) == 0);

  Op by_leader =
      f.op(f.leader_a(), OpKind::resolve, "conflict", cid, {{"resolution", "by_law"}}, 3);
  CHECK(f.push(f.leader_a(), {by_leader})["results"][0]["problems"][0]["code"] == "forbidden");
  Op by_office =
      f.op(f.office(), OpKind::resolve, "conflict", cid, {{"resolution", "counselling"}}, 3);
  CHECK(f.status_of(f.office(), by_office) == "accepted");
}

TEST_CASE("sync service: pages end on version boundaries and miss nothing") {
  SyncFixture f;
  std::vector<Op> ops;
  for (int i = 0; i < 30; ++i)
    ops.push_back(f.new_case(f.leader_a(), test_id("bulk-" + std::to_string(i)), kUnitA));
  f.push(f.leader_a(), ops);
  for (int i = 0; i < 5; ++i)
    f.push(f.leader_a(),
           {f.op(f.leader_a(), OpKind::create, "petitioner", test_id("p" + std::to_string(i)),
                 {{"case_id", test_id("bulk-0")}, {"name", "Chen"}})});
  // Moving bulk-0 moves it and its 5 petitioners at one version: 6 rows that must stay together.
  f.push(f.office(),
         {f.op(f.office(), OpKind::update, "case", test_id("bulk-0"), {{"unit_id", kTeamA1}}, 1)});
  for (std::size_t limit : {1u, 4u, 7u, 1000u}) {
    CAPTURE(limit);
    Pulled p = pull_all(f, f.leader_a(), 0, limit);
    CHECK(p.upserts.size() == 30 + 5 + 2);  // cases, petitioners, unit A and team A1
    for (int i = 0; i < 30; ++i) CHECK(p.upserts.count(test_id("bulk-" + std::to_string(i))) == 1);
  }
  Json first = f.service.pull(f.leader_a(), 0, 4);
  CHECK(first["more"] == true);
  CHECK(first["changes"].size() <= 4);
}

TEST_CASE("sync service: snapshot pages give the scoped rows once, then pull continues") {
  SyncFixture f;
  std::vector<Op> ops;
  for (int i = 0; i < 12; ++i)
    ops.push_back(
        f.new_case(f.leader_a(), test_id("s-" + std::to_string(i)), i % 2 ? kUnitA : kTeamA1));
  f.push(f.leader_a(), ops);
  f.push(f.leader_b(), {f.new_case(f.leader_b(), kCaseB, kUnitB)});
  f.push(f.office(), {f.op(f.office(), OpKind::remove, "case", test_id("s-3"), Json::object(), 1)});

  std::set<std::string> seen;
  std::string after;
  std::optional<std::int64_t> cursor;
  int pages = 0;
  for (; pages < 100; ++pages) {
    Json page = f.service.snapshot(f.leader_a(), after, cursor, 5);
    for (const auto& row : page["rows"]) CHECK(seen.insert(row["id"].get<std::string>()).second);
    cursor = page["cursor"].get<std::int64_t>();
    if (!page["more"].get<bool>()) break;
    after = page["after"].get<std::string>();
  }
  CHECK(pages >= 2);
  CHECK(seen.size() == 11 + 2);  // 12 cases less the deleted one, unit A and team A1
  CHECK(seen.count(test_id("s-3")) == 0);
  CHECK(seen.count(kCaseB) == 0);
  // A change after the snapshot's cursor comes by pull.
  f.push(f.leader_a(),
         {f.op(f.leader_a(), OpKind::update, "case", test_id("s-0"), {{"title", "later"}}, 1)});
  CHECK(pull_all(f, f.leader_a(), *cursor).upserts == std::set<std::string>{test_id("s-0")});
}

TEST_CASE("sync service: malformed pushes are refused whole, bad ops one by one") {
  SyncFixture f;
  auto code_of = [&](const Json& body) {
    try {
      f.service.push(f.leader_a(), body);
    } catch (const Error& e) {
      return e.code();
    }
    return std::string("accepted");
  };
  CHECK(code_of(Json::array()) == "bad_request");
  CHECK(code_of({{"ops", "x"}}) == "bad_request");
  CHECK(code_of({{"ops", Json::array()}, {"cursor", -1}}) == "bad_request");
  CHECK(code_of({{"ops", Json::array()}, {"extra", 1}}) == "bad_request");
  Json many = {{"ops", Json::array()}};
  for (std::size_t i = 0; i <= SyncService::kMaxBatchOps; ++i)
    many["ops"].push_back(Json::object());
  CHECK(code_of(many) == "batch_too_large");

  Json mixed = {{"ops", {encode_op(f.new_case(f.leader_a(), kCaseA, kUnitA)), {{"op_id", 7}}}}};
  Json answer = f.service.push(f.leader_a(), mixed);
  CHECK(answer["results"][0]["status"] == "accepted");
  CHECK(answer["results"][1]["status"] == "rejected");
  CHECK(answer["results"][1]["problems"].size() > 1);
}

TEST_CASE("sync service: a device cannot claim to have missed a move it has pulled") {
  SyncFixture f;
  f.push(f.leader_a(), {f.new_case(f.leader_a(), kCaseA, kUnitA)});
  f.push(f.office(), {f.op(f.office(), OpKind::update, "case", kCaseA, {{"unit_id", kUnitB}}, 1)});
  const std::int64_t after_move = pull_all(f, f.leader_a()).cursor;
  REQUIRE(after_move > 0);
  // The device's next pull asks from past the move: it has applied the drop.
  f.service.pull(f.leader_a(), after_move, 100);
  // Its push says cursor 0, but the server knows it pulled past the move.
  Json forged = f.push(
      f.leader_a(), {f.op(f.leader_a(), OpKind::update, "case", kCaseA, {{"title", "z"}}, 1)}, 0);
  CHECK(forged["results"][0]["problems"][0]["code"] == "unknown_row");
}
