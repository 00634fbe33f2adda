#include "fault_support.h"

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fieldsync/sqlite/database.h"

namespace fieldsync::testing {
namespace {

constexpr const char* kWhat =
    "The real fieldsync-server process takes pushes from several tablets (the client library "
    "over libcurl, real files) and is killed with SIGKILL at seeded random points, then "
    "restarted on the same data directory while the tablets retry; a tablet process is killed "
    "with SIGKILL at seeded random points while it writes and syncs, then restarted. After "
    "quiescence every op the server acknowledged is in its store exactly once, every op a "
    "tablet wrote reached the server once and was accepted, every outbox is empty and "
    "PRAGMA integrity_check is ok on every file. Disk-full (SQLITE_FULL) and I/O errors "
    "(failing reads, writes, fsyncs) are injected through an SQLite VFS shim into the server's "
    "store (pushes through the API router) and a tablet's replica: each gives a precise error, "
    "leaves nothing half-written and the store sound, and the same work is accepted exactly "
    "once when the disk is back. Finally the server's most verbose log and the library's "
    "output are scanned for passwords, tokens and petitioners' personal fields.";

struct Figures {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::int64_t>> values;
};

Figures& figures() {
  static Figures f;
  return f;
}

void write_figures(const std::vector<std::pair<std::string, std::int64_t>>& values) {
  const char* dir = std::getenv("FIELDSYNC_FIGURES_DIR");
  if (dir == nullptr || *dir == '\0') return;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, value] : values) list.push_back({{"name", name}, {"value", value}});
  const nlohmann::json doc = {{"suite", "fault"},
                              {"title", "Crashes, disk faults and log hygiene"},
                              {"what", kWhat},
                              {"mode", long_mode() ? "long" : "bounded"},
                              {"figures", list}};
  std::filesystem::create_directories(dir);
  std::ofstream out(std::filesystem::path(dir) / "fault.json", std::ios::trunc);
  out << doc.dump(2) << '\n';
}

}  // namespace

bool long_mode() {
  const char* value = std::getenv("FIELDSYNC_LONG");
  return value != nullptr && std::string(value) == "1";
}

std::uint64_t suite_seed(std::uint64_t fallback) {
  const char* value = std::getenv("FIELDSYNC_SEED");
  if (value == nullptr || *value == '\0') return fallback;
  return std::stoull(value);
}

void add_figure(const std::string& name, std::int64_t value) {
  Figures& f = figures();
  std::lock_guard lock(f.mutex);
  bool found = false;
  for (auto& [existing, total] : f.values) {
    if (existing == name) {
      total += value;
      found = true;
    }
  }
  if (!found) f.values.emplace_back(name, value);
  write_figures(f.values);
}

std::string integrity_check(const std::filesystem::path& path) {
  sqlite::OpenOptions options;
  options.create = false;  // read-write: it may have to recover a WAL a killed process left
  sqlite::Database db = sqlite::Database::open(path, options);
  sqlite::Statement st = db.prepare("PRAGMA integrity_check");
  std::string answer;
  while (st.step()) answer += (answer.empty() ? "" : "\n") + st.column_text(0);
  return answer;
}

std::int64_t uniform(std::mt19937_64& rng, std::int64_t low, std::int64_t high) {
  return std::uniform_int_distribution<std::int64_t>(low, high)(rng);
}

}  // namespace fieldsync::testing
