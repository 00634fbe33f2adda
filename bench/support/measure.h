#pragma once
// Time and memory measurements: a stopwatch, percentiles of samples, and resident set sizes
// read from /proc (Linux).
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace fieldsync::bench {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  double ms() const { return seconds() * 1000; }

 private:
  std::chrono::steady_clock::time_point start_;
};

// The p-th percentile (0..100, nearest rank) of samples; 0 for none. Sorts a copy.
double percentile(std::vector<double> samples, double p);
// The median of a few repeated measurements.
double median(std::vector<double> samples);

// VmHWM (peak resident set) and VmRSS (resident set now) of a process in KiB; 0 when unknown.
std::int64_t peak_rss_kib(pid_t pid);
std::int64_t rss_kib(pid_t pid);
// CPU time (user + system) a process has used so far, in seconds; 0 when unknown.
double cpu_seconds(pid_t pid);
// Bytes this process has sent towards storage so far (write_bytes of /proc/self/io: the WAL
// appends and checkpoint writes of its SQLite stores).
std::int64_t bytes_written_so_far();
// Bytes of a file plus its -wal, if present.
std::int64_t store_bytes(const std::string& db_path);

}  // namespace fieldsync::bench
