// Benchmark 4, round trips: two tablets (the real library over CurlTransport) of one unit,
// on a store with some history. Measured with the tablet's own sync():
//  - a sync with nothing to do (one push skipped, one empty pull);
//  - a sync carrying 100 ops each way: tablet B has 100 updates to send while tablet A has
//    already sent 100 of its own, so B's sync pushes 100 and pulls A's 100 (and its own back).
// Baseline, same run: a bare GET /healthz to the same server over the same kind of
// keep-alive connection. Targets: p50 <= 3 ms idle, p50 <= 15 ms with 100 ops each way.
#include "bench_store.h"
#include "fieldsync/client/client.h"
#include "fieldsync/client/curl_transport.h"
#include "fleet.h"
#include "measure.h"
#include "report.h"

namespace fieldsync::bench {
namespace {

struct Tablet {
  Tablet(const std::filesystem::path& file, const std::string& url, const std::string& login)
      : transport(options(url)), client(client::Client::open(file, with(transport))) {
    client.login(login, kBenchPassword);
  }
  static client::CurlOptions options(const std::string& url) {
    client::CurlOptions o;
    o.base_url = url;
    return o;
  }
  static client::ClientOptions with(client::CurlTransport& t) {
    client::ClientOptions o;
    o.transport = &t;
    return o;
  }
  client::CurlTransport transport;
  client::Client client;
};

int run(const Args& args) {
  const int samples = args.pick(200, 60, 3);
  const std::size_t history = args.pick<std::size_t>(5000, 2000, 20);
  const int each_way = args.pick(100, 100, 10);

  TempDir dir("round-trip");
  const BenchStore store = BenchStore::create(dir.path() / "server", 2);
  ServerRun server(store.data_dir);
  preload(server.base_url(), store, history, 1, 2);

  Tablet a(dir.path() / "a.db", server.base_url(), BenchStore::leader(0));
  Tablet b(dir.path() / "b.db", server.base_url(), BenchStore::leader(0));
  a.client.sync();
  b.client.sync();
  std::vector<std::string> cases;
  for (int i = 0; i < each_way; ++i)
    cases.push_back(
        a.client.create_case({{"title", "Shared " + std::to_string(i)}, {"channel", "visit"}}));
  a.client.sync();
  b.client.sync();
  check(b.client.find("case", cases.back()).has_value(), "B sees A's cases");

  std::vector<double> bare, idle, busy;
  client::CurlTransport probe(Tablet::options(server.base_url()));
  for (int i = 0; i < samples; ++i) {
    Stopwatch clock;
    const client::HttpResponse r = probe.send({"GET", "/healthz", {}, {}});
    bare.push_back(clock.ms());
    check(r.status == 200, "healthz answers 200");
  }
  for (int i = 0; i < samples; ++i) {
    Stopwatch clock;
    const client::SyncReport r = b.client.sync();
    idle.push_back(clock.ms());
    check(r.accepted == 0 && r.rows_received == 0, "an idle sync moves nothing");
  }
  for (int i = 0; i < samples; ++i) {
    const std::string round = std::to_string(i);
    for (int k = 0; k < each_way; ++k)
      a.client.update_case(cases[k], {{"summary", "A round " + round}});
    a.client.sync();
    for (int k = 0; k < each_way; ++k)
      b.client.update_case(cases[k], {{"title", "B round " + round + " " + std::to_string(k)}});
    Stopwatch clock;
    const client::SyncReport r = b.client.sync();
    busy.push_back(clock.ms());
    check(r.accepted == each_way, "B's ops accepted, got " + std::to_string(r.accepted));
    check(r.rows_received >= each_way, "B pulled A's changes");
  }
  a.client.sync();
  const auto seen_by_a = a.client.find("case", cases[7]);
  const auto seen_by_b = b.client.find("case", cases[7]);
  check(seen_by_a && seen_by_b && seen_by_a->values == seen_by_b->values,
        "both tablets show the same case after syncing");
  check(seen_by_b->values.value("summary", "") == "A round " + std::to_string(samples - 1),
        "B holds A's last summary");
  check(b.client.status().pending_ops == 0, "nothing left to send");

  const double bare50 = percentile(bare, 50);
  note("round trips: " + std::to_string(samples) + " samples each; bare GET /healthz p50 " +
       std::to_string(bare50) + " ms, p99 " + std::to_string(percentile(bare, 99)) + " ms");
  const double idle50 = percentile(idle, 50), busy50 = percentile(busy, 50);
  print_figure({"4 sync, nothing to do (p50)", idle50, "ms", bare50, idle50 / bare50, "<= 3 ms",
                idle50 <= 3});
  print_figure({"4 sync, " + std::to_string(each_way) + " ops each way (p50)", busy50, "ms", bare50,
                busy50 / bare50, "<= 15 ms", busy50 <= 15});
  return 0;
}

}  // namespace
}  // namespace fieldsync::bench

int main(int argc, char** argv) {
  return fieldsync::bench::run_bench(argc, argv, "round_trip_bench", fieldsync::bench::run);
}
