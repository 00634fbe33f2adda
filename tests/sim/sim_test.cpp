// The simulation's test cases: a handful of seeds in CI (bounded), the long mode with
// FIELDSYNC_LONG=1, one seed replayed with FIELDSYNC_SIM_SEED=<seed>; that a seed replays
// exactly; and that the checker does catch what it is there to catch.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <future>
#include <iostream>
#include <optional>
#include <string>

#include "invariants.h"
#include "sim_world.h"

namespace fieldsync::sim {
namespace {

std::optional<std::uint64_t> seed_from_env() {
  const char* text = std::getenv("FIELDSYNC_SIM_SEED");
  if (!text || !*text) return std::nullopt;
  return std::stoull(text);
}

bool long_mode() {
  const char* text = std::getenv("FIELDSYNC_LONG");
  return text && std::string(text) == "1";
}

// How many worlds the long mode runs at once (FIELDSYNC_SIM_THREADS, default 1): worlds share
// nothing, so each is still a pure function of its seed.
int sim_threads() {
  const char* text = std::getenv("FIELDSYNC_SIM_THREADS");
  return text && *text ? std::max(1, std::atoi(text)) : 1;
}

struct WorldOutcome {
  std::uint64_t seed = 0;
  SimFigures figures;
  std::vector<std::string> problems;
};

// Runs one world to quiescence and checks it (no doctest here: it may run on another thread).
WorldOutcome run_world(const SimConfig& config) {
  SimWorld world(config);
  world.run();
  world.quiesce();
  WorldOutcome out{config.seed, {}, world.anomalies};
  const std::vector<std::string> found = check_world(world);  // also counts into world.figures
  out.problems.insert(out.problems.end(), found.begin(), found.end());
  out.figures = world.figures;
  return out;
}

// A failure prints the seed and how to replay it.
SimFigures report(const WorldOutcome& outcome) {
  const auto& problems = outcome.problems;
  if (!problems.empty()) {
    std::cerr << "sim: seed " << outcome.seed << " failed with " << problems.size()
              << " problem(s); replay with FIELDSYNC_SIM_SEED=" << outcome.seed
              << (long_mode() ? " FIELDSYNC_LONG=1" : "") << "\n";
    for (std::size_t i = 0; i < problems.size() && i < 25; ++i)
      std::cerr << "  " << problems[i] << "\n";
  }
  INFO("seed " << outcome.seed << ": replay with FIELDSYNC_SIM_SEED=" << outcome.seed);
  CHECK(problems.empty());
  return outcome.figures;
}

SimFigures run_and_check(const SimConfig& config) {
  return report(run_world(config));
}

TEST_SUITE("sim_tests") {
  TEST_CASE("sim: devices converge on the server's state and nothing is lost, doubled or leaked") {
    const bool is_long = long_mode();
    SimFigures total;
    if (const auto replay = seed_from_env()) {
      total.add(run_and_check(is_long ? long_config(*replay) : bounded_config(*replay)));
    } else if (is_long) {
      // At least 1,000 devices and 1,000,000 ops in total, over worlds of 30 devices and
      // 25,000 ops each (40 worlds: a world's cost grows with devices x ops, as each pulls all).
      std::uint64_t seed = 1001;
      while (total.devices < 1000 || total.ops_created < 1'000'000) {
        std::vector<std::future<WorldOutcome>> running;
        for (int t = 0; t < sim_threads(); ++t)
          running.push_back(std::async(
              std::launch::async, [config = long_config(seed++)] { return run_world(config); }));
        for (auto& world : running) total.add(report(world.get()));
        std::cerr << "sim long: " << total.worlds << " worlds, " << total.devices << " devices, "
                  << total.ops_created << " ops\n";
        // After every round, so a run stopped early still leaves what finished.
        write_figures_file(total, "long");
      }
    } else {
      for (std::uint64_t seed : {11u, 22u, 33u}) total.add(run_and_check(bounded_config(seed)));
    }
    CHECK(total.ops_created > 0);
    CHECK(total.ops_accepted > total.ops_created / 2);
    write_figures_file(total, is_long ? "long" : "bounded");
  }

  TEST_CASE("sim: a seed replays exactly") {
    SimConfig config = bounded_config(7);
    config.devices = 6;
    config.ops = 120;
    auto outcome = [&] {
      SimWorld world(config);
      world.run();
      world.quiesce();
      std::string log;
      sqlite::Statement st =
          world.admin().database().prepare("SELECT op_id, outcome FROM op_log ORDER BY seq");
      while (st.step()) log += st.column_text(0) + " " + st.column_text(1) + "\n";
      return log + world.figures.to_figures().dump();
    };
    const std::string first = outcome();
    CHECK(first.size() > 1000);
    CHECK(outcome() == first);
  }

  TEST_CASE("sim: the checker catches a changed replica, a changed visit and a lost op") {
    SimConfig config = bounded_config(5);
    config.devices = 5;
    config.ops = 150;
    config.user_disables = config.device_revokes = 0;
    SimWorld world(config);
    world.run();
    world.quiesce();
    REQUIRE(check_world(world).empty());

    // Tamper behind the library's back, as a bug would.
    SimDevice& office = *world.devices()[0];
    const std::string tampered = office.login + " (central_office): case ";
    sqlite::Database device = sqlite::Database::open(office.path);
    device.exec(
        "UPDATE entity_case SET title = 'tampered' WHERE rowid = (SELECT MIN(rowid) "
        "FROM entity_case WHERE deleted = 0)");
    sqlite::Database& server = world.admin().database();
    server.exec(
        "UPDATE entity_visit SET notes = 'rewritten' WHERE rowid = (SELECT MIN(rowid) "
        "FROM entity_visit)");
    server.exec("DELETE FROM op_log WHERE seq = (SELECT MAX(seq) FROM op_log WHERE device_id = '" +
                office.device_id + "' AND outcome = 'accepted')");
    world.figures = SimFigures{};
    const std::vector<std::string> problems = check_world(world);
    auto mentions = [&](const std::string& text) {
      for (const auto& p : problems)
        if (p.find(text) != std::string::npos) return true;
      return false;
    };
    CHECK(mentions(tampered));
    CHECK(mentions(".notes is \"rewritten\""));
    CHECK(mentions("but the server never logged it"));
  }
}

}  // namespace
}  // namespace fieldsync::sim
