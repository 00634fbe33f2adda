// A tablet process (fault_tablet: the real client library over libcurl) is SIGKILLed at seeded
// random points while it writes and syncs, and started again on the same replica. Every write
// it reported as done survives each kill, the replica passes PRAGMA integrity_check after each
// kill, and after a final sync every op reached the server exactly once and was accepted.
#include <chrono>
#include <set>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>

#include "client_world.h"
#include "fault_support.h"

namespace fieldsync::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kWritesPerRun = 40;
constexpr int kSyncEvery = 7;
// What one uninterrupted run prints: its writes, "sync" + an outcome per sync, "done".
constexpr int kLinesPerRun = kWritesPerRun + 2 * (kWritesPerRun / kSyncEvery + 1) + 1;
constexpr auto kRunTimeout = 120s;

// The complete lines of `text` (a line cut by the kill is left out).
std::vector<std::string> complete_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  return lines;
}

TEST_CASE("client crash: a tablet SIGKILLed while writing and syncing loses and doubles nothing") {
  const int trials = long_mode() ? 100 : 4;
  const std::uint64_t seed = suite_seed(0x5eed'0107);
  INFO("seed ", seed, " (replay: FIELDSYNC_SEED=", seed, ")");
  std::mt19937_64 rng(seed);

  ClientWorld world({kLeaderA});
  std::filesystem::path db;
  std::string device, case_id;
  {
    Tablet a = world.signed_in("a", "leader_a");
    a->set_server_url(world.base_url());  // where fault_tablet connects
    case_id = a->create_case(case_fields("case written under kills"));
    a->sync();
    db = a.path();
    device = a.device_id();
  }  // closed: the tablet process has the file to itself

  std::set<std::string> visits, petitioners;  // writes a run reported as done
  std::int64_t kills = 0, kills_mid_sync = 0;
  for (int trial = 0; trial < trials; ++trial) {
    CAPTURE(trial);
    const std::int64_t kill_at_line = uniform(rng, 1, kLinesPerRun);
    const auto kill_delay = std::chrono::microseconds(uniform(rng, 0, 5'000));
    const std::filesystem::path log = world.files() / ("tablet-" + std::to_string(trial) + ".log");
    ChildProcess tablet({FAULT_TABLET_BIN, db.string(), case_id, std::to_string(kWritesPerRun),
                         std::to_string(kSyncEvery)},
                        log);
    const auto deadline = Clock::now() + kRunTimeout;
    while (!tablet.poll() && Clock::now() < deadline &&
           static_cast<std::int64_t>(complete_lines(tablet.output()).size()) < kill_at_line)
      std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(kill_delay);
    const int status = tablet.kill_now();
    const std::vector<std::string> lines = complete_lines(tablet.output());
    INFO("fault_tablet printed:\n", tablet.output());
    if (status == 128 + 9) {
      ++kills;
    } else {
      CHECK(status == 0);  // it finished before the kill point
    }
    if (!lines.empty() && lines.back() == "sync") ++kills_mid_sync;
    for (const std::string& line : lines) {
      if (line.rfind("visit ", 0) == 0) visits.insert(line.substr(6));
      if (line.rfind("petitioner ", 0) == 0) petitioners.insert(line.substr(11));
    }

    CHECK(integrity_check(db) == "ok");
    Tablet reopened = world.tablet("a");
    CHECK(reopened->status().rejected.empty());
    for (const std::string& id : visits)
      CHECK_MESSAGE(reopened->find("visit", id).has_value(), "visit ", id);
    for (const std::string& id : petitioners)
      CHECK_MESSAGE(reopened->find("petitioner", id).has_value(), "petitioner ", id);
  }
  CHECK(kills > 0);

  Tablet a = world.tablet("a");
  a->sync();
  const client::SyncStatus s = a->status();
  CHECK(s.pending_ops == 0);
  CHECK(s.rejected.empty());
  CHECK(world.ops_logged(device) == world.ops_logged(device, "accepted"));
  for (const std::string& id : visits) CHECK(world.server_rows("visit", "id", id) == 1);
  for (const std::string& id : petitioners) CHECK(world.server_rows("petitioner", "id", id) == 1);
  const client::CaseDetail local = a->get_case(case_id);
  CHECK(world.server_int("SELECT COUNT(*) FROM entity_visit WHERE case_id = ?1", {case_id}) ==
        static_cast<std::int64_t>(local.visits.size()));
  CHECK(world.server_int("SELECT COUNT(*) FROM entity_petitioner WHERE case_id = ?1", {case_id}) ==
        static_cast<std::int64_t>(local.petitioners.size()));
  CHECK(local.visits.size() >= visits.size());
  CHECK(local.petitioners.size() >= petitioners.size());
  CHECK(world.server_int("SELECT COUNT(*) FROM (SELECT 1 FROM op_log WHERE kind = 'create'"
                         " GROUP BY entity, row_id HAVING COUNT(*) > 1)") == 0);
  a.close();
  CHECK(integrity_check(db) == "ok");

  add_figure("tablet crash trials", trials);
  add_figure("tablet SIGKILLs", kills);
  add_figure("tablet SIGKILLs during a sync", kills_mid_sync);
  add_figure("tablet writes reported done and found once on the server",
             static_cast<std::int64_t>(visits.size() + petitioners.size()));
}

}  // namespace
}  // namespace fieldsync::testing
