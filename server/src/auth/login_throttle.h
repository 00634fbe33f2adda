#pragma once
// Throttling of failed sign-ins: failures are counted per login and per device over a sliding
// window; once either has max_failures inside the window, sign-in waits until enough of them
// have left it.
#include <cstdint>
#include <string_view>

#include "fieldsync/sqlite/database.h"

namespace fieldsync::server::detail {

// REQUIRES: `db` is an open store and outlives this object; one thread at a time.
class LoginThrottle {
 public:
  LoginThrottle(sqlite::Database& db, int max_failures, std::int64_t window_ms)
      : db_(db), max_failures_(max_failures), window_ms_(window_ms) {}

  // Milliseconds until a sign-in for `login` from `device_id` may be tried again; 0 now.
  std::int64_t wait_ms(std::string_view login, std::string_view device_id,
                       std::int64_t now_ms) const;
  // Records one failure, and forgets failures that have left the window.
  void record_failure(std::string_view login, std::string_view device_id, std::int64_t now_ms);
  // Forgets the login's failures (after a successful sign-in or a password reset).
  void clear(std::string_view login);

 private:
  std::int64_t wait_for(const char* sql, std::string_view key, std::int64_t now_ms) const;

  sqlite::Database& db_;
  int max_failures_;
  std::int64_t window_ms_;
};

}  // namespace fieldsync::server::detail
