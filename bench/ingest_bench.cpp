// Benchmark 2, server ingest: 20 clients push 500-op batches concurrently over loopback HTTP
// into the real fieldsync-server (SQLite store on disk). Half of each batch creates cases, the
// other half records a visit on each of them. Bodies are encoded before the clock starts, so
// the figure is the server's. Baseline, same run: raw SQLite inserting the same op rows
// (op_log columns and index, 500 rows per transaction, WAL, synchronous=FULL as the server).
// Target: at least 30,000 ops/s. Checks: every op accepted, each logged exactly once.
#include <atomic>
#include <mutex>
#include <thread>

#include "bench_store.h"
#include "fieldsync/core/op_codec.h"
#include "fleet.h"
#include "measure.h"
#include "raw_sqlite.h"
#include "report.h"
#include "sim_device.h"

namespace fieldsync::bench {
namespace {

double raw_ops_per_second(const std::filesystem::path& path,
                          const std::vector<std::vector<Op>>& batches) {
  RawDb db(path, "FULL");
  db.exec(R"sql(CREATE TABLE op_log (seq INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id TEXT NOT NULL UNIQUE, device_id TEXT NOT NULL, user_id TEXT NOT NULL, entity TEXT,
    row_id TEXT, kind TEXT, hlc TEXT, base_version INTEGER, schema_version INTEGER,
    op_json TEXT NOT NULL, outcome TEXT NOT NULL, outcome_json TEXT, received_at TEXT NOT NULL);
    CREATE INDEX op_log_entity_row ON op_log (entity, row_id);)sql");
  RawStatement insert(db.handle(),
                      "INSERT INTO op_log (op_id, device_id, user_id, entity, row_id, kind, hlc,"
                      " base_version, schema_version, op_json, outcome, outcome_json,"
                      " received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9,"
                      " 'accepted', ?10, '2026-11-26T08:00:00.000Z')");
  std::int64_t n = 0;
  Stopwatch clock;
  for (const auto& batch : batches) {
    db.exec("BEGIN IMMEDIATE");
    for (const Op& op : batch) {
      const std::string json = encode_op(op).dump();  // the server encodes each op too
      insert.bind(1, op.op_id).bind(2, op.device_id).bind(3, op.user_id).bind(4, op.entity);
      insert.bind(5, op.id).bind(6, to_string(op.kind)).bind(7, op.hlc.to_string());
      insert.bind(8, op.base_version).bind(9, json);
      insert.bind(10, R"({"op_id":")" + op.op_id + R"(","status":"accepted","seq":)" +
                          std::to_string(++n) + "}");
      insert.run();
    }
    db.exec("COMMIT");
  }
  const double seconds = clock.seconds();
  check(db.query_int("SELECT COUNT(*) FROM op_log") == n, "raw baseline stored every row");
  return static_cast<double>(n) / seconds;
}

int run(const Args& args) {
  const std::size_t clients = args.pick<std::size_t>(20, 20, 2);
  const std::size_t batches_per_client = args.pick<std::size_t>(10, 3, 1);
  const std::size_t batch_ops = args.pick<std::size_t>(500, 500, 50);
  const int rounds = args.pick(2, 1, 1);

  std::vector<double> served, raw;
  for (int round = 0; round < rounds; ++round) {
    TempDir dir("ingest");
    const BenchStore store = BenchStore::create(dir.path() / "server", 4);
    ServerRun server(store.data_dir);

    // Sign in and encode every batch first.
    std::vector<std::unique_ptr<SimDevice>> devices;
    std::vector<std::vector<std::string>> bodies(clients);
    std::vector<std::vector<Op>> all_batches;
    std::vector<std::string> device_ids;
    for (std::size_t c = 0; c < clients; ++c) {
      devices.push_back(std::make_unique<SimDevice>(server.base_url(), 100 + c));
      devices.back()->login(BenchStore::leader(c % store.unit_ids.size()));
      device_ids.push_back(devices.back()->device_id());
      for (std::size_t b = 0; b < batches_per_client; ++b) {
        std::vector<Op> ops;
        for (std::size_t i = 0; i < batch_ops / 2; ++i) {
          ops.push_back(devices[c]->new_case(devices[c]->unit_id(), "Ingest " + std::to_string(i)));
          ops.push_back(devices[c]->new_visit(ops.back().id));
        }
        bodies[c].push_back(SimDevice::push_body(ops, 0));
        all_batches.push_back(std::move(ops));
      }
    }
    const std::size_t total = clients * batches_per_client * (batch_ops / 2) * 2;

    std::atomic<std::size_t> ready{0};
    std::atomic<bool> go{false};
    std::atomic<std::int64_t> accepted{0}, not_ok{0};
    std::vector<std::thread> threads;
    std::mutex mutex;
    std::vector<std::string> accepted_ids;
    std::string first_refusal;
    for (std::size_t c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        ++ready;
        while (!go) std::this_thread::yield();
        std::vector<std::string> mine;
        for (const std::string& body : bodies[c]) {
          const client::HttpResponse r = devices[c]->push(body);
          if (r.status != 200) {
            ++not_ok;
            continue;
          }
          const Json answer = Json::parse(r.body);
          for (const Json& a : answer.at("results")) {
            if (a.at("status") == "accepted") {
              mine.push_back(a.at("op_id").get<std::string>());
            } else {
              std::lock_guard lock(mutex);
              if (first_refusal.empty()) first_refusal = a.dump();
            }
          }
        }
        accepted += static_cast<std::int64_t>(mine.size());
        std::lock_guard lock(mutex);
        accepted_ids.insert(accepted_ids.end(), mine.begin(), mine.end());
      });
    }
    while (ready < clients) std::this_thread::yield();
    Stopwatch clock;
    go = true;
    for (auto& t : threads) t.join();
    const double seconds = clock.seconds();
    server.stop();

    check(not_ok == 0, std::to_string(not_ok.load()) + " pushes were not answered 200");
    check(accepted == static_cast<std::int64_t>(total),
          "accepted " + std::to_string(accepted.load()) + " of " + std::to_string(total) +
              "; first refusal: " + first_refusal);
    const StoreVerdict v = verify_store(store.db_path(), accepted_ids, device_ids);
    check(v.lost == 0 && v.doubled == 0 && v.extra == 0,
          "store: lost " + std::to_string(v.lost) + ", doubled " + std::to_string(v.doubled) +
              ", extra " + std::to_string(v.extra));
    served.push_back(static_cast<double>(total) / seconds);
    raw.push_back(raw_ops_per_second(dir.path() / "raw.db", all_batches));
    note("ingest round " + std::to_string(round) + ": " + std::to_string(total) + " ops in " +
         std::to_string(seconds) + " s from " + std::to_string(clients) + " clients");
  }
  const double value = median(served), base = median(raw);
  print_figure({"2 server ingest (" + std::to_string(clients) + " clients x " +
                    std::to_string(batch_ops) + "-op pushes)",
                value, "ops/s", base, value / base, ">= 30000 ops/s", value >= 30000});
  return 0;
}

}  // namespace
}  // namespace fieldsync::bench

int main(int argc, char** argv) {
  return fieldsync::bench::run_bench(argc, argv, "ingest_bench", fieldsync::bench::run);
}
