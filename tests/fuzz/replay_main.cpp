// fuzz_replay: runs every checked-in input through the fuzz targets in the normal build, so each
// corpus seed and each crash a fuzzer once found stays a regression case (ctest
// "fuzz_regression"). Usage: fuzz_replay <tests/fuzz dir>. For each target it reads
// corpus/<target>/* and regressions/<target>/*; a target that aborts fails the test (and the
// sanitizers report it). Exits 1 when a target has no corpus.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_targets.h"

namespace {

std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <tests/fuzz dir>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root = argv[1];
  int status = 0;
  for (const auto& target : fieldsync::fuzz::kTargets) {
    const auto corpus = files_in(root / "corpus" / target.name);
    const auto regressions = files_in(root / "regressions" / target.name);
    if (corpus.empty()) {
      std::fprintf(stderr, "%s: no corpus in %s\n", target.name,
                   (root / "corpus" / target.name).c_str());
      status = 1;
    }
    for (const auto* set : {&corpus, &regressions}) {
      for (const auto& file : *set) {
        std::fprintf(stderr, "%s: %s\n", target.name, file.filename().c_str());
        const std::string bytes = read_all(file);
        target.run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      }
    }
    std::printf("%s: %zu corpus files, %zu regression files passed\n", target.name, corpus.size(),
                regressions.size());
  }
  return status;
}
