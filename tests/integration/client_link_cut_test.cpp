// The link to the server breaks in the middle of a push and in the middle of a pull (a proxy
// on loopback cuts it); the next sync on a healthy link resumes: nothing lost, nothing doubled,
// no gap in what the second device receives.
#include <doctest/doctest.h>

#include "client_world.h"
#include "cutting_proxy.h"

namespace fieldsync::testing {
namespace {

// This device's op ids, from the history of `case_id`.
std::vector<std::string> own_ops(client::Client& c, const std::string& case_id) {
  std::vector<std::string> ids;
  for (const client::HistoryEntry& h : c.get_case(case_id).history)
    if (h.source == "outbox") ids.push_back(h.op_id);
  return ids;
}

TEST_CASE(
    "client link cut: mid-push and mid-pull cuts, then a resume that loses and doubles nothing") {
  ClientWorld world({kLeaderA, kLeaderA2});
  CuttingProxy proxy(world.api().server().port());
  client::ClientOptions small_batches;
  small_batches.push_batch_ops = 10;
  Tablet a = world.signed_in("a", "leader_a", small_batches);
  client::ClientOptions small_pages;
  small_pages.page_rows = 5;
  Tablet b = world.signed_in("b", "leader_a2", small_pages);
  b->sync();  // B's first copy, before A has written anything
  const std::int64_t b_start = b->status().cursor;

  // A group from the start (5 people): adding petitioners never changes its kind flags.
  nlohmann::json fields = case_fields("Medical insurance arrears");
  fields["headcount"] = 5;
  const std::string id = a->create_case(fields);
  for (int i = 0; i < 12; ++i) {
    a->add_visit(id, {{"kind", "home"}, {"notes", "visit " + std::to_string(i)}});
    a->add_petitioner(id, {{"name", "petitioner " + std::to_string(i)}});
  }
  const std::vector<std::string> ops = own_ops(a.client(), id);
  REQUIRE(ops.size() == 25);  // three push batches: 10, 10, 5
  a.connect(proxy.base_url());

  // 1. The first batch's request is cut after its first bytes: the server applies nothing.
  proxy.cut_request_after(300);
  CHECK(error_of([&] { a->sync(); }).starts_with("transport/"));
  CHECK(proxy.link_down());
  CHECK(a->status().pending_ops == 25);
  CHECK(world.ops_logged(a.device_id()) == 0);
  proxy.heal();

  // 2. The first batch goes through; the server takes the whole second one, but its answer is
  // cut: the device does not know.
  client::SyncOptions cut_second_answer;
  cut_second_answer.progress = [&](const client::SyncProgress& p) {
    if (p.phase == client::SyncPhase::push && p.ops_sent == 10) proxy.cut_response_after(64);
  };
  CHECK(error_of([&] { a->sync(cut_second_answer); }).starts_with("transport/"));
  CHECK(a->status().pending_ops == 15);
  REQUIRE(a->status().last_error);
  CHECK(a->status().last_error->domain == "transport");
  CHECK(world.ops_logged(a.device_id()) == 20);
  proxy.heal();

  // The next connection is dropped too; the transport's retry gets through.
  const int connections = proxy.connections();
  proxy.drop_next_connection();
  const client::SyncReport resent = a->sync();
  CHECK(proxy.connections() >= connections + 2);
  CHECK(resent.duplicates == 10);
  CHECK(resent.accepted == 15);
  CHECK(resent.rejected == 0);
  CHECK(a->status().pending_ops == 0);
  CHECK_FALSE(a->status().last_error);
  CHECK(world.ops_logged(a.device_id()) == 25);
  for (const std::string& op : ops) CHECK(world.op_logged(op) == 1);
  CHECK(world.server_rows("visit", "case_id", id) == 12);
  CHECK(world.server_rows("petitioner", "case_id", id) == 12);

  // 3. B pulls 5 rows a page; the link goes after the first page.
  b.connect(proxy.base_url());
  client::SyncOptions cut_after_one_page;
  cut_after_one_page.progress = [&](const client::SyncProgress& p) {
    if (p.phase == client::SyncPhase::pull && p.rows_received >= 5) proxy.cut_response_after(100);
  };
  CHECK(error_of([&] { b->sync(cut_after_one_page); }).starts_with("transport/"));
  const std::int64_t stored = b->status().cursor;
  CHECK(stored > b_start);
  CHECK(stored < a->status().cursor);
  // Not everything came. (The case row itself may not have: its newest version is the
  // office's kind-flags write after A's first batch, later than its first children.)
  CHECK((!b->find("case", id) || b->get_case(id).visits.size() < 12));
  proxy.heal();

  const std::size_t before = proxy.requests().size();
  const client::SyncReport resumed = b->sync();
  CHECK_FALSE(resumed.snapshot);
  const std::vector<std::string> requests = proxy.requests();
  REQUIRE(requests.size() > before);
  CHECK(requests[before].starts_with("GET /v1/sync/pull?cursor=" + std::to_string(stored) + "&"));
  const auto on_a = case_picture(a.client(), id);
  const auto on_b = case_picture(b.client(), id);
  CHECK_MESSAGE(on_a == on_b, "the devices differ:\n" << picture_difference(on_a, on_b));
  CHECK(on_b["visits"].size() == 12);
  CHECK(on_b["petitioners"].size() == 12);
  CHECK(b->status().cursor == a->status().cursor);

  // 4. A new device's first copy (snapshot pages) is cut after its first page, then resumes.
  Tablet c = world.signed_in("c", "leader_a2", small_pages);
  c.connect(proxy.base_url());
  client::SyncOptions cut_after_first_copy_page;
  cut_after_first_copy_page.progress = [&](const client::SyncProgress& p) {
    if (p.phase == client::SyncPhase::snapshot && p.rows_received == 5)
      proxy.cut_response_after(100);
  };
  CHECK(error_of([&] { c->sync(cut_after_first_copy_page); }).starts_with("transport/"));
  CHECK_FALSE(c->status().snapshot_done);
  proxy.heal();
  const std::size_t snapshot_before = proxy.requests().size();
  CHECK(c->sync().snapshot);
  // It went on after the stored page instead of starting over.
  REQUIRE(proxy.requests().size() > snapshot_before);
  CHECK(proxy.requests()[snapshot_before].starts_with("GET /v1/sync/snapshot?limit=5&after="));
  CHECK(c->status().snapshot_done);
  const auto on_c = case_picture(c.client(), id);
  CHECK_MESSAGE(on_a == on_c, "A and C differ:\n" << picture_difference(on_a, on_c));
}

}  // namespace
}  // namespace fieldsync::testing
