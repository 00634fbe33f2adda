#include "measure.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
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

double cpu_seconds(pid_t pid) {
  // /proc/PID/stat: "pid (comm) state ..." with utime and stime the 14th and 15th fields; comm
  // may hold spaces, so the fields are counted after its closing parenthesis.
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
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
