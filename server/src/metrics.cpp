#include "fieldsync/server/metrics.h"

#include <sstream>

namespace fieldsync::server {

void Metrics::observe(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::render(const OpCounts& ops, std::uint64_t store_bytes) const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP fieldsync_requests_total HTTP requests by route and status.\n"
         "# TYPE fieldsync_requests_total counter\n";
  for (const auto& [key, count] : requests_)
    out << "fieldsync_requests_total{route=\"" << key.first << "\",status=\"" << key.second
        << "\"} " << count << "\n";
  out << "# HELP fieldsync_request_duration_seconds Time to answer a request, by route.\n"
         "# TYPE fieldsync_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
      out << "fieldsync_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
          << kBuckets[i] << "\"} " << h.buckets[i] << "\n";
    out << "fieldsync_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << h.count << "\n"
        << "fieldsync_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
        << "fieldsync_request_duration_seconds_count{route=\"" << route << "\"} " << h.count
        << "\n";
  }
  out << "# HELP fieldsync_ops_total Pushed ops by answer.\n"
         "# TYPE fieldsync_ops_total counter\n"
      << "fieldsync_ops_total{outcome=\"accepted\"} " << ops.accepted << "\n"
      << "fieldsync_ops_total{outcome=\"duplicate\"} " << ops.duplicate << "\n"
      << "fieldsync_ops_total{outcome=\"conflict\"} " << ops.conflict << "\n"
      << "fieldsync_ops_total{outcome=\"rejected\"} " << ops.rejected << "\n"
      << "fieldsync_ops_total{outcome=\"failed\"} " << ops.failed << "\n";
  out << "# HELP fieldsync_store_bytes Size of the store on disk (database and WAL).\n"
         "# TYPE fieldsync_store_bytes gauge\n"
      << "fieldsync_store_bytes " << store_bytes << "\n";
  return out.str();
}

}  // namespace fieldsync::server
