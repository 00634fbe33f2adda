#pragma once
// The server side of a benchmark: a data directory made in-process (units "Plant/Unit N", a
// field leader per unit, a central office user) and the real fieldsync-server binary serving
// it on 127.0.0.1.
//
// Passwords are hashed with kBenchPasswordIterations PBKDF2 rounds instead of the production
// 600,000 (a stored hash records its own count), so hundreds of simulated devices can sign in
// within seconds; nothing else differs from a production store.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace fieldsync::bench {

inline constexpr const char* kBenchPassword = "bench-user-secret";
inline constexpr int kBenchPasswordIterations = 1000;

// A benchmark's directory: under $FIELDSYNC_BENCH_TMP, else the system temp directory (a
// disk, so fsync costs what it costs).
class TempDir : public testing::TempDir {
 public:
  explicit TempDir(const std::string& tag);
};

struct BenchStore {
  std::filesystem::path data_dir;
  std::string plant_id;
  std::vector<std::string> unit_ids;  // unit_ids[i] is "Plant/Unit i"
  // Logins: "leader_<i>" (field_leader of unit i) and "office" (central_office at the plant).
  static std::string leader(std::size_t unit) { return "leader_" + std::to_string(unit); }

  // Creates the store in `data_dir` (which must not hold one) with `units` units.
  static BenchStore create(const std::filesystem::path& data_dir, std::size_t units);
  std::filesystem::path db_path() const { return data_dir / "fieldsync.db"; }
};

// `fieldsync-server [--log-level warn] serve --data DIR --listen 127.0.0.1:0`; the constructor
// returns once the server printed its address (at most 20 s, else std::runtime_error with its
// stderr). The destructor stops it (SIGTERM, then SIGKILL after 20 s).
class ServerRun {
 public:
  explicit ServerRun(const std::filesystem::path& data_dir);
  ~ServerRun();
  ServerRun(const ServerRun&) = delete;
  ServerRun& operator=(const ServerRun&) = delete;

  const std::string& base_url() const { return base_url_; }
  pid_t pid() const { return pid_; }
  // The exit status (128 + N for signal N).
  int stop();
  std::string stderr_text() const;

 private:
  std::filesystem::path stderr_path_;
  pid_t pid_ = -1;
  int status_ = -1;
  bool stopped_ = false;
  std::string base_url_;
};

}  // namespace fieldsync::bench
