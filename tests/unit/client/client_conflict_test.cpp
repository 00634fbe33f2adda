// Concurrent writes to a flag field: the conflict record reaches both devices and a resolve
// op closes it everywhere.
#include <doctest/doctest.h>

#include "client_fixture.h"

namespace fieldsync::client::testing {
namespace {

TEST_CASE("client: a conflict on a flag field shows on both devices and resolving clears it") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  a.login("leader1");
  b.login("leader2");
  const std::string id = a->create_case(case_fields("Wages of internally retired staff"));
  a->sync();
  b->sync();

  // Both choose a responsible leader without having seen the other's choice.
  a->update_case(id, {{"responsible_leader_id", world.leader1.id}});
  b->update_case(id, {{"responsible_leader_id", world.leader2.id}});
  CHECK(a->sync().accepted == 1);
  const SyncReport second = b->sync();
  CHECK(second.conflicts == 1);
  a->sync();

  for (Device* d : {&a, &b}) {
    CAPTURE(d->path);
    const std::vector<Record> open = (*d)->open_conflicts();
    REQUIRE(open.size() == 1);
    CHECK(open[0].values["entity"] == "case");
    CHECK(open[0].values["row_id"] == id);
    CHECK(open[0].values["field"] == "responsible_leader_id");
    CHECK(open[0].values["candidates"].size() == 2);
    CHECK((*d)->status().open_conflicts == 1);
    const CaseDetail detail = (*d)->get_case(id);
    REQUIRE(detail.open_conflicts.size() == 1);
    CHECK(detail.open_conflicts[0].id == open[0].id);
  }
  CHECK(a->find("case", id)->values == b->find("case", id)->values);

  // leader1 was the responsible leader when the conflict opened: it is addressed to them.
  const std::string conflict = a->open_conflicts()[0].id;
  CHECK(a->find("conflict", conflict)->values["addressed_to"] == world.leader1.id);
  a->resolve_conflict(conflict, world.leader2.id, "leader2 lives in the village");
  CHECK(a->open_conflicts().empty());  // at once, on the device that decided
  CHECK(a->find("case", id)->values["responsible_leader_id"] == world.leader2.id);
  CHECK(a->sync().accepted == 1);
  b->sync();

  for (Device* d : {&a, &b}) {
    CAPTURE(d->path);
    CHECK((*d)->open_conflicts().empty());
    CHECK((*d)->status().open_conflicts == 0);
    const Record decided = *(*d)->find("conflict", conflict);
    CHECK(decided.values["status"] == "resolved");
    CHECK(decided.values["resolution"] == world.leader2.id);
    CHECK(decided.values["resolution_note"] == "leader2 lives in the village");
    CHECK((*d)->find("case", id)->values["responsible_leader_id"] == world.leader2.id);
  }
}

TEST_CASE("client: resolving a conflict that is not open is refused locally") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  CHECK(error_of([&] { a->resolve_conflict(a->device_id(), "x"); }) == "client/unknown_row");
}

}  // namespace
}  // namespace fieldsync::client::testing
