#pragma once
// A fresh directory for a test's or a benchmark's files: <base>/fieldsync-<tag>-XXXXXX,
// removed with everything in it on destruction.
#include <filesystem>
#include <string_view>

namespace fieldsync::testing {

class TempDir {
 public:
  // `base`: the system temp directory when empty. Throws std::runtime_error when the directory
  // cannot be made.
  explicit TempDir(std::string_view tag = "test", const std::filesystem::path& base = {});
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// /dev/shm when it exists and is writable, else the system temp directory: for files whose
// fsyncs cost seconds on a disk and matter to nothing a test looks at.
std::filesystem::path memory_backed_temp_root();

}  // namespace fieldsync::testing
