#pragma once
// What a simulated world counted while it ran and when it was checked. Every number is
// counted by the simulation itself; docs/reliability.md shows them (sim.json).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fault_link.h"
#include "fieldsync/core/model.h"

namespace fieldsync::sim {

struct SimFigures {
  std::int64_t worlds = 0;
  std::int64_t devices = 0;
  std::int64_t units = 0;
  std::int64_t steps = 0;
  // Ops, as the devices' outboxes and the server's log tell them apart.
  std::int64_t ops_created = 0;               // ops devices wrote (outbox entries)
  std::int64_t writes_refused_on_device = 0;  // refused by the device's own checks: no op
  std::int64_t ops_accepted = 0;              // logged once by the server as accepted or conflict
  std::int64_t ops_rejected = 0;              // refused by the server, visible on the device
  std::int64_t ops_pending = 0;               // still in a live device's outbox after quiescence
  std::int64_t ops_wiped = 0;                 // never reached the server; their device was wiped
  std::int64_t duplicate_answers = 0;       // resends answered "duplicate" (nothing applied again)
  std::int64_t conflict_answers = 0;        // ops answered "conflict"
  std::int64_t conflict_records = 0;        // conflict rows on the server at the end
  std::int64_t concurrent_flag_writes = 0;  // found by the checker's replay of the op log
  std::int64_t syncs = 0;
  std::int64_t syncs_failed = 0;  // sync() threw (link faults, refused token, wipe)
  std::int64_t relogins = 0;
  std::int64_t rows_received = 0;
  std::int64_t quiescence_rounds = 0;
  // Mid-run administration.
  std::int64_t case_moves = 0;  // accepted moves of a case to another unit
  std::int64_t user_disables = 0;
  std::int64_t device_revokes = 0;
  std::int64_t devices_wiped = 0;
  // Clocks.
  std::int64_t devices_skewed = 0;  // devices whose clock is off
  std::int64_t skew_min_minutes = 0;
  std::int64_t skew_max_minutes = 0;
  std::int64_t hlc_clamped = 0;  // ops whose stamp the server clamped (clock too far ahead)
  FaultCounts faults;
  std::vector<std::uint64_t> seeds;

  void add(const SimFigures& other);
  // [{"name", "value"}...] in the figures.md convention.
  Json to_figures() const;
};

// Writes $FIELDSYNC_FIGURES_DIR/sim.json when the variable is set.
void write_figures_file(const SimFigures& figures, const std::string& mode);

}  // namespace fieldsync::sim
