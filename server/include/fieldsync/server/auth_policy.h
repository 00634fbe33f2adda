#pragma once
// Tuning constants of sign-in: password cost, token lifetime and throttling of failures.
#include <cstdint>

#include "fieldsync/server/password.h"

namespace fieldsync::server {

struct AuthPolicy {
  // PBKDF2 iterations for new hashes (and for the dummy run against an unknown login).
  int password_iterations = kDefaultPasswordIterations;
  // How long a token is valid after sign-in.
  std::int64_t token_ttl_ms = std::int64_t{30} * 24 * 60 * 60 * 1000;
  // Sign-in is refused ("throttled") once a login, or a device, has this many failures...
  int max_failures = 5;
  // ...within this sliding window.
  std::int64_t failure_window_ms = std::int64_t{15} * 60 * 1000;
  // Expired tokens are deleted this long after expiry (until then they answer token_expired).
  std::int64_t expired_token_retention_ms = std::int64_t{7} * 24 * 60 * 60 * 1000;
};

}  // namespace fieldsync::server
