#pragma once
// A fresh, empty directory under the system temp directory, removed with its contents on
// destruction. Each instance gets its own random name, so tests never share files.
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace fieldsync::sqlite::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device entropy;
    std::mt19937_64 random((std::uint64_t{entropy()} << 32) ^ entropy());
    for (;;) {
      path_ = std::filesystem::temp_directory_path() /
              ("fieldsync-sqlite-test-" + std::to_string(random()));
      if (std::filesystem::create_directory(path_)) break;  // false: name taken, try again
    }
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace fieldsync::sqlite::testing
