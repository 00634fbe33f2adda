#pragma once
// Counts the requests the edge has admitted and not yet answered, refuses new ones beyond a
// maximum or once shutdown began, and lets shutdown wait until the count reaches zero.
// Thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace fieldsync::server::http {

class RequestTracker {
 public:
  enum class Admission { kAdmitted, kOverloaded, kShuttingDown };

  explicit RequestTracker(std::size_t max_in_flight) : max_in_flight_(max_in_flight) {}

  // kAdmitted obliges the caller to call leave() exactly once, when the request is answered.
  Admission try_enter();
  void leave();

  // From now on try_enter() answers kShuttingDown.
  void begin_shutdown();
  bool shutting_down() const;
  // True when no request is in flight any more; false when timeout passed first.
  bool wait_idle(std::chrono::milliseconds timeout);
  std::size_t in_flight() const;

 private:
  const std::size_t max_in_flight_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t in_flight_ = 0;
  bool shutting_down_ = false;
};

}  // namespace fieldsync::server::http
