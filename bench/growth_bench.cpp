// Benchmark 7, growth: the store grows from nothing to 1 million ops (--quick: 100,000) through
// SyncService::push in-process (no HTTP, so the store's cost is what is measured), in 500-op
// batches from 10 devices of 10 units: a fifth new cases, a fifth visits on them, the rest
// updates of existing cases picked at random. At 10k, 100k and 1M ops it reports the push cost
// per op and the bytes written per op (over the last 5,000 ops), a pull page and the store size
// per 1,000 cases. Two baselines: the figure at 10k ops, so the ratio shows growth, and raw
// SQLite writing the same batches into a store of the same tables (RawPushStore), so the
// storage's own growth shows apart from FieldSync's. Afterwards every statement that push,
// pull and snapshot run is captured (sqlite3_trace_v2) and its EXPLAIN QUERY PLAN checked: no
// full scan of a table that grows with use.
#include <sqlite3.h>

#include <set>
#include <string_view>

#include "bench_store.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/server/sync_service.h"
#include "fieldsync/sqlite/checkpointer.h"
#include "fieldsync/sqlite/op_applier.h"
#include "measure.h"
#include "raw_push.h"
#include "report.h"
#include "sim_device.h"

namespace fieldsync::bench {
namespace {

struct Writer {
  server::Access access;
  std::unique_ptr<SimDevice> device;
  std::vector<std::pair<std::string, std::int64_t>> cases;  // id, version
  FastRandom dice{1};
};

// One batch of `size` ops for a writer: a fifth new cases, a fifth visits, the rest updates.
std::vector<Op> next_batch(Writer& w, std::size_t size) {
  std::vector<Op> ops;
  for (std::size_t i = 0; i < size / 5; ++i) {
    ops.push_back(w.device->new_case(w.access.unit_id, "Growth case"));
    ops.push_back(w.device->new_visit(ops.back().id));
  }
  for (std::size_t i = 0; i < size - 2 * (size / 5) && !w.cases.empty(); ++i) {
    auto& [id, version] = w.cases[w.dice.next() % w.cases.size()];
    ops.push_back(w.device->update_case(id, version, "Updated " + std::to_string(i)));
  }
  return ops;
}

void remember(Writer& w, const std::vector<Op>& ops, const Json& answer) {
  const Json& results = answer.at("results");
  check(results.size() == ops.size(), "one answer per op");
  for (std::size_t k = 0; k < ops.size(); ++k) {
    const std::string status = results[k].at("status").get<std::string>();
    check(status == "accepted" || status == "conflict",
          "op " + std::to_string(k) + " was " + results[k].dump());
    if (ops[k].entity != "case") continue;
    const std::int64_t seq = results[k].at("seq").get<std::int64_t>();
    if (ops[k].kind == OpKind::create) {
      w.cases.emplace_back(ops[k].id, seq);
    }
  }
}

Json body_of(const std::vector<Op>& ops) {
  return Json::parse(SimDevice::push_body(ops, 0));
}

// Ten writers, one per leader of the bench store (each of its own unit). `seed` keeps two
// sets of writers apart (their ids and choices).
std::vector<Writer> make_writers(const BenchStore& store, std::uint64_t seed) {
  SystemClock wall;
  FastRandom admin_random(5);
  server::Admin admin(store.data_dir, wall, admin_random);
  std::vector<Writer> writers(10);
  for (std::size_t i = 0; i < writers.size(); ++i) {
    Writer& w = writers[i];
    const auto user = admin.directory().user_by_login(BenchStore::leader(i));
    check(user.has_value(), "leader exists");
    w.device = std::make_unique<SimDevice>("http://127.0.0.1:1", seed + i);
    w.device->assume(user->id, user->unit_id);
    w.access.user_id = user->id;
    w.access.device_id = w.device->device_id();
    w.access.unit_id = user->unit_id;
    w.access.units = admin.directory().unit_subtree(user->unit_id);
    w.dice = FastRandom(seed + 10 + i);
  }
  return writers;
}

// What one checkpoint's window (its last ops) cost: time per op and bytes written per op.
struct Window {
  double cost_us = 0;
  double written_kib = 0;
};

// Grows a store to each checkpoint in batches from the writers in turn; `push` writes one
// batch and returns the seconds it took, `at_checkpoint` runs after each checkpoint.
template <typename Push, typename AtCheckpoint>
std::vector<Window> grow(std::vector<Writer>& writers, const std::vector<std::int64_t>& checkpoints,
                         std::int64_t window, std::size_t batch, Push push,
                         AtCheckpoint at_checkpoint) {
  std::vector<Window> out;
  std::int64_t ops_done = 0;
  std::size_t turn = 0;
  for (std::int64_t checkpoint : checkpoints) {
    double seconds = 0;
    std::int64_t ops_timed = 0, written = 0;
    while (ops_done < checkpoint) {
      Writer& w = writers[turn++ % writers.size()];
      const std::vector<Op> ops = next_batch(w, batch);
      const std::int64_t before = bytes_written_so_far();
      const double took = push(w, ops);
      ops_done += static_cast<std::int64_t>(ops.size());
      if (ops_done > checkpoint - window) {
        seconds += took;
        ops_timed += static_cast<std::int64_t>(ops.size());
        written += bytes_written_so_far() - before;
      }
    }
    const double n = static_cast<double>(ops_timed);
    out.push_back({seconds * 1e6 / n, static_cast<double>(written) / 1024.0 / n});
    at_checkpoint(ops_done);
  }
  return out;
}

int trace_statement(unsigned type, void* context, void* statement, void*) {
  if (type == SQLITE_TRACE_STMT) {
    const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(statement));
    // Savepoints carry a unique name each; they have no query plan.
    if (sql && std::string_view(sql).rfind("SAVEPOINT", 0) != 0 &&
        std::string_view(sql).rfind("RELEASE", 0) != 0)
      static_cast<std::set<std::string>*>(context)->insert(sql);
  }
  return 0;
}

// Tables that stay small whatever the traffic (a handful of rows per unit or model version).
bool stays_small(const std::string& detail) {
  for (const char* t : {"json_each", "CONSTANT ROW", "model_version", "schema_migrations",
                        "entity_unit", "sync_state", "sqlite_sequence"})
    if (detail.find(t) != std::string::npos) return true;
  return false;
}

int run(const Args& args) {
  const std::vector<std::int64_t> checkpoints = args.pick<std::vector<std::int64_t>>(
      {10'000, 100'000, 1'000'000}, {10'000, 100'000}, {500, 1'000});
  const std::int64_t window = args.pick<std::int64_t>(5'000, 5'000, 200);
  const std::size_t batch = args.pick<std::size_t>(500, 500, 100);

  TempDir dir("growth");
  const BenchStore store = BenchStore::create(dir.path() / "server", 10);
  const Model& model = server::embedded_model();
  sqlite::Database db = sqlite::open_store(store.db_path(), model, server::store_options());
  sqlite::Checkpointer checkpointer(db, server::store_options());  // as `serve` runs it
  SystemClock wall;
  server::SyncService sync(db, model, wall);
  std::vector<Writer> writers = make_writers(store, 10);

  std::vector<double> pull_ms, bytes_per_k;
  const std::vector<Window> ours = grow(
      writers, checkpoints, window, batch,
      [&](Writer& w, const std::vector<Op>& ops) {
        const Json body = body_of(ops);  // decoding the wire form is part of the server's cost
        Stopwatch clock;
        const Json answer = sync.push(w.access, body);
        const double seconds = clock.seconds();
        remember(w, ops, answer);
        return seconds;
      },
      [&](std::int64_t ops_done) {
        // A device a page behind: pull the last 500 changes of its unit.
        Writer& w = writers[0];
        const std::int64_t top = sync.pull(w.access, 0, 1).at("next_cursor").get<std::int64_t>();
        Stopwatch pull_clock;
        const Json page = sync.pull(w.access, std::max<std::int64_t>(0, ops_done - 5000), 500);
        pull_ms.push_back(pull_clock.ms());
        check(page.at("changes").size() > 0 && top > 0, "a pull page has changes");
        std::int64_t cases = 0;
        for (const Writer& each : writers) cases += static_cast<std::int64_t>(each.cases.size());
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        bytes_per_k.push_back(static_cast<double>(store_bytes(store.db_path().string())) /
                              (static_cast<double>(cases) / 1000.0));
        note("growth: " + std::to_string(ops_done) + " ops, " + std::to_string(cases) + " cases, " +
             std::to_string(store_bytes(store.db_path().string()) / (1024 * 1024)) + " MiB");
      });

  // Every statement of push, pull and snapshot, and its query plan.
  std::set<std::string> statements;
  sqlite3_trace_v2(db.handle(), SQLITE_TRACE_STMT, trace_statement, &statements);
  for (std::size_t i = 0; i < args.pick<std::size_t>(10, 10, 2); ++i) {
    Writer& w = writers[i];
    const std::vector<Op> ops = next_batch(w, batch);
    remember(w, ops, sync.push(w.access, body_of(ops)));
    const Json dup = sync.push(w.access, body_of(ops));  // resent: answered from the log
    check(dup.at("results").at(0).at("status") == "duplicate", "a resent op is a duplicate");
    sync.pull(w.access, 0, 100);
    sync.pull(w.access, checkpoints.back() / 2, 100);
    const Json first = sync.snapshot(w.access, "", std::nullopt, 100);
    if (!first.at("after").is_null())
      sync.snapshot(w.access, first.at("after").get<std::string>(),
                    first.at("cursor").get<std::int64_t>(), 100);
  }
  sqlite3_trace_v2(db.handle(), 0, nullptr, nullptr);
  int full_scans = 0;
  for (const std::string& sql : statements) {
    sqlite3_stmt* plan = nullptr;
    if (sqlite3_prepare_v2(db.handle(), ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &plan,
                           nullptr) != SQLITE_OK)
      continue;
    while (sqlite3_step(plan) == SQLITE_ROW) {
      const std::string detail = reinterpret_cast<const char*>(sqlite3_column_text(plan, 3));
      if (detail.rfind("SCAN ", 0) == 0 && !stays_small(detail)) {
        ++full_scans;
        note("full scan: " + detail + " in: " + sql.substr(0, 160));
      }
    }
    sqlite3_finalize(plan);
  }
  note("growth: " + std::to_string(statements.size()) + " distinct statements checked");

  // The baseline: the same batches written by raw SQLite into a store of the same tables.
  RawPushStore raw_store(dir.path() / "raw.db");
  std::vector<Writer> raw_writers = make_writers(store, 100);
  const std::vector<Window> raw = grow(
      raw_writers, checkpoints, window, batch,
      [&](Writer& w, const std::vector<Op>& ops) {
        const auto texts = RawPushStore::prepare(ops);
        Stopwatch clock;
        raw_store.apply(texts, w.access.unit_id);
        const double seconds = clock.seconds();
        for (const Op& op : ops)
          if (op.entity == "case" && op.kind == OpKind::create) w.cases.emplace_back(op.id, 0);
        return seconds;
      },
      [](std::int64_t) {});

  auto label = [](std::int64_t n) {
    return n >= 1'000'000 ? std::to_string(n / 1'000'000) + "M" : std::to_string(n / 1000) + "k";
  };
  for (std::size_t i = 0; i < checkpoints.size(); ++i) {
    const std::string at = " at " + label(checkpoints[i]) + " ops";
    const double r = ours[i].cost_us / ours[0].cost_us;
    print_figure({"7 growth: push cost per op" + at, ours[i].cost_us, "us/op", ours[0].cost_us, r,
                  "<= 1.5x of 10k", r <= 1.5});
    print_figure({"7 growth: raw SQLite, same writes, per op" + at,
                  raw[i].cost_us,
                  "us/op",
                  raw[0].cost_us,
                  raw[i].cost_us / raw[0].cost_us,
                  "-",
                  {}});
    const double over = ours[i].cost_us / raw[i].cost_us,
                 over_at_10k = ours[0].cost_us / raw[0].cost_us;
    print_figure({"7 growth: push cost over raw" + at, over, "x raw", over_at_10k,
                  over / over_at_10k, "<= 1.5x of 10k", over / over_at_10k <= 1.5});
    print_figure({"7 growth: bytes written per op" + at,
                  ours[i].written_kib,
                  "KiB",
                  raw[i].written_kib,
                  ours[i].written_kib / raw[i].written_kib,
                  "-",
                  {}});
  }
  for (std::size_t i = 0; i < checkpoints.size(); ++i)
    print_figure({"7 growth: pull page (500 rows) at " + label(checkpoints[i]) + " ops",
                  pull_ms[i],
                  "ms",
                  pull_ms[0],
                  pull_ms[i] / pull_ms[0],
                  "-",
                  {}});
  for (std::size_t i = 0; i < checkpoints.size(); ++i) {
    const double r = bytes_per_k[i] / bytes_per_k[0];
    print_figure({"7 growth: store per 1,000 cases at " + label(checkpoints[i]) + " ops",
                  bytes_per_k[i] / (1024 * 1024),
                  "MiB",
                  bytes_per_k[0] / (1024 * 1024),
                  r,
                  "-",
                  {}});
  }
  print_figure({"7 growth: full scans on hot paths",
                static_cast<double>(full_scans),
                "plans",
                {},
                {},
                "0",
                full_scans == 0});
  return 0;
}

}  // namespace
}  // namespace fieldsync::bench

int main(int argc, char** argv) {
  return fieldsync::bench::run_bench(argc, argv, "growth_bench", fieldsync::bench::run);
}
