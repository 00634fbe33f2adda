// The real fieldsync-server is SIGKILLed at seeded random points while three tablets (the
// client library over libcurl, real replica files) push to it, and restarted on the same data
// directory while the tablets retry. After each trial: every op the server acknowledged is in
// its store exactly once, every op each tablet wrote was accepted exactly once, every outbox is
// empty, and the store passes PRAGMA integrity_check.
#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include <doctest/doctest.h>

#include "acked_ops.h"
#include "client_world.h"
#include "fault_support.h"
#include "fieldsync/sqlite/database.h"
#include "restartable_server.h"

namespace fieldsync::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kQuiesceTimeout = 180s;
constexpr auto kRetryPause = 20ms;

// One tablet of the trials and what it wrote (counted by the test, not read back).
struct Member {
  std::string login;
  std::unique_ptr<CrashTablet> tablet;
  std::string case_id;
  std::int64_t ops = 0, visits = 0, petitioners = 0;  // write calls, visits and petitioners
  std::int64_t logged_at_start = 0;  // ops the server logged for the device before (enrolment)
};

// Writes `count` ops offline on m's case: visits, petitioners and summary updates in turn.
void write_ops(Member& m, int count, int trial) {
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(trial) + "." + std::to_string(i);
    client::Client& c = m.tablet->client();
    if (i % 3 == 0) {
      c.add_visit(m.case_id, {{"kind", "home"}, {"notes", "visit " + n}});
      ++m.visits;
    } else if (i % 3 == 1) {
      c.add_petitioner(m.case_id, {{"name", "petitioner " + n}});
      ++m.petitioners;
    } else {
      c.update_case(m.case_id, {{"summary", "summary " + n}});
    }
    ++m.ops;
  }
}

// The op ids the server's store logged from `device` (op_id is unique in op_log).
std::set<std::string> logged_op_ids(const std::filesystem::path& store, const std::string& device) {
  sqlite::OpenOptions options;
  options.read_only = true;
  sqlite::Database db = sqlite::Database::open(store, options);
  sqlite::Statement st = db.prepare("SELECT op_id FROM op_log WHERE device_id = ?1");
  st.bind(1, device);
  std::set<std::string> ids;
  while (st.step()) ids.insert(st.column_text(0));
  return ids;
}

// Syncs until a sync succeeds with nothing left to push, retrying after every failure (the
// server may be down); false when the deadline passed first.
bool sync_until_drained(client::Client& c, Clock::time_point deadline) {
  while (Clock::now() < deadline) {
    try {
      c.sync();
      if (c.status().pending_ops == 0) return true;
    } catch (const Error&) {
      std::this_thread::sleep_for(kRetryPause);
    }
  }
  return false;
}

TEST_CASE(
    "server crash: SIGKILLed while taking pushes and restarted, it loses and doubles nothing") {
  const int trials = long_mode() ? 100 : 3;
  const int ops_per_tablet = 24;  // long mode: more trials, not longer ones
  const std::uint64_t seed = suite_seed(0x5eed'0007);
  INFO("seed ", seed, " (replay: FIELDSYNC_SEED=", seed, ")");
  std::mt19937_64 rng(seed);

  ClientWorld world({kLeaderA, kLeaderA2, kLeaderB});
  world.api().server().stop();  // the world's store, served by a server the test can kill
  const std::filesystem::path store = world.api().server().data_dir() / "fieldsync.db";
  RestartableServer server(world.api().server().data_dir(), world.files() / "server.log");
  server.start();

  std::vector<Member> members;
  for (const char* login : {"leader_a", "leader_a2", "leader_b"}) {
    Member m;
    m.login = login;
    // Small batches: a tablet's ops arrive over several requests and transactions, so a kill
    // lands between them, not only after the last (the server takes 24 ops in a few ms).
    m.tablet = std::make_unique<CrashTablet>(world.files() / (m.login + ".db"), server.base_url(),
                                             /*push_batch_ops=*/4);
    m.tablet->client().login(login, kUserPassword);
    m.logged_at_start = world.ops_logged(m.tablet->client().device_id());
    m.case_id = m.tablet->client().create_case(case_fields("case of " + m.login));
    m.ops = 1;
    members.push_back(std::move(m));
  }

  std::int64_t kills = 0, killed_with_work_left = 0;
  for (int trial = 0; trial < trials; ++trial) {
    CAPTURE(trial);
    for (Member& m : members) write_ops(m, ops_per_tablet, trial);
    const std::int64_t logged_before = world.server_int("SELECT COUNT(*) FROM op_log");
    const std::int64_t new_ops =
        static_cast<std::int64_t>(members.size()) * ops_per_tablet + (trial == 0 ? 3 : 0);
    const std::int64_t kill_after = trial == 0 ? 1 : uniform(rng, 0, new_ops - 1);
    // The first kill follows the first commit at once, so at least one lands mid-work.
    const auto kill_delay = std::chrono::microseconds(trial == 0 ? 0 : uniform(rng, 0, 30'000));
    const auto down_for = std::chrono::milliseconds(uniform(rng, 0, 100));

    const auto deadline = Clock::now() + kQuiesceTimeout;
    std::vector<std::thread> syncing;
    std::vector<char> drained(members.size(), 0);
    for (std::size_t i = 0; i < members.size(); ++i) {
      syncing.emplace_back([&, i] {
        drained[i] = sync_until_drained(members[i].tablet->client(), deadline) ? 1 : 0;
      });
    }
    while (Clock::now() < deadline &&
           world.server_int("SELECT COUNT(*) FROM op_log") < logged_before + kill_after)
      std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(kill_delay);
    const std::int64_t logged_at_kill = world.server_int("SELECT COUNT(*) FROM op_log");
    server.kill_now();
    ++kills;
    if (logged_at_kill < logged_before + new_ops) ++killed_with_work_left;
    std::this_thread::sleep_for(down_for);
    server.start();
    for (std::thread& t : syncing) t.join();

    CHECK(integrity_check(store) == "ok");
    std::int64_t acknowledged = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
      Member& m = members[i];
      CAPTURE(m.login);
      CHECK(drained[i] == 1);
      const client::SyncStatus s = m.tablet->client().status();
      CHECK(s.pending_ops == 0);
      CHECK(s.rejected.empty());
      const std::string& device = s.device_id;
      // Every op the tablet made was pushed (its outbox is empty) and logged once, accepted.
      const std::set<std::string> sent = m.tablet->recorder().sent();
      const std::set<std::string> logged = logged_op_ids(store, device);
      CHECK(static_cast<std::int64_t>(logged.size()) - m.logged_at_start ==
            static_cast<std::int64_t>(sent.size()));
      CHECK(world.ops_logged(device, "accepted") - m.logged_at_start ==
            static_cast<std::int64_t>(sent.size()));
      for (const std::string& op_id : sent)
        CHECK_MESSAGE(logged.count(op_id) == 1, "pushed op ", op_id, " is not stored");
      CHECK(static_cast<std::int64_t>(sent.size()) >= m.ops);  // a call may write several ops
      for (const std::string& op_id : m.tablet->recorder().acknowledged()) {
        CHECK_MESSAGE(logged.count(op_id) == 1, "acknowledged op ", op_id, " is not stored");
        ++acknowledged;
      }
      CHECK(world.server_int("SELECT COUNT(*) FROM entity_visit WHERE case_id = ?1", {m.case_id}) ==
            m.visits);
      CHECK(world.server_int("SELECT COUNT(*) FROM entity_petitioner WHERE case_id = ?1",
                             {m.case_id}) == m.petitioners);
    }
    // No row was created twice (a resent create under a new op id would be logged again).
    CHECK(world.server_int("SELECT COUNT(*) FROM (SELECT 1 FROM op_log WHERE kind = 'create'"
                           " GROUP BY entity, row_id HAVING COUNT(*) > 1)") == 0);
    if (trial + 1 == trials)
      add_figure("ops acknowledged by the server, verified after kills", acknowledged);
  }
  // The kills landed while work was still arriving, not only after it.
  CHECK(killed_with_work_left > 0);
  add_figure("server crash trials", trials);
  add_figure("server SIGKILLs", kills);
  add_figure("server SIGKILLs with pushes still arriving", killed_with_work_left);
  std::int64_t pushed = 0;
  for (const Member& m : members)
    pushed += static_cast<std::int64_t>(m.tablet->recorder().sent().size());
  add_figure("ops made by tablets and found once in the server's store", pushed);
}

}  // namespace
}  // namespace fieldsync::testing
