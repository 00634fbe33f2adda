// The office moves a case to another unit while a tablet of the old unit has edits of it
// waiting: the edits reach the server (and the new unit), then the case leaves the tablet.
#include <doctest/doctest.h>

#include "client_world.h"

namespace fieldsync::testing {
namespace {

TEST_CASE(
    "client reassign: pending edits of a case moved out of scope are delivered, then it leaves") {
  ClientWorld world({kLeaderA, kLeaderB, kOffice});
  Tablet a = world.signed_in("a", "leader_a");
  Tablet office = world.signed_in("office", "office");
  const std::string id = a->create_case(case_fields("Veteran housing"));
  const std::string first = a->add_petitioner(id, {{"name", "Zhao"}});
  a->sync();
  office->sync();
  REQUIRE(office->find("case", id));

  // A works offline on the case...
  const std::string visit = a->add_visit(id, {{"kind", "home"}, {"notes", "before the move"}});
  const std::string second = a->add_petitioner(id, {{"name", "Qian"}});
  a->update_case(id, {{"summary", "the roof of the veterans' block"}});
  // ...while the office gives it to Unit B.
  const std::string unit_b = world.api().unit_id("Plant/Unit B");
  office->update_case(id, {{"unit_id", unit_b}});
  CHECK(office->sync().accepted == 1);

  const client::SyncReport report = a->sync();
  CHECK(report.accepted == 3);
  CHECK(report.rejected == 0);
  CHECK(a->status().pending_ops == 0);
  CHECK(a->status().rejected.empty());
  CHECK(world.ops_logged(a.device_id(), "accepted") == 5);
  for (const auto& [entity, row] : std::vector<std::pair<std::string, std::string>>{
           {"case", id}, {"petitioner", first}, {"petitioner", second}, {"visit", visit}}) {
    CAPTURE(entity);
    CHECK_FALSE(a->find(entity, row));
  }
  CHECK(a->list_cases().cases.empty());
  CHECK(error_of([&] { a->get_case(id); }) == "client/unknown_row");

  Tablet b = world.signed_in("b", "leader_b");
  b->sync();
  const client::CaseDetail moved = b->get_case(id);
  CHECK(moved.case_row.unit_id == unit_b);
  CHECK(moved.case_row.values["summary"] == "the roof of the veterans' block");
  CHECK(moved.petitioners.size() == 2);
  REQUIRE(moved.visits.size() == 1);
  CHECK(moved.visits[0].visit.id == visit);
  CHECK(moved.visits[0].visit.values["notes"] == "before the move");
  office->sync();
  const auto on_b = case_picture(b.client(), id);
  const auto on_office = case_picture(office.client(), id);
  CHECK_MESSAGE(on_b == on_office, "B and the office differ:\n"
                                       << picture_difference(on_b, on_office));
}

}  // namespace
}  // namespace fieldsync::testing
