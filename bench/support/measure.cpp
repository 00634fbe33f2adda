#include "measure.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

namespace fieldsync::bench {

double percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(samples.size()));
  const std::size_t index = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  return samples[std::min(index, samples.size() - 1)];
}

double median(std::vector<double> samples) {
  return percentile(std::move(samples), 50);
}

namespace {
// The number after "key:" in a /proc file of "key: value" lines; 0 when absent.
std::int64_t proc_value(const std::string& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ":", 0) == 0) return std::stoll(line.substr(key.size() + 1));
  return 0;
}
}  // namespace

std::int64_t peak_rss_kib(pid_t pid) {
  return proc_value("/proc/" + std::to_string(pid) + "/status", "VmHWM");
}

std::int64_t rss_kib(pid_t pid) {
  return proc_value("/proc/" + std::to_string(pid) + "/status", "VmRSS");
}

std::int64_t bytes_written_so_far() {
  return proc_value("/proc/self/io", "write_bytes");
}

std::int64_t store_bytes(const std::string& db_path) {
  std::int64_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ignored;
    const auto size = std::filesystem::file_size(db_path + suffix, ignored);
    if (!ignored) total += static_cast<std::int64_t>(size);
  }
  return total;
}

}  // namespace fieldsync::bench
