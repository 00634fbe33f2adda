// Benchmark 3, new device bootstrap: a store with N cases and a visit per case; a new tablet
// (the real library, a CurlTransport, a fresh replica file) signs in as the central office and
// syncs: the whole state arrives by snapshot pages. The tablet runs in a child process (this
// program with --client), so its peak RSS is its own; the server is restarted after loading,
// so its peak RSS is that of serving the snapshot.
// Baseline, same run: raw SQLite inserting the same rows (same entity tables and indexes,
// stamps of the same shape, one transaction per 500 rows, synchronous=FULL as the tablet).
// Targets: at most 3x the raw time; client peak RSS < 64 MB; server peak RSS < 200 MB.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "bench_store.h"
#include "fieldsync/client/client.h"
#include "fieldsync/client/curl_transport.h"
#include "fleet.h"
#include "measure.h"
#include "raw_sqlite.h"
#include "report.h"
#include "sim_device.h"

namespace fieldsync::bench {
namespace {

// --client URL FILE: bootstrap a replica at FILE; prints "CLIENT <rows> <seconds> <peak KiB>
// <cases> <visits> <snapshot?> <CPU seconds of the sync>".
int client_main(const std::string& url, const std::string& file) {
  client::CurlOptions curl;
  curl.base_url = url;
  curl.request_timeout = std::chrono::milliseconds(600'000);
  client::CurlTransport transport(curl);
  client::ClientOptions options;
  options.transport = &transport;
  client::Client tablet = client::Client::open(file, options);
  tablet.login("office", kBenchPassword);
  const double cpu_before = cpu_seconds(getpid());
  Stopwatch clock;
  const client::SyncReport report = tablet.sync();
  const double seconds = clock.seconds();
  const double cpu = cpu_seconds(getpid()) - cpu_before;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const long peak_kib = usage.ru_maxrss;
  RawDb db(file, "FULL");
  std::printf("CLIENT\t%lld\t%f\t%ld\t%lld\t%lld\t%d\t%f\n",
              static_cast<long long>(report.rows_received), seconds, peak_kib,
              static_cast<long long>(db.query_int("SELECT COUNT(*) FROM entity_case")),
              static_cast<long long>(db.query_int("SELECT COUNT(*) FROM entity_visit")),
              report.snapshot ? 1 : 0, cpu);
  return 0;
}

// Raw inserts of `cases` case rows and as many visit rows into a fresh replica's tables.
double raw_seconds(const std::filesystem::path& file, const std::string& unit, std::size_t cases) {
  { client::Client::open(file); }  // the replica's own schema: tables and indexes
  RawDb db(file, "FULL");
  SimDevice ids("http://127.0.0.1:1", 3);
  RawStatement case_row(db.handle(),
                        "INSERT INTO entity_case (id, unit_id, version, created_by, created_at,"
                        " updated_by, updated_at, stamps, title, channel, status, received_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5, ?6, ?7, 'home_visit', 'received',"
                        " '2026-11-26T08:00:00Z')");
  RawStatement visit_row(db.handle(),
                         "INSERT INTO entity_visit (id, unit_id, version, created_by, created_at,"
                         " updated_by, updated_at, stamps, case_id, kind, visited_at, notes)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5, ?6, ?7, 'home',"
                         " '2026-11-27T09:30:00Z', 'Met the petitioner at home; allowance"
                         " paperwork checked.')");
  const std::string user = ids.new_case(unit, "x").id;
  auto stamps = [&](const Op& op, std::int64_t version, std::initializer_list<const char*> fields) {
    Json s = Json::object();
    for (const char* f : fields)
      s[f] = {{"hlc", op.hlc.to_string()},
              {"dev", op.device_id},
              {"usr", user},
              {"op", op.op_id},
              {"ver", version}};
    return s.dump();
  };
  Stopwatch clock;
  std::int64_t version = 0;
  for (std::size_t i = 0; i < cases;) {
    db.exec("BEGIN IMMEDIATE");
    for (std::size_t k = 0; k < 250 && i < cases; ++k, ++i) {
      const Op c = ids.new_case(unit, "Preloaded case " + std::to_string(i));
      case_row.bind(1, c.id).bind(2, unit).bind(3, ++version).bind(4, user);
      case_row.bind(5, c.hlc.to_string());
      case_row.bind(6,
                    stamps(c, version, {"unit_id", "title", "channel", "status", "received_at"}));
      case_row.bind(7, "Preloaded case " + std::to_string(i)).run();
      const Op v = ids.new_visit(c.id);
      visit_row.bind(1, v.id).bind(2, unit).bind(3, ++version).bind(4, user);
      visit_row.bind(5, v.hlc.to_string());
      visit_row.bind(6, stamps(v, version, {"case_id", "kind", "visited_at", "notes"}));
      visit_row.bind(7, c.id).run();
    }
    db.exec("COMMIT");
  }
  return clock.seconds();
}

int run(const Args& args) {
  if (args.rest.size() == 3 && args.rest[0] == "--client")
    return client_main(args.rest[1], args.rest[2]);
  const std::size_t cases = args.pick<std::size_t>(100'000, 20'000, 100);

  TempDir dir("bootstrap");
  const BenchStore store = BenchStore::create(dir.path() / "server", 4);
  PreloadResult loaded;
  {
    ServerRun loader(store.data_dir);
    loaded = preload(loader.base_url(), store, cases, 1, 4);
  }
  note("bootstrap: loaded " + std::to_string(loaded.ops) + " ops in " +
       std::to_string(loaded.seconds) + " s");
  check(loaded.ops == static_cast<std::int64_t>(cases * 2), "every preloaded op accepted");

  ServerRun server(store.data_dir);
  const double server_cpu_before = cpu_seconds(server.pid());
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string command =
      self + " --client " + server.base_url() + " " + (dir.path() / "tablet.db").string();
  std::unique_ptr<FILE, int (*)(FILE*)> child(popen(command.c_str(), "r"), pclose);
  check(child != nullptr, "start the tablet process");
  char line[512] = {0};
  long long rows = 0, peak_kib = 0, case_rows = 0, visit_rows = 0;
  double seconds = 0, client_cpu = 0;
  int snapshot = 0;
  bool got = false;
  while (std::fgets(line, sizeof line, child.get()))
    if (std::sscanf(line, "CLIENT\t%lld\t%lf\t%lld\t%lld\t%lld\t%d\t%lf", &rows, &seconds,
                    &peak_kib, &case_rows, &visit_rows, &snapshot, &client_cpu) == 7)
      got = true;
  check(pclose(child.release()) == 0 && got, "the tablet process bootstrapped");
  const std::int64_t server_peak_kib = peak_rss_kib(server.pid());
  const double server_cpu = cpu_seconds(server.pid()) - server_cpu_before;
  server.stop();

  check(snapshot == 1, "the state came by snapshot");
  check(case_rows == static_cast<long long>(cases) && visit_rows == static_cast<long long>(cases),
        "the tablet holds every case and visit (" + std::to_string(case_rows) + " cases, " +
            std::to_string(visit_rows) + " visits)");

  std::vector<double> raw;
  for (int i = 0; i < args.pick(2, 1, 1); ++i)
    raw.push_back(
        raw_seconds(dir.path() / ("raw" + std::to_string(i) + ".db"), store.unit_ids[0], cases));
  const double base = median(raw);
  note("bootstrap: " + std::to_string(rows) + " rows received by snapshot");
  // Where the time went: the CPU the tablet used in its sync and the server from its start
  // (the tablet's sign-in and sync); the rest of the time is fsyncs and the link.
  note("bootstrap: " + std::to_string(seconds) + " s: tablet CPU " + std::to_string(client_cpu) +
       " s, server CPU " + std::to_string(server_cpu) + " s");
  print_figure({"3 bootstrap " + std::to_string(cases) + " cases + visits", seconds, "s", base,
                seconds / base, "<= 3x raw", seconds / base <= 3});
  print_figure({"3 bootstrap client peak RSS",
                static_cast<double>(peak_kib) / 1024,
                "MiB",
                {},
                {},
                "< 64 MiB",
                peak_kib < 64 * 1024});
  print_figure({"3 bootstrap server peak RSS",
                static_cast<double>(server_peak_kib) / 1024,
                "MiB",
                {},
                {},
                "< 200 MiB",
                server_peak_kib < 200 * 1024});
  return 0;
}

}  // namespace
}  // namespace fieldsync::bench

int main(int argc, char** argv) {
  return fieldsync::bench::run_bench(argc, argv, "bootstrap_bench", fieldsync::bench::run);
}
