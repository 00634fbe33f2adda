#pragma once
// Tuning constants of the server, in one place. Each has a default here and, where an operator
// may need to change it, a field in a limits struct that the command line fills in.
#include <chrono>
#include <cstddef>

namespace fieldsync::server {

// Largest request body the HTTP edge accepts (Content-Length); bigger requests get 413.
inline constexpr std::size_t kMaxBodyBytes = 4 * 1024 * 1024;
// Requests admitted at once (reading body, queued or running); beyond it the edge answers 503.
inline constexpr std::size_t kMaxRequestsInFlight = 256;
// Threads that run ApiHandler::handle(); they may block on the store.
inline constexpr std::size_t kHandlerThreads = 8;
// Threads of cpprestsdk's process-wide network pool (set by the first HttpServer started).
inline constexpr std::size_t kNetworkThreads = 8;
// How long stop() waits for requests in flight before closing their connections.
inline constexpr std::chrono::milliseconds kShutdownGrace{30'000};

// Limits of the HTTP edge (HttpServer).
struct HttpLimits {
  std::size_t max_body_bytes = kMaxBodyBytes;
  std::size_t max_requests_in_flight = kMaxRequestsInFlight;
  std::size_t handler_threads = kHandlerThreads;
  std::chrono::milliseconds shutdown_grace = kShutdownGrace;
};

}  // namespace fieldsync::server
