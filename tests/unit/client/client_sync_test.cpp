// The normal flow of sync: offline work reaching other devices, convergence, snapshots, and
// the view keeping local edits on top of what the server sends.
#include <doctest/doctest.h>

#include "client_fixture.h"

namespace fieldsync::client::testing {
namespace {

TEST_CASE("client: offline writes, sync, then a second device reads them back") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  a.login("leader1");
  b.login("leader2");

  a.transport.offline = true;
  const std::string case_id = a->create_case(case_fields("Roof leaks"));
  const std::string petitioner = a->add_petitioner(case_id, {{"name", "Wang"}});
  const std::string visit = a->add_visit(case_id, {{"kind", "home"}, {"notes", "met at home"}});
  const std::string commitment = a->add_commitment(
      case_id, {{"who", "repair team"}, {"how", "fix the roof"}, {"due_date", "2026-06-10"}});
  CHECK(a->status().pending_ops == 4);
  CHECK(error_of([&] { a->sync(); }) == "transport/unreachable");
  CHECK(a->status().pending_ops == 4);
  CHECK(a->get_case(case_id).case_row.local_changes);

  a.transport.offline = false;
  const SyncReport pushed = a->sync();
  CHECK(pushed.accepted == 4);
  CHECK(a->status().pending_ops == 0);
  CHECK_FALSE(a->get_case(case_id).case_row.local_changes);

  b->sync();
  const CaseDetail seen = b->get_case(case_id);
  CHECK(seen.case_row.values["title"] == "Roof leaks");
  CHECK(seen.case_row.values["status"] == "received");
  CHECK(seen.case_row.unit_id == world.unit1.id);
  CHECK(seen.case_row.created_by == world.leader1.id);
  CHECK(seen.case_row.version > 0);
  CHECK_FALSE(seen.case_row.local_changes);
  REQUIRE(seen.petitioners.size() == 1);
  CHECK(seen.petitioners[0].id == petitioner);
  CHECK(seen.petitioners[0].values["name"] == "Wang");
  REQUIRE(seen.visits.size() == 1);
  CHECK(seen.visits[0].visit.id == visit);
  CHECK(seen.visits[0].visit.values["notes"] == "met at home");
  REQUIRE(seen.commitments.size() == 1);
  CHECK(seen.commitments[0].id == commitment);
  CHECK(seen.commitments[0].values["status"] == "open");
}

TEST_CASE("client: edits from two devices made offline converge to the same case") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  a.login("leader1");
  b.login("leader2");
  const std::string id = a->create_case(case_fields("Pension arrears"));
  a->sync();
  b->sync();

  a.transport.offline = b.transport.offline = true;
  a->update_case(id, {{"title", "Pension arrears (A)"},
                      {"tags", {"pension"}},
                      {"notes", {"A: talked to the family"}}});
  a->add_visit(id, {{"kind", "home"}, {"notes", "A visit"}});
  b.clock.advance(kMinute);  // B writes later: its title wins
  b->update_case(id, {{"title", "Pension arrears (B)"},
                      {"summary", "retired 2019, allowance stopped"},
                      {"tags", {"retiree"}},
                      {"notes", {"B: called the office"}},
                      {"follow_up_contacts", 1}});
  b->add_visit(id, {{"kind", "reception"}, {"notes", "B visit"}});

  a.transport.offline = b.transport.offline = false;
  a->sync();
  b->sync();
  a->sync();

  const CaseDetail on_a = a->get_case(id);
  const CaseDetail on_b = b->get_case(id);
  CHECK(on_a.case_row.values == on_b.case_row.values);
  CHECK(on_a.case_row.version == on_b.case_row.version);
  CHECK(on_a.case_row.values["title"] == "Pension arrears (B)");
  CHECK(on_a.case_row.values["summary"] == "retired 2019, allowance stopped");
  CHECK(on_a.case_row.values["tags"] == Json({"pension", "retiree"}));
  CHECK(on_a.case_row.values["notes"].size() == 2);
  CHECK(on_a.case_row.values["follow_up_contacts"] == 1);
  CHECK(on_a.visits.size() == 2);
  CHECK(on_b.visits.size() == 2);
  CHECK(a->status().pending_ops == 0);
  CHECK(b->status().pending_ops == 0);
}

TEST_CASE("client: a new device starts from a paged snapshot, then pulls") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(a->create_case(case_fields("case " + std::to_string(i))));
  a->sync();

  ClientOptions small;
  small.page_rows = 2;
  Device b(world, "b.db", 2, small);
  b.login("leader2");
  std::vector<SyncProgress> steps;
  SyncOptions options;
  options.progress = [&](const SyncProgress& p) { steps.push_back(p); };
  const SyncReport first = b->sync(options);
  CHECK(first.snapshot);
  CHECK(b.transport.delivered_count("/v1/sync/snapshot") >= 3);  // 2 rows a page
  CHECK(b->list_cases().cases.size() == 5);
  CHECK(b->status().snapshot_done);
  CHECK(b->status().cursor == sqlite::testing::query_int(world.admin.database(),
                                                         "SELECT MAX(version) FROM change_index"));
  REQUIRE(!steps.empty());
  CHECK(steps.front().phase == SyncPhase::snapshot);
  CHECK(steps.back().phase == SyncPhase::pull);

  a->update_case(ids[2], {{"title", "case 2, renamed"}});
  a->sync();
  const int snapshots = b.transport.delivered_count("/v1/sync/snapshot");
  const SyncReport second = b->sync();
  CHECK_FALSE(second.snapshot);
  CHECK(b.transport.delivered_count("/v1/sync/snapshot") == snapshots);
  CHECK(b->find("case", ids[2])->values["title"] == "case 2, renamed");
}

TEST_CASE("client: rebase keeps a pending local edit on top of a pulled row") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  a.login("leader1");
  b.login("leader2");
  const std::string id = a->create_case(case_fields("Housing subsidy"));
  a->sync();
  b->sync();

  b->update_case(id, {{"summary", "B's note, not sent yet"}});
  a->update_case(id, {{"title", "Housing subsidy 2024"}});
  a->sync();

  SyncOptions pull_only;
  pull_only.push = false;
  b->sync(pull_only);
  Record shown = *b->find("case", id);
  CHECK(shown.values["title"] == "Housing subsidy 2024");      // from the server
  CHECK(shown.values["summary"] == "B's note, not sent yet");  // still on top
  CHECK(shown.local_changes);
  CHECK(shown.version == a->find("case", id)->version);  // rests on the pulled version
  CHECK(b->status().pending_ops == 1);

  b->sync();
  a->sync();
  CHECK(a->find("case", id)->values == b->find("case", id)->values);
  CHECK_FALSE(b->find("case", id)->local_changes);
}

TEST_CASE("client: an answered op stays visible until a pull brings it back") {
  World world;
  Device b(world, "b.db", 2);
  b.login("leader2");
  const std::string id = b->create_case(case_fields("Medical reimbursement"));
  b->sync();

  b->update_case(id, {{"summary", "receipts collected"}});
  b->write(OpKind::remove, "case", id, {});  // a field leader may not: rejected
  b.transport.fail("/v1/sync/pull", RouterTransport::Fault::drop_request);
  CHECK(error_of([&] { b->sync(); }) == "transport/network");
  // The rejection rebased the view: the delete is gone, the accepted edit is still shown.
  REQUIRE(b->find("case", id));
  CHECK(b->find("case", id)->values["summary"] == "receipts collected");
  CHECK(b->status().pending_ops == 0);
  CHECK(b->status().rejected.size() == 1);

  b->sync();
  CHECK(b->find("case", id)->values["summary"] == "receipts collected");
  CHECK_FALSE(b->find("case", id)->local_changes);
}

TEST_CASE("client: a case moved out of the unit keeps the edits made before, then leaves") {
  World world;
  Device a(world, "a.db", 1);
  Device office(world, "office.db", 3);
  a.login("leader1");
  office.login("office");
  const std::string id = a->create_case(case_fields("Reemployment"));
  const std::string petitioner = a->add_petitioner(id, {{"name", "Li"}});
  a->sync();
  office->sync();

  const std::string visit =
      a->add_visit(id, {{"kind", "home"}, {"notes", "written before the move"}});
  office->update_case(id, {{"unit_id", world.unit2.id}});
  office->sync();

  const SyncReport report = a->sync();
  CHECK(report.accepted == 1);  // the visit reached the server
  CHECK(report.rows_received >= 2);
  CHECK_FALSE(a->find("case", id));
  CHECK_FALSE(a->find("petitioner", petitioner));
  // The visit went to the server after the move, so no drop names it: it leaves with its case.
  CHECK_FALSE(a->find("visit", visit));
  CHECK(a->list_cases().cases.empty());
  CHECK(a->status().pending_ops == 0);

  office->sync();
  const CaseDetail moved = office->get_case(id);
  CHECK(moved.case_row.unit_id == world.unit2.id);
  REQUIRE(moved.visits.size() == 1);
  CHECK(moved.visits[0].visit.values["notes"] == "written before the move");
}

}  // namespace
}  // namespace fieldsync::client::testing
