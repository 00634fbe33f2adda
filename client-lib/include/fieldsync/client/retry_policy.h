#pragma once
// When and how long a transport waits before trying an exchange again. The delay computations
// are pure functions so they can be tested without a network or a clock.
#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace fieldsync::client {

// Contract:
// - An exchange is tried at most max_attempts times (values below 1 count as 1).
// - Retried: transport errors other than "cancelled" and "tls", HTTP 5xx and 429. Never retried:
//   any other status (2xx, 3xx, other 4xx are returned at once).
// - The wait before retry number n (n = 0 after the first failed attempt) is
//     d = min(base_delay * 2^n, max_delay),  wait = d * (1 - jitter * random01())
//   With the default jitter 0.5 this is "equal jitter" (the wait is uniform in [d/2, d]);
//   jitter 1 gives "full jitter" ([0, d]); jitter 0 gives plain exponential backoff.
// - A Retry-After header (delta-seconds or an HTTP-date) on a 429 or 503 raises the wait to at
//   least what it asks for; every wait is capped at max_delay.
// - sleep and random01 may be injected (tests); when empty the transport uses a real sleep, cut
//   into short slices that check for cancellation, and a std::random_device-seeded generator.
struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds base_delay{200};
  std::chrono::milliseconds max_delay{30'000};
  double jitter = 0.5;  // fraction in [0, 1]; values outside are clamped
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<double()> random01;  // uniform in [0, 1); values outside are clamped
};

// The wait before retry number `retry` (0-based) without any Retry-After, for a given draw
// `random01` of the jitter. Never negative, never above policy.max_delay.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double random01);

// backoff_delay() raised to at least `retry_after` when one is given, then capped at
// policy.max_delay.
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int retry, double random01,
                                      std::optional<std::chrono::milliseconds> retry_after);

// Parses a Retry-After value: delta-seconds ("120") or an HTTP-date in any of the three forms
// HTTP allows (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850, asctime). A date in the
// past gives 0. nullopt when the value is neither (the header is then ignored).
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// True for the statuses worth another attempt: 429 and every 5xx.
bool is_retryable_status(int status);

// True for the transport error codes worth another attempt: all but "cancelled" and "tls".
bool is_retryable_transport_error(std::string_view code);

}  // namespace fieldsync::client
