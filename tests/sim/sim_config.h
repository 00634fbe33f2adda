#pragma once
// The knobs of one simulated world: its size, how often things happen, and how bad the links
// are. A world is a pure function of its config (the seed included).
#include <cstdint>

#include "fault_link.h"

namespace fieldsync::sim {

struct SimConfig {
  std::uint64_t seed = 1;
  int units = 3;                   // Plant > Unit 1..units
  int teams_per_unit = 2;          // Unit k > Team k.1..k.teams_per_unit
  int devices = 12;                // one user per device
  std::int64_t ops = 600;          // ops the devices write before quiescence (the run's length)
  double sync_probability = 0.15;  // per step, that the chosen device syncs instead of writing
  std::size_t push_batch_ops = 6;  // small, so one sync pushes several batches
  std::size_t page_rows = 16;      // small, so one pull takes several pages
  int user_disables = 1;           // mid-run administration
  int device_revokes = 1;
  int max_quiescence_rounds = 12;
  FaultRates faults{0.05, 0.05, 0.04, 0.04, 0.08};
};

// Bounded (CI) and long (FIELDSYNC_LONG=1) worlds for one seed.
SimConfig bounded_config(std::uint64_t seed);
SimConfig long_config(std::uint64_t seed);

}  // namespace fieldsync::sim
