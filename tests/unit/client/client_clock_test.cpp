// Tablet clocks are wrong: an edit made after seeing another device's write must still win it,
// however far behind the editing tablet's clock is (found by the simulation, tests/sim).
#include <doctest/doctest.h>

#include "client_fixture.h"

namespace fieldsync::client::testing {
namespace {

TEST_CASE("client: a tablet whose clock is a day behind still overwrites what it has seen") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  b.clock.set(kStartMs - kDay);  // B's clock is a day behind the server's and A's
  a.login("leader1");
  b.login("leader2");

  const std::string id = a->create_case(case_fields("Roof leaks"));
  a->update_case(id, {{"handling_path", "solve_quickly"}});
  a->sync();
  b->sync();  // B has seen A's title and handling path
  REQUIRE(b->find("case", id)->values["title"] == "Roof leaks");

  a.clock.advance(kMinute);
  b.clock.advance(kMinute);
  b->update_case(id, {{"title", "Roof leaks, block 4"}, {"handling_path", "counselling"}});
  const SyncReport pushed = b->sync();
  CHECK(pushed.accepted == 1);
  CHECK(pushed.conflicts == 0);  // a later edit, not a concurrent one
  a->sync();

  for (Device* d : {&a, &b}) {
    const Record shown = *(*d)->find("case", id);
    CHECK(shown.values["title"] == "Roof leaks, block 4");
    CHECK(shown.values["handling_path"] == "counselling");
  }
  CHECK(a->open_conflicts().empty());
}

TEST_CASE("client: the clock a tablet learnt from the server survives a restart") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  b.clock.set(kStartMs - 3 * kDay);
  a.login("leader1");
  b.login("leader2");
  const std::string id = a->create_case(case_fields("Pension arrears"));
  a->sync();
  b->sync();
  b.reopen();  // the app restarts between the pull and the edit
  b->update_case(id, {{"title", "Pension arrears since 2019"}});
  b->sync();
  a->sync();
  CHECK(a->find("case", id)->values["title"] == "Pension arrears since 2019");
}

}  // namespace
}  // namespace fieldsync::client::testing
