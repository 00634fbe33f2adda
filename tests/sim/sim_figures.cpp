#include "sim_figures.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fieldsync::sim {

void SimFigures::add(const SimFigures& o) {
  worlds += o.worlds;
  devices += o.devices;
  units += o.units;
  steps += o.steps;
  ops_created += o.ops_created;
  writes_refused_on_device += o.writes_refused_on_device;
  ops_accepted += o.ops_accepted;
  ops_rejected += o.ops_rejected;
  ops_pending += o.ops_pending;
  ops_wiped += o.ops_wiped;
  duplicate_answers += o.duplicate_answers;
  conflict_answers += o.conflict_answers;
  conflict_records += o.conflict_records;
  concurrent_flag_writes += o.concurrent_flag_writes;
  syncs += o.syncs;
  syncs_failed += o.syncs_failed;
  relogins += o.relogins;
  rows_received += o.rows_received;
  quiescence_rounds = std::max(quiescence_rounds, o.quiescence_rounds);
  case_moves += o.case_moves;
  user_disables += o.user_disables;
  device_revokes += o.device_revokes;
  devices_wiped += o.devices_wiped;
  devices_skewed += o.devices_skewed;
  skew_min_minutes = std::min(skew_min_minutes, o.skew_min_minutes);
  skew_max_minutes = std::max(skew_max_minutes, o.skew_max_minutes);
  hlc_clamped += o.hlc_clamped;
  for (const auto& [kind, n] : o.faults.by_kind) faults.by_kind[kind] += n;
  seeds.insert(seeds.end(), o.seeds.begin(), o.seeds.end());
}

Json SimFigures::to_figures() const {
  Json out = Json::array();
  auto put = [&](const std::string& name, const Json& value) {
    out.push_back({{"name", name}, {"value", value}});
  };
  put("long-mode target met (>= 1,000 devices and >= 1,000,000 ops)",
      devices >= 1000 && ops_created >= 1'000'000 ? "yes" : "no");
  put("worlds (seeds)", worlds);
  put("devices", devices);
  put("units (plant, units, teams; summed over worlds)", units);
  put("simulation steps", steps);
  put("ops created on devices", ops_created);
  put("ops accepted exactly once", ops_accepted);
  put("ops rejected with a visible reason", ops_rejected);
  put("ops still pending on live devices", ops_pending);
  put("ops lost with a wiped (revoked/disabled) device, never sent", ops_wiped);
  put("writes refused by the device's own checks (no op made)", writes_refused_on_device);
  put("duplicate answers to resent ops", duplicate_answers);
  put("ops answered conflict", conflict_answers);
  put("conflict records", conflict_records);
  put("concurrent disagreeing flag writes (checker's replay)", concurrent_flag_writes);
  put("syncs", syncs);
  put("syncs that failed part-way", syncs_failed);
  put("sign-ins again after a refused token", relogins);
  put("rows and drops pulled", rows_received);
  put("most quiescence rounds needed", quiescence_rounds);
  put("cases moved between units", case_moves);
  put("users disabled mid-run", user_disables);
  put("devices revoked mid-run", device_revokes);
  put("devices wiped", devices_wiped);
  put("devices with a skewed clock", devices_skewed);
  put("clock skew min (minutes)", skew_min_minutes);
  put("clock skew max (minutes)", skew_max_minutes);
  put("ops whose HLC the server clamped", hlc_clamped);
  std::int64_t total_faults = 0;
  for (int k = 0; k < kFaultKinds; ++k) {
    const auto kind = static_cast<FaultKind>(k);
    const auto it = faults.by_kind.find(kind);
    const std::int64_t n = it == faults.by_kind.end() ? 0 : it->second;
    total_faults += kind == FaultKind::reordered ? 0 : n;
    put(std::string("faults: ") + to_string(kind), n);
  }
  put("faults injected in total", total_faults);
  Json seed_list = Json::array();
  for (std::size_t i = 0; i < seeds.size() && i < 20; ++i) seed_list.push_back(seeds[i]);
  put("seeds (first 20)", seed_list);
  return out;
}

void write_figures_file(const SimFigures& figures, const std::string& mode) {
  const char* dir = std::getenv("FIELDSYNC_FIGURES_DIR");
  if (!dir || !*dir) return;
  std::filesystem::create_directories(dir);
  Json doc = {
      {"suite", "sim"},
      {"title", "Deterministic simulation"},
      {"what",
       "One process runs the real sync core, the real client library (fieldsync::Client on its "
       "own SQLite file per device) and the real server service (ApiRouter/SyncService on a "
       "SQLite store in a temp dir). Devices of field leaders, unit reviewers and the central "
       "office, spread over a plant > units > teams tree, write random ops offline (cases with "
       "lww, flag, set, workflow, counter and append fields, petitioners, visits and "
       "corrections, commitments, urgent reports, transfers, leader assignments, conflict "
       "decisions) and sync at random times through a transport seam that loses requests, "
       "loses answers after the server committed, duplicates, delays and reorders requests and "
       "cuts connections mid-sync; device clocks are off by minutes to days both ways; cases "
       "are moved between units, users disabled and devices revoked mid-run. After quiescence "
       "it checks that every device's state equals the server's restricted to its scope, that "
       "every op a device made was accepted exactly once, rejected visibly or is counted "
       "(pending, or lost with a wiped device), that every concurrent disagreeing write to a "
       "flag field is held by exactly one conflict record, that no device holds a row outside "
       "its scope and that no append-only entry was changed. Everything follows from the seed "
       "(FIELDSYNC_SIM_SEED replays one)."},
      {"mode", mode},
      {"figures", figures.to_figures()}};
  std::ofstream(std::filesystem::path(dir) / "sim.json") << doc.dump(2) << "\n";
}

}  // namespace fieldsync::sim
