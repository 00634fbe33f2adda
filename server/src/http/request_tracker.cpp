#include "http/request_tracker.h"

namespace fieldsync::server::http {

RequestTracker::Admission RequestTracker::try_enter() {
  const std::lock_guard lock(mutex_);
  if (shutting_down_) return Admission::kShuttingDown;
  if (in_flight_ >= max_in_flight_) return Admission::kOverloaded;
  ++in_flight_;
  return Admission::kAdmitted;
}

void RequestTracker::leave() {
  const std::lock_guard lock(mutex_);
  if (in_flight_ > 0 && --in_flight_ == 0) idle_.notify_all();
}

void RequestTracker::begin_shutdown() {
  const std::lock_guard lock(mutex_);
  shutting_down_ = true;
}

bool RequestTracker::shutting_down() const {
  const std::lock_guard lock(mutex_);
  return shutting_down_;
}

bool RequestTracker::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return in_flight_ == 0; });
}

std::size_t RequestTracker::in_flight() const {
  const std::lock_guard lock(mutex_);
  return in_flight_;
}

}  // namespace fieldsync::server::http
