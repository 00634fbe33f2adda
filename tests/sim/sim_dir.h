#pragma once
// Where a world keeps its SQLite files (the server's store and one file per device): a fresh
// directory, removed with its contents at the end. Under FIELDSYNC_SIM_DIR when set, else
// under /dev/shm when it exists (the files are real SQLite files either way; on tmpfs their
// fsyncs cost nothing, so the run measures the code and not the disk), else the temp dir.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace fieldsync::sim {

class SimDir {
 public:
  explicit SimDir(std::uint64_t seed) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path base = fs::temp_directory_path();
    if (const char* dir = std::getenv("FIELDSYNC_SIM_DIR"); dir && *dir) {
      base = dir;
    } else if (fs::is_directory("/dev/shm", ec)) {
      base = "/dev/shm";
    }
    for (int n = 0;; ++n) {
      path_ = base / ("fieldsync-sim-" + std::to_string(seed) + "-" + std::to_string(n));
      if (fs::create_directories(path_, ec)) break;
      if (ec || n > 10000) throw std::filesystem::filesystem_error("sim dir", path_, ec);
    }
  }
  ~SimDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  SimDir(const SimDir&) = delete;
  SimDir& operator=(const SimDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace fieldsync::sim
