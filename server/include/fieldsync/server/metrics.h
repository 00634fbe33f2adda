#pragma once
// Request and op counters and latency histograms, rendered in the Prometheus text format for
// GET /metrics. Thread-safe.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "fieldsync/server/sync_service.h"

namespace fieldsync::server {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

  void observe(const std::string& route, int status, double seconds);

  // `ops` and `store_bytes` are read when rendering.
  std::string render(const OpCounts& ops, std::uint64_t store_bytes) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace fieldsync::server
