// Sync under faults: lost answers, dropped links, duplicated requests, cancellation. Whatever
// happens, the next sync neither loses nor doubles anything.
#include <atomic>

#include <doctest/doctest.h>

#include "client_fixture.h"

namespace fieldsync::client::testing {
namespace {

std::vector<std::string> own_op_ids(Client& client, const std::string& case_id) {
  std::vector<std::string> ids;
  for (const HistoryEntry& h : client.get_case(case_id).history)
    if (h.source == "outbox") ids.push_back(h.op_id);
  return ids;
}

TEST_CASE("client: an answer lost after the server committed is resent and applied once") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  a.login("leader1");
  b.login("leader2");
  const std::string id = a->create_case(case_fields("Veteran housing"));
  a->update_case(id, {{"notes", {"first note"}}, {"follow_up_contacts", 1}});
  const std::vector<std::string> ops = own_op_ids(*a.client, id);
  REQUIRE(ops.size() == 2);

  a.transport.fail("/v1/sync/push", RouterTransport::Fault::drop_response);
  CHECK(error_of([&] { a->sync(); }) == "transport/timeout");
  for (const std::string& op : ops) CHECK(world.logged(op) == 1);  // the server has them
  CHECK(a->status().pending_ops == 2);                             // the device does not know
  CHECK(a->status().last_error->code == "timeout");

  a.reopen();  // as if the app had been killed there
  CHECK(a->status().pending_ops == 2);
  const SyncReport resent = a->sync();
  CHECK(resent.duplicates == 2);
  CHECK(resent.accepted == 2);
  CHECK(a->status().pending_ops == 0);
  CHECK_FALSE(a->status().last_error);
  for (const std::string& op : ops) CHECK(world.logged(op) == 1);

  b->sync();
  const Record seen = *b->find("case", id);
  CHECK(seen.values["notes"].size() == 1);
  CHECK(seen.values["follow_up_contacts"] == 1);
}

TEST_CASE("client: a request lost before the server saw it is simply sent again") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  const std::string id = a->create_case(case_fields("Restructuring"));
  a.transport.fail("/v1/sync/push", RouterTransport::Fault::drop_request);
  CHECK(error_of([&] { a->sync(); }) == "transport/network");
  CHECK(world.logged(own_op_ids(*a.client, id).at(0)) == 0);
  const SyncReport report = a->sync();
  CHECK(report.accepted == 1);
  CHECK(report.duplicates == 0);
  CHECK(world.logged(own_op_ids(*a.client, id).at(0)) == 1);
}

TEST_CASE("client: a server error stops the sync, keeps everything and is reported") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  const std::string id = a->create_case(case_fields("Internal retiree wages"));
  a.transport.fail("/v1/sync/push", RouterTransport::Fault::server_busy);
  auto e = thrown_error([&] { a->sync(); });
  REQUIRE(e);
  CHECK(e->domain() == ErrorDomain::transport);
  CHECK(e->code() == "busy");
  CHECK(e->message().find("try again") != std::string::npos);
  CHECK(a->status().pending_ops == 1);
  CHECK(a->status().last_error->code == "busy");
  CHECK(a->find("case", id)->local_changes);
  CHECK(a->sync().accepted == 1);
  CHECK(a->status().pending_ops == 0);
}

TEST_CASE("client: a push delivered twice is applied once") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  const std::string id = a->create_case(case_fields("Social functions transfer"));
  a->update_case(id, {{"follow_up_contacts", 2}});
  a.transport.fail("/v1/sync/push", RouterTransport::Fault::duplicate);
  const SyncReport report = a->sync();
  CHECK(report.duplicates == 2);  // the answer seen is the second delivery's
  CHECK(report.accepted == 2);
  CHECK(a.transport.delivered_count("/v1/sync/push") == 2);
  for (const std::string& op : own_op_ids(*a.client, id)) CHECK(world.logged(op) == 1);
  CHECK(a->find("case", id)->values["follow_up_contacts"] == 2);
  CHECK_FALSE(a->find("case", id)->local_changes);
}

TEST_CASE("client: a link dropped during pull resumes from the stored cursor without gaps") {
  World world;
  Device a(world, "a.db", 1);
  ClientOptions small;
  small.page_rows = 2;
  Device b(world, "b.db", 2, small);
  a.login("leader1");
  b.login("leader2");
  b->sync();  // snapshot done; from now on B pulls
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i)
    ids.push_back(a->create_case(case_fields("case " + std::to_string(i))));
  a->sync();

  b.transport.fail("/v1/sync/pull", RouterTransport::Fault::drop_response, 1);
  CHECK(error_of([&] { b->sync(); }) == "transport/timeout");
  const std::int64_t stored = b->status().cursor;
  const std::size_t partial = b->list_cases().cases.size();
  CHECK(partial == 2);  // the first page only: its rows came with its cursor
  CHECK(stored > 0);

  b.reopen();
  b.transport.delivered.clear();
  b->sync();
  REQUIRE(!b.transport.delivered.empty());
  CHECK(b.transport.delivered.front().path.find("cursor=" + std::to_string(stored) + "&") !=
        std::string::npos);
  const CaseList all = b->list_cases();
  REQUIRE(all.cases.size() == 7);
  std::vector<std::string> seen;
  for (const CaseSummary& c : all.cases) seen.push_back(c.row.id);
  std::sort(seen.begin(), seen.end());
  std::sort(ids.begin(), ids.end());
  CHECK(seen == ids);
}

TEST_CASE("client: a snapshot interrupted by a dropped link resumes from its last page") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  for (int i = 0; i < 6; ++i) a->create_case(case_fields("case " + std::to_string(i)));
  a->sync();

  ClientOptions small;
  small.page_rows = 2;
  Device b(world, "b.db", 2, small);
  b.login("leader2");
  b.transport.fail("/v1/sync/snapshot", RouterTransport::Fault::drop_request, 2);
  CHECK(error_of([&] { b->sync(); }) == "transport/network");
  CHECK_FALSE(b->status().snapshot_done);
  CHECK(b->status().cursor == 0);

  b.reopen();
  b.transport.delivered.clear();
  const SyncReport report = b->sync();
  CHECK(report.snapshot);
  REQUIRE(!b.transport.delivered.empty());
  CHECK(b.transport.delivered.front().path.find("after=") != std::string::npos);  // resumed
  CHECK(b->list_cases().cases.size() == 6);
  CHECK(b->status().snapshot_done);
}

TEST_CASE("client: a snapshot whose resume token is refused starts over and misses nothing") {
  World world;
  Device a(world, "a.db", 1);
  Device office(world, "office.db", 3);
  a.login("leader1");
  office.login("office");
  for (int i = 0; i < 4; ++i) a->create_case(case_fields("case " + std::to_string(i)));
  a->sync();
  office->sync();

  ClientOptions small;
  small.page_rows = 2;
  Device b(world, "b.db", 2, small);
  b.login("leader2");
  b.transport.fail("/v1/sync/snapshot", RouterTransport::Fault::drop_request, 1);
  CHECK(error_of([&] { b->sync(); }) == "transport/network");
  const CaseList partial = b->list_cases();
  REQUIRE(partial.cases.size() == 2);
  const std::string gone = partial.cases[0].row.id;

  // While B is away, the office deletes a case B already has, and B's resume token goes bad.
  office->write(OpKind::remove, "case", gone, {});
  office->sync();
  b.client.reset();
  {
    sqlite::Database db = sqlite::Database::open(b.path);
    db.exec("UPDATE sync_state SET value = 'no-such-unit|case|x' WHERE key = 'snapshot_after'");
  }
  b.open();
  b.transport.delivered.clear();
  const SyncReport report = b->sync();
  CHECK(report.snapshot);
  REQUIRE(b.transport.delivered.size() >= 2);
  CHECK(b.transport.delivered[0].path.find("after=no-such-unit") != std::string::npos);
  CHECK(b.transport.delivered[1].path.find("after=") == std::string::npos);  // started over
  CHECK(b->status().snapshot_done);
  CHECK(b->list_cases().cases.size() == 3);
  CHECK_FALSE(b->find("case", gone));
}

TEST_CASE("client: cancel stops between push batches and keeps what was done") {
  World world;
  ClientOptions small;
  small.push_batch_ops = 2;
  Device a(world, "a.db", 1, small);
  a.login("leader1");
  for (int i = 0; i < 5; ++i) a->create_case(case_fields("case " + std::to_string(i)));

  std::atomic<bool> cancel{false};
  SyncOptions options;
  options.cancel = &cancel;
  options.progress = [&](const SyncProgress& p) {
    if (p.phase == SyncPhase::push && p.ops_sent == 2) cancel = true;
  };
  const SyncReport report = a->sync(options);
  CHECK(report.cancelled);
  CHECK(report.accepted == 2);
  CHECK(a.transport.delivered_count("/v1/sync/push") == 1);
  CHECK(a.transport.delivered_count("/v1/sync/") == 1);  // nothing pulled
  CHECK(a->status().pending_ops == 3);
  CHECK_FALSE(a->status().last_sync_at);

  cancel = false;
  options.progress = nullptr;
  const SyncReport rest = a->sync(options);
  CHECK_FALSE(rest.cancelled);
  CHECK(rest.accepted == 3);
  CHECK(a->status().pending_ops == 0);
  CHECK(a->status().last_sync_at);
}

}  // namespace
}  // namespace fieldsync::client::testing
