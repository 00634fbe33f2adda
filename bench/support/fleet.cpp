#include "fleet.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "measure.h"
#include "raw_sqlite.h"
#include "report.h"
#include "sim_device.h"

namespace fieldsync::bench {
namespace {

// Accepted answers of one push: op ids, plus the seq of each op (0 when not accepted).
struct PushOutcome {
  int status = 0;
  std::vector<std::string> accepted;
  std::vector<std::int64_t> seqs;
};

PushOutcome read_answers(const client::HttpResponse& r, std::size_t ops) {
  PushOutcome out;
  out.status = r.status;
  if (r.status != 200) return out;
  const Json answer = Json::parse(r.body);
  const Json& results = answer.at("results");
  check(results.size() == ops, "one answer per op");
  for (const Json& a : results) {
    const std::string status = a.at("status").get<std::string>();
    const std::string first = a.value("first_status", "");
    const bool ok = status == "accepted" || status == "conflict" ||
                    (status == "duplicate" && (first == "accepted" || first == "conflict"));
    out.seqs.push_back(ok ? a.value("seq", std::int64_t{0}) : 0);
    if (ok) out.accepted.push_back(a.at("op_id").get<std::string>());
  }
  return out;
}

// Pushes `body` until it is answered with something other than 503 (at most 200 tries).
client::HttpResponse push_retrying(SimDevice& device, const std::string& body,
                                   std::int64_t& retries) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    client::HttpResponse r = device.push(body);
    if (r.status != 503) return r;
    ++retries;
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + 10 * attempt));
  }
  throw std::runtime_error("push still answered 503 after 200 tries");
}

}  // namespace

PreloadResult preload(const std::string& base_url, const BenchStore& store, std::size_t cases,
                      std::size_t visits_per_case, std::size_t connections, std::size_t batch_ops) {
  PreloadResult result;
  std::mutex mutex;
  std::vector<std::thread> threads;
  std::atomic<bool> failed{false};
  std::string failure;
  std::atomic<std::size_t> next_case{0};
  Stopwatch clock;
  for (std::size_t c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      try {
        const std::size_t unit = c % store.unit_ids.size();
        SimDevice device(base_url, 1000 + c);
        device.login(BenchStore::leader(unit));
        const std::size_t per_batch = std::max<std::size_t>(1, batch_ops / (1 + visits_per_case));
        std::vector<std::string> mine;
        std::int64_t retries = 0;
        for (;;) {
          const std::size_t first = next_case.fetch_add(per_batch);
          if (first >= cases || failed) break;
          std::vector<Op> ops;
          for (std::size_t i = first; i < std::min(cases, first + per_batch); ++i) {
            ops.push_back(device.new_case(device.unit_id(), "Preloaded case " + std::to_string(i)));
            const std::string case_id = ops.back().id;
            for (std::size_t v = 0; v < visits_per_case; ++v)
              ops.push_back(device.new_visit(case_id));
          }
          const PushOutcome out = read_answers(
              push_retrying(device, SimDevice::push_body(ops, 0), retries), ops.size());
          check(out.status == 200, "preload push answered " + std::to_string(out.status));
          check(out.accepted.size() == ops.size(), "every preloaded op is accepted");
          mine.insert(mine.end(), out.accepted.begin(), out.accepted.end());
        }
        std::lock_guard lock(mutex);
        result.accepted_op_ids.insert(result.accepted_op_ids.end(), mine.begin(), mine.end());
        result.device_ids.push_back(device.device_id());
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        failed = true;
        failure = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failed) throw CheckFailed("preload: " + failure);
  result.seconds = clock.seconds();
  result.ops = static_cast<std::int64_t>(result.accepted_op_ids.size());
  return result;
}

FleetResult run_fleet(const std::string& base_url, const BenchStore& store,
                      const FleetOptions& options) {
  FleetResult result;
  std::mutex mutex;
  std::atomic<bool> failed{false};
  std::string failure;
  std::atomic<std::size_t> signed_in{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  const auto period = std::chrono::duration<double>(options.seconds);
  std::chrono::steady_clock::time_point deadline;

  for (std::size_t d = 0; d < options.devices; ++d) {
    threads.emplace_back([&, d] {
      FleetResult mine;
      try {
        const std::size_t unit = d % store.unit_ids.size();
        SimDevice device(base_url, 50'000 + d);
        device.login(BenchStore::leader(unit));
        mine.device_ids.push_back(device.device_id());
        FastRandom dice(900'000 + d);
        ++signed_in;
        while (!go) std::this_thread::sleep_for(std::chrono::milliseconds(5));

        std::vector<std::pair<std::string, std::int64_t>> own;  // case id, version
        std::int64_t cursor = 0;
        int n = 0;
        for (int sync = 0; sync < 1'000'000 && !failed; ++sync) {
          const auto pause = std::chrono::milliseconds(
              static_cast<int>(dice.next() % static_cast<std::uint64_t>(2 * options.think_ms + 1)));
          if (std::chrono::steady_clock::now() + pause >= deadline) break;
          std::this_thread::sleep_for(pause);

          std::vector<Op> ops;
          ops.push_back(device.new_case(device.unit_id(), "Fleet case " + std::to_string(n++)));
          for (std::size_t k = 1; k < options.ops_per_sync && !own.empty(); ++k) {
            auto& [id, version] = own[dice.next() % own.size()];
            ops.push_back(device.update_case(id, version, "Update " + std::to_string(n++)));
          }
          Stopwatch sync_clock;
          const PushOutcome out = read_answers(
              push_retrying(device, SimDevice::push_body(ops, cursor), mine.retries_503),
              ops.size());
          if (out.status != 200) {
            ++mine.failures;
            continue;
          }
          // Pull what changed in the unit (a page at a time, at most 20 pages).
          bool more = true;
          for (int page = 0; more && page < 20; ++page) {
            client::HttpResponse r = device.pull(cursor);
            if (r.status == 503) {
              ++mine.retries_503;
              std::this_thread::sleep_for(std::chrono::milliseconds(50));
              continue;
            }
            if (r.status != 200) {
              ++mine.failures;
              break;
            }
            const Json page_json = Json::parse(r.body);
            cursor = page_json.at("next_cursor").get<std::int64_t>();
            more = page_json.at("more").get<bool>();
          }
          mine.sync_ms.push_back(sync_clock.ms());
          ++mine.syncs;
          mine.ops_accepted += static_cast<std::int64_t>(out.accepted.size());
          mine.accepted_op_ids.insert(mine.accepted_op_ids.end(), out.accepted.begin(),
                                      out.accepted.end());
          for (std::size_t k = 0; k < ops.size(); ++k) {
            if (out.seqs[k] == 0) continue;
            if (ops[k].kind == OpKind::create) {
              own.emplace_back(ops[k].id, out.seqs[k]);
            } else {
              for (auto& [id, version] : own)
                if (id == ops[k].id) version = std::max(version, out.seqs[k]);
            }
          }
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        failed = true;
        failure = e.what();
      }
      std::lock_guard lock(mutex);
      result.sync_ms.insert(result.sync_ms.end(), mine.sync_ms.begin(), mine.sync_ms.end());
      result.syncs += mine.syncs;
      result.ops_accepted += mine.ops_accepted;
      result.retries_503 += mine.retries_503;
      result.failures += mine.failures;
      result.accepted_op_ids.insert(result.accepted_op_ids.end(), mine.accepted_op_ids.begin(),
                                    mine.accepted_op_ids.end());
      result.device_ids.insert(result.device_ids.end(), mine.device_ids.begin(),
                               mine.device_ids.end());
    });
  }
  // Everyone signs in first (bounded wait: 5 minutes), then the clock starts.
  for (int i = 0; i < 30'000 && signed_in < options.devices && !failed; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  Stopwatch clock;
  deadline = std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(period);
  go = true;
  while (std::chrono::steady_clock::now() < deadline && !failed) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    if (options.on_tick) options.on_tick(clock.seconds());
  }
  for (auto& t : threads) t.join();
  result.seconds = clock.seconds();
  if (failed) throw CheckFailed("fleet: " + failure);
  return result;
}

StoreVerdict verify_store(const std::filesystem::path& db_path,
                          const std::vector<std::string>& accepted_op_ids,
                          const std::vector<std::string>& device_ids) {
  StoreVerdict v;
  RawDb db(db_path, "NORMAL");
  RawStatement one(db.handle(),
                   "SELECT COUNT(*) FROM op_log WHERE op_id = ?1"
                   " AND outcome IN ('accepted', 'conflict')");
  for (const std::string& id : accepted_op_ids) {
    one.bind(1, id);
    const std::int64_t n = one.step() ? one.column_int64(0) : 0;
    one.reset();
    if (n == 0) ++v.lost;
    if (n > 1) ++v.doubled;
  }
  RawStatement per_device(db.handle(),
                          "SELECT COUNT(*) FROM op_log WHERE device_id = ?1"
                          " AND outcome IN ('accepted', 'conflict')");
  for (const std::string& id : device_ids) {
    per_device.bind(1, id);
    v.logged += per_device.step() ? per_device.column_int64(0) : 0;
    per_device.reset();
  }
  v.extra = v.logged - static_cast<std::int64_t>(accepted_op_ids.size()) + v.lost;
  return v;
}

}  // namespace fieldsync::bench
