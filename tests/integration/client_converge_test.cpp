// Two tablets of one unit edit the same case offline; after both sync twice through the real
// server they show the very same case.
#include <doctest/doctest.h>

#include "client_world.h"

namespace fieldsync::testing {
namespace {

// A port nobody listens on: the tablet is offline.
constexpr const char* kNoServer = "http://127.0.0.1:1";

TEST_CASE("client converge: two devices edit one case offline and end up identical") {
  ClientWorld world({kLeaderA, kLeaderA2});
  Tablet a = world.signed_in("a", "leader_a");
  Tablet b = world.signed_in("b", "leader_a2");
  const std::string id = a->create_case(case_fields("Pension arrears"));
  const std::string petitioner = a->add_petitioner(id, {{"name", "Wang"}});
  a->sync();
  b->sync();
  REQUIRE(b->find("case", id));

  // The network goes away: syncs fail, writes go on.
  a.connect(kNoServer, 1);
  b.connect(kNoServer, 1);
  CHECK(error_of([&] { a->sync(); }) == "transport/unreachable");
  const std::string user_a = a->status().user_id;
  const std::string user_b = b->status().user_id;
  a->update_case(id, {{"title", "Pension arrears (A)"},
                      {"tags", {"pension"}},
                      {"notes", {"A: talked to the family"}},
                      {"handling_path", "counselling"},
                      {"responsible_leader_id", user_a}});
  a->add_visit(id, {{"kind", "home"}, {"notes", "A visit"}});
  a->add_commitment(id,
                    {{"who", "repair team"}, {"how", "fix the roof"}, {"due_date", "2026-12-10"}});
  a->add_petitioner(id, {{"name", "Li"}});
  b->update_case(id, {{"title", "Pension arrears (B)"},
                      {"summary", "retired 2019, allowance stopped"},
                      {"tags", {"retiree"}},
                      {"notes", {"B: called the office"}},
                      {"follow_up_contacts", 1},
                      {"responsible_leader_id", user_b}});
  b->add_visit(id, {{"kind", "reception"}, {"notes", "B visit"}});
  b->add_commitment(id, {{"who", "office"}, {"how", "call the fund"}, {"due_date", "2026-12-01"}});
  CHECK(b->status().pending_ops == 3);
  CHECK(error_of([&] { b->sync(); }) == "transport/unreachable");

  a.connect(world.base_url());
  b.connect(world.base_url());
  for (int round = 0; round < 2; ++round) {
    a->sync();
    b->sync();
  }

  const auto on_a = case_picture(a.client(), id);
  const auto on_b = case_picture(b.client(), id);
  CHECK_MESSAGE(on_a == on_b, "the devices differ:\n" << picture_difference(on_a, on_b));
  CHECK(on_a["case"]["values"]["tags"] == nlohmann::json({"pension", "retiree"}));
  CHECK(on_a["case"]["values"]["notes"].size() == 2);
  CHECK(on_a["case"]["values"]["handling_path"] == "counselling");
  CHECK(on_a["case"]["values"]["summary"] == "retired 2019, allowance stopped");
  CHECK(on_a["case"]["values"]["follow_up_contacts"] == 1);
  CHECK(on_a["visits"].size() == 2);
  CHECK(on_a["commitments"].size() == 2);
  CHECK(on_a["petitioners"].size() == 2);
  // Both chose a responsible leader without seeing the other's choice: one open conflict.
  REQUIRE(on_a["open_conflicts"].size() == 1);
  CHECK(on_a["open_conflicts"][0]["values"]["field"] == "responsible_leader_id");
  CHECK(on_a["open_conflicts"][0]["values"]["candidates"].size() == 2);
  for (Tablet* t : {&a, &b}) {
    CHECK((*t)->status().pending_ops == 0);
    CHECK((*t)->status().rejected.empty());
    CHECK((*t)->status().open_conflicts == 1);
    CHECK_FALSE((*t)->status().last_error);
  }
  CHECK(world.server_rows("visit", "case_id", id) == 2);
  CHECK(world.server_rows("commitment", "case_id", id) == 2);
}

}  // namespace
}  // namespace fieldsync::testing
