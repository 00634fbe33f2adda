// Benchmark 6, soak: steady load for 10 minutes (50 devices syncing every ~200 ms on average)
// against one fieldsync-server; its resident set is sampled every second. The figure is the
// growth of RSS from the end of warm-up (the first fifth of the run) to the end, against the
// target of at most 10%. Also proves no accepted op was lost or doubled. --quick runs 60 s,
// --smoke 3 s.
#include <algorithm>

#include "bench_store.h"
#include "fleet.h"
#include "measure.h"
#include "report.h"

namespace fieldsync::bench {
namespace {

int run(const Args& args) {
  FleetOptions options;
  options.devices = args.pick<std::size_t>(50, 50, 5);
  options.seconds = args.pick(600.0, 60.0, 3.0);
  options.think_ms = 100;

  TempDir dir("soak");
  const BenchStore store = BenchStore::create(dir.path() / "server", 10);
  ServerRun server(store.data_dir);
  const double warm_up = options.seconds / 5;
  std::vector<std::pair<double, std::int64_t>> samples;  // seconds, RSS KiB
  options.on_tick = [&](double elapsed) { samples.emplace_back(elapsed, rss_kib(server.pid())); };
  const FleetResult fleet = run_fleet(server.base_url(), store, options);
  samples.emplace_back(fleet.seconds, rss_kib(server.pid()));
  server.stop();

  check(fleet.failures == 0, std::to_string(fleet.failures) + " answers were errors");
  const StoreVerdict v = verify_store(store.db_path(), fleet.accepted_op_ids, fleet.device_ids);
  check(v.lost == 0 && v.doubled == 0 && v.extra == 0, "no op lost or doubled");

  std::int64_t after_warm_up = 0;
  for (const auto& [t, kib] : samples)
    if (t >= warm_up && after_warm_up == 0) after_warm_up = kib;
  if (after_warm_up == 0) after_warm_up = samples.front().second;
  const std::int64_t end = samples.back().second;
  std::int64_t peak = 0;
  for (const auto& s : samples) peak = std::max(peak, s.second);
  const double growth = 100.0 * static_cast<double>(end - after_warm_up) /
                        static_cast<double>(std::max<std::int64_t>(1, after_warm_up));
  note("soak: " + std::to_string(fleet.syncs) + " syncs, " + std::to_string(fleet.ops_accepted) +
       " ops in " + std::to_string(fleet.seconds) + " s; server RSS after warm-up " +
       std::to_string(after_warm_up / 1024) + " MiB, at end " + std::to_string(end / 1024) +
       " MiB, peak " + std::to_string(peak / 1024) + " MiB");
  print_figure({"6 soak: server RSS growth after warm-up",
                growth,
                "%",
                static_cast<double>(after_warm_up) / 1024,
                {},
                "<= 10%",
                growth <= 10});
  return 0;
}

}  // namespace
}  // namespace fieldsync::bench

int main(int argc, char** argv) {
  return fieldsync::bench::run_bench(argc, argv, "soak_bench", fieldsync::bench::run);
}
