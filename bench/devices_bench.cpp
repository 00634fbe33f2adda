// Benchmark 5, many devices: 500 simulated devices (50 units, 10 per unit), each on its own
// connection and thread, syncing concurrently for 60 s against the real fieldsync-server:
// every sync pushes a new case and updates of the device's own cases, then pulls its unit's
// changes; devices pause a random think time (mean 1 s) between syncs. Reports p50 and p99
// sync latency and accepted ops/s, and proves from the server's op_log that no accepted op
// was lost or applied twice. Baseline, same run: p50 of a bare GET /healthz under the same
// load. --quick runs 15 s, --smoke 10 devices for 2 s.
#include "bench_store.h"
#include "fleet.h"
#include "measure.h"
#include "report.h"
#include "sim_device.h"

namespace fieldsync::bench {
namespace {

int run(const Args& args) {
  FleetOptions options;
  options.devices = args.pick<std::size_t>(500, 500, 10);
  options.seconds = args.pick(60.0, 15.0, 2.0);
  options.think_ms = args.pick(1000, 1000, 100);
  const std::size_t units = args.pick<std::size_t>(50, 50, 2);

  TempDir dir("devices");
  const BenchStore store = BenchStore::create(dir.path() / "server", units);
  ServerRun server(store.data_dir);

  // A probe measures a bare request every second while the fleet runs.
  SimDevice probe(server.base_url(), 77);
  std::vector<double> bare;
  options.on_tick = [&](double) {
    Stopwatch clock;
    const client::HttpResponse r = probe.get("/healthz");
    if (r.status == 200) bare.push_back(clock.ms());
  };
  const FleetResult fleet = run_fleet(server.base_url(), store, options);
  const std::int64_t server_peak = peak_rss_kib(server.pid());
  server.stop();

  check(fleet.failures == 0, std::to_string(fleet.failures) + " answers were errors");
  check(fleet.syncs > 0, "devices synced");
  const StoreVerdict v = verify_store(store.db_path(), fleet.accepted_op_ids, fleet.device_ids);
  check(v.lost == 0, std::to_string(v.lost) + " accepted ops are missing from the store");
  check(v.doubled == 0 && v.extra == 0, "ops applied twice: " + std::to_string(v.doubled) +
                                            ", unexplained: " + std::to_string(v.extra));

  const double p50 = percentile(fleet.sync_ms, 50), p99 = percentile(fleet.sync_ms, 99);
  const double bare50 = percentile(bare, 50);
  const double ops = static_cast<double>(fleet.ops_accepted) / fleet.seconds;
  note("devices: " + std::to_string(options.devices) + " devices, " + std::to_string(fleet.syncs) +
       " syncs in " + std::to_string(fleet.seconds) + " s, " + std::to_string(fleet.retries_503) +
       " answers 503 (retried), server peak RSS " + std::to_string(server_peak / 1024) + " MiB");
  print_figure({"5 devices: sync latency p50", p50, "ms", bare50, p50 / bare50, "-", {}});
  print_figure({"5 devices: sync latency p99", p99, "ms", bare50, p99 / bare50, "-", {}});
  print_figure({"5 devices: accepted ops/s", ops, "ops/s", {}, {}, "-", {}});
  print_figure({"5 devices: ops lost / doubled",
                static_cast<double>(v.lost + v.doubled),
                "ops",
                {},
                {},
                "0",
                v.lost + v.doubled == 0});
  return 0;
}

}  // namespace
}  // namespace fieldsync::bench

int main(int argc, char** argv) {
  return fieldsync::bench::run_bench(argc, argv, "devices_bench", fieldsync::bench::run);
}
