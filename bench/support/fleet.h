#pragma once
// Load for the server benchmarks, from SimDevices over loopback HTTP:
//  - preload(): pushes cases (and a visit per case) in 500-op batches from several
//    connections at once, checking that every op is accepted;
//  - run_fleet(): N devices, one thread each, syncing concurrently until a deadline: each
//    sync pushes a small batch (a new case and updates of the device's own cases) and pulls
//    what changed in its unit, then waits a random think time. 503 answers are counted and
//    retried with the same ops (the op id makes a retry safe).
// Both remember every op id the server accepted, so a caller can prove that nothing was lost
// or applied twice (verify_store).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bench_store.h"

namespace fieldsync::bench {

struct PreloadResult {
  std::int64_t ops = 0;
  double seconds = 0;
  std::vector<std::string> accepted_op_ids;
  std::vector<std::string> device_ids;
};

// Pushes `cases` cases in the store's units (round robin) with `visits_per_case` visits each,
// from `connections` devices in parallel, `batch_ops` ops per push. Every op must be accepted.
PreloadResult preload(const std::string& base_url, const BenchStore& store, std::size_t cases,
                      std::size_t visits_per_case, std::size_t connections,
                      std::size_t batch_ops = 500);

struct FleetOptions {
  std::size_t devices = 500;
  double seconds = 60;
  int think_ms = 1000;  // mean pause between a device's syncs (uniform 0..2x)
  std::size_t ops_per_sync = 5;
  // Called about once a second from the driving thread while the fleet runs.
  std::function<void(double elapsed_seconds)> on_tick;
};

struct FleetResult {
  std::vector<double> sync_ms;  // push + pull, one sample per completed sync
  std::int64_t syncs = 0;
  std::int64_t ops_accepted = 0;
  std::int64_t retries_503 = 0;
  std::int64_t failures = 0;  // answers that were neither 200 nor 503
  double seconds = 0;
  std::vector<std::string> accepted_op_ids;
  std::vector<std::string> device_ids;
};

FleetResult run_fleet(const std::string& base_url, const BenchStore& store,
                      const FleetOptions& options);

// Counts, in the server's store, how the given op ids were logged: `lost` are accepted ids
// with no accepted op_log row, `doubled` ids logged more than once (impossible by the UNIQUE
// constraint, still counted), `extra` accepted rows of the given devices that no answer
// reported. Opens the store read-only.
struct StoreVerdict {
  std::int64_t lost = 0, doubled = 0, extra = 0, logged = 0;
};
StoreVerdict verify_store(const std::filesystem::path& db_path,
                          const std::vector<std::string>& accepted_op_ids,
                          const std::vector<std::string>& device_ids);

}  // namespace fieldsync::bench
