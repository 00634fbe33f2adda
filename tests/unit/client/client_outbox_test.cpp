// Local writes and the outbox: validation before anything is written, durability across
// restarts, rejected ops kept visible, exact counts.
#include <doctest/doctest.h>

#include "client_fixture.h"

namespace fieldsync::client::testing {
namespace {

TEST_CASE("client: an invalid write is refused with its problems and writes nothing") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  auto e = thrown_error([&] { a->create_case({{"title", "no channel"}, {"headcount", 0}}); });
  REQUIRE(e);
  CHECK(e->domain() == ErrorDomain::validation);
  std::vector<std::string> fields;
  for (const Problem& p : e->problems()) fields.push_back(p.field + ":" + p.code);
  CHECK(std::find(fields.begin(), fields.end(), "fields.channel:required") != fields.end());
  CHECK(std::find(fields.begin(), fields.end(), "fields.headcount:out_of_range") != fields.end());
  CHECK(a->status().pending_ops == 0);
  CHECK(a->list_cases().cases.empty());

  const std::string id = a->create_case(case_fields("valid"));
  CHECK(error_of([&] {
          a->update_case(id, {{"status", "closed"}});
        }) == "validation/transition_not_allowed");
  CHECK(error_of([&] {
          a->update_case(id, {{"no_such_field", 1}});
        }) == "validation/unknown_field");
  CHECK(error_of([&] {
          a->add_visit(id, {{"kind", "home"}, {"corrects_visit_id", "x"}});
        }) == "validation/bad_uuid");
  CHECK(error_of([&] { a->reopen_case(id, ""); }) == "validation/reopen_reason_required");
  CHECK(a->status().pending_ops == 1);
  CHECK(a->find("case", id)->values["status"] == "received");
}

TEST_CASE("client: unknown ids and writing before any sign-in are refused") {
  World world;
  Device a(world, "a.db", 1);
  CHECK(error_of([&] { a->create_case(case_fields("before sign-in")); }) == "auth/not_signed_in");
  a.login("leader1");
  const std::string nowhere = "0192f3a4-5b6c-7d8e-9f01-23456789abcd";
  CHECK(error_of([&] { a->get_case(nowhere); }) == "client/unknown_row");
  CHECK(error_of([&] { a->update_case(nowhere, {{"title", "x"}}); }) == "client/unknown_row");
  CHECK(error_of([&] { a->add_visit(nowhere, {{"kind", "home"}}); }) == "client/unknown_row");
  CHECK(error_of([&] { a->complete_commitment(nowhere); }) == "client/unknown_row");
  CHECK(error_of([&] { a->correct_visit(nowhere, {}); }) == "client/unknown_row");
  CHECK(error_of([&] {
          a->write(OpKind::update, "case", nowhere, {{"title", "x"}});
        }) == "client/unknown_row");
  CHECK(error_of([&] { a->write(OpKind::create, "no_entity", nowhere, {}); }) ==
        "validation/unknown_entity");
  CHECK(a->status().pending_ops == 0);
}

TEST_CASE("client: pending ops survive closing and reopening the Client") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  a.transport.offline = true;
  const std::string id = a->create_case(case_fields("Housing allocation cut-off"));
  a->add_visit(id, {{"kind", "home"}});
  a->update_case(id, {{"summary", "waiting since 2003"}});
  const std::string device = a->device_id();
  const std::string first_hlc = a->get_case(id).history.back().hlc;

  a.clock.advance(-60 * kMinute);  // the tablet's clock jumps back an hour
  a.reopen();
  CHECK(a->device_id() == device);
  CHECK(a->status().pending_ops == 3);
  CHECK(a->status().user_id == world.leader1.id);
  CHECK(a->find("case", id)->values["summary"] == "waiting since 2003");
  CHECK(a->find("case", id)->local_changes);

  a->update_case(id, {{"title", "Housing allocation cut-off date"}});
  const std::vector<HistoryEntry> history = a->get_case(id).history;
  CHECK(history.back().values.contains("title"));
  CHECK(history.back().hlc > first_hlc);  // the device HLC never goes back

  a.transport.offline = false;
  CHECK(a->sync().accepted == 4);
  Device b(world, "b.db", 2);
  b.login("leader2");
  b->sync();
  CHECK(b->find("case", id)->values["summary"] == "waiting since 2003");
  CHECK(b->find("case", id)->values["title"] == "Housing allocation cut-off date");
  CHECK(b->get_case(id).visits.size() == 1);
}

TEST_CASE("client: a rejected op stays visible with its reason and is never resent") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  const std::string id = a->create_case(case_fields("Blocked the gate"));
  a->sync();

  const std::string op = a->write(OpKind::remove, "case", id, {});
  CHECK_FALSE(a->find("case", id));  // the view shows the delete while it is pending
  const SyncReport report = a->sync();
  CHECK(report.rejected == 1);
  REQUIRE(a->find("case", id));  // the server refused it: the case is back

  std::vector<RejectedOp> rejected = a->rejected_ops();
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0].op_id == op);
  CHECK(rejected[0].entity == "case");
  CHECK(rejected[0].row_id == id);
  CHECK(rejected[0].kind == "delete");
  REQUIRE(rejected[0].problems.size() == 1);
  CHECK(rejected[0].problems[0].code == "forbidden");
  CHECK(!rejected[0].problems[0].message.empty());
  CHECK(a->status().rejected.size() == 1);
  CHECK(a->status().pending_ops == 0);
  bool in_history = false;
  for (const HistoryEntry& h : a->get_case(id).history)
    in_history = in_history || (h.op_id == op && h.state == "rejected");
  CHECK(in_history);

  const int pushes = a.transport.delivered_count("/v1/sync/push");
  a->sync();
  a.reopen();
  a->sync();
  CHECK(a.transport.delivered_count("/v1/sync/push") == pushes);  // never sent again
  CHECK(world.logged(op) == 1);
  CHECK(a->rejected_ops().size() == 1);

  CHECK(error_of([&] { a->discard_rejected(a->device_id()); }) == "client/unknown_op");
  a->discard_rejected(op);
  CHECK(a->rejected_ops().empty());
  CHECK(error_of([&] { a->discard_rejected(op); }) == "client/unknown_op");
}

TEST_CASE("client: status counts are exact through writes, syncs and failures") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  SyncStatus s = a->status();
  CHECK(s.pending_ops == 0);
  CHECK(s.rejected.empty());
  CHECK(s.open_conflicts == 0);
  CHECK_FALSE(s.last_sync_at);
  CHECK_FALSE(s.last_error);
  CHECK(s.signed_in);
  CHECK(s.role == "field_leader");
  CHECK(s.unit_id == world.unit1.id);
  CHECK(s.device_id == a->device_id());

  const std::string id = a->create_case(case_fields("one"));
  a->create_case(case_fields("two"));
  a->write(OpKind::remove, "case", id, {});
  CHECK(a->status().pending_ops == 3);

  a.transport.offline = true;
  CHECK(error_of([&] { a->sync(); }) == "transport/unreachable");
  s = a->status();
  CHECK(s.pending_ops == 3);
  REQUIRE(s.last_error);
  CHECK(s.last_error->domain == "transport");
  CHECK(s.last_error->code == "unreachable");
  CHECK(!s.last_error->message.empty());

  a.transport.offline = false;
  a.clock.advance(5 * kMinute);
  a->sync();
  s = a->status();
  CHECK(s.pending_ops == 0);
  CHECK(s.rejected.size() == 1);
  CHECK_FALSE(s.last_error);
  REQUIRE(s.last_sync_at);
  CHECK(*s.last_sync_at == "2026-05-28T20:31:40.000Z");
  CHECK(a->list_cases().cases.size() == 2);

  a->update_case(id, {{"title", "one, again"}});
  CHECK(a->status().pending_ops == 1);

  Client offline = Client::open(world.dir.path() / "c.db", {&a.clock, &a.random, nullptr});
  CHECK(error_of([&] { offline.sync(); }) == "transport/offline");
  CHECK(offline.status().last_error->code == "offline");
}

}  // namespace
}  // namespace fieldsync::client::testing
