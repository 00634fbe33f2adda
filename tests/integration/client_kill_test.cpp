// The sync process is killed with SIGKILL at three points (early in the push, in its middle,
// during the pull) on a replica with 3,000 waiting ops; a restarted client then finishes the
// sync: every op reaches the server exactly once and the replica stays sound.
#include <chrono>
#include <functional>
#include <thread>

#include <doctest/doctest.h>

#include "client_world.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::testing {
namespace {

#ifdef FIELDVISIT_BIN

constexpr int kCases = 10;
constexpr int kOps = 3000;
constexpr auto kPollEvery = std::chrono::milliseconds(5);
constexpr auto kMaxWait = std::chrono::seconds(120);

// The pull cursor stored in a replica, read while another process may be syncing it (-1 when
// the file cannot be read this moment).
std::int64_t stored_cursor(const std::filesystem::path& db) {
  try {
    sqlite::OpenOptions options;
    options.read_only = true;
    sqlite::Database replica = sqlite::Database::open(db, options);
    sqlite::Statement st =
        replica.prepare("SELECT value FROM sync_state WHERE key = 'pull_cursor'");
    return st.step() ? std::stoll(st.column_text(0)) : 0;
  } catch (const Error&) {
    return -1;
  }
}

// PRAGMA integrity_check of a replica no process has open.
std::string integrity(const std::filesystem::path& db) {
  sqlite::Database replica = sqlite::Database::open(db);
  sqlite::Statement st = replica.prepare("PRAGMA integrity_check");
  return st.step() ? st.column_text(0) : "no answer";
}

// Runs `fieldvisit --db DB sync` and SIGKILLs it once `now()` holds (polled every few ms, for at
// most kMaxWait). Returns its exit status (137 when the kill ended it) and what it printed.
std::pair<int, std::string> sync_killed_when(const std::filesystem::path& db,
                                             const std::function<bool()>& now) {
  ChildProcess child({FIELDVISIT_BIN, "--db", db.string(), "sync"},
                     db.parent_path() / "fieldvisit.log");
  const auto deadline = std::chrono::steady_clock::now() + kMaxWait;
  while (!child.poll() && std::chrono::steady_clock::now() < deadline) {
    if (now()) break;
    std::this_thread::sleep_for(kPollEvery);
  }
  const int status = child.kill_now();
  return {status, child.output()};
}

TEST_CASE("client kill: a sync killed early, midway and while pulling loses and doubles nothing") {
  ClientWorld world({kLeaderA});
  std::filesystem::path db;
  std::string device;
  std::vector<std::string> cases;
  int visits = 0, petitioners = 0;
  {
    Tablet a = world.signed_in("a", "leader_a");
    a->set_server_url(world.base_url());  // what fieldvisit connects to
    a->sync();                            // the first copy now: the syncs below push, then pull
    for (int i = 0; i < kCases; ++i) {
      // Groups from the start (5 people): adding petitioners never changes their kind flags,
      // so every op counted is one of the test's own writes.
      nlohmann::json fields = case_fields("case " + std::to_string(i));
      fields["headcount"] = 5;
      cases.push_back(a->create_case(fields));
    }
    for (int i = kCases; i < kOps; ++i) {
      const std::string& id = cases[static_cast<std::size_t>(i % kCases)];
      const std::string n = std::to_string(i);
      if (i % 3 == 0) {
        a->update_case(id, {{"summary", "summary " + n}});
      } else if (i % 3 == 1) {
        a->add_visit(id, {{"kind", "home"}, {"notes", "visit " + n}});
        ++visits;
      } else {
        a->add_petitioner(id, {{"name", "petitioner " + n}});
        ++petitioners;
      }
    }
    REQUIRE(a->status().pending_ops == kOps);
    db = a.path();
    device = a.device_id();
  }  // closed: fieldvisit has the file to itself

  const auto logged = [&] { return world.ops_logged(device); };
  const auto check_after_kill = [&](const std::pair<int, std::string>& run) {
    INFO("fieldvisit printed:\n", run.second);
    CHECK(run.first == 128 + 9);
    CHECK(integrity(db) == "ok");
    Tablet reopened = world.tablet("a");
    const client::SyncStatus s = reopened->status();
    CHECK(s.pending_ops >= kOps - logged());  // nothing the server lacks is lost
    CHECK(s.rejected.empty());
    CHECK(s.device_id == device);
  };

  const auto early = sync_killed_when(db, [&] { return logged() > 0; });
  CHECK(logged() < kOps);
  check_after_kill(early);

  const auto midway = sync_killed_when(db, [&] { return logged() >= kOps / 2; });
  CHECK(logged() < kOps);
  check_after_kill(midway);

  const std::int64_t cursor_before = stored_cursor(db);
  const auto pulling =
      sync_killed_when(db, [&] { return logged() == kOps && stored_cursor(db) > cursor_before; });
  CHECK(stored_cursor(db) > cursor_before);
  CHECK(stored_cursor(db) < world.server_int("SELECT MAX(version) FROM change_index"));
  check_after_kill(pulling);

  Tablet a = world.tablet("a");
  a->sync();
  const client::SyncStatus done = a->status();
  CHECK(done.pending_ops == 0);
  CHECK(done.rejected.empty());
  CHECK(done.cursor == world.server_int("SELECT MAX(version) FROM change_index"));
  CHECK(logged() == kOps);
  CHECK(world.ops_logged(device, "accepted") == kOps);
  CHECK(world.server_int("SELECT COUNT(*) FROM entity_case") == kCases);
  CHECK(world.server_int("SELECT COUNT(*) FROM entity_visit") == visits);
  CHECK(world.server_int("SELECT COUNT(*) FROM entity_petitioner") == petitioners);
  std::size_t local_visits = 0, local_petitioners = 0;
  for (const std::string& id : cases) {
    const client::CaseDetail d = a->get_case(id);
    CHECK_FALSE(d.case_row.local_changes);
    local_visits += d.visits.size();
    local_petitioners += d.petitioners.size();
  }
  CHECK(local_visits == static_cast<std::size_t>(visits));
  CHECK(local_petitioners == static_cast<std::size_t>(petitioners));
  a.close();
  CHECK(integrity(db) == "ok");
}

#endif  // FIELDVISIT_BIN

}  // namespace
}  // namespace fieldsync::testing
