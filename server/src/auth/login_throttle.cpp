#include "auth/login_throttle.h"

#include <algorithm>

namespace fieldsync::server::detail {

// The max_failures-th most recent failure inside the window, if there is one, blocks sign-in
// until it leaves the window; then fewer than max_failures remain inside.
std::int64_t LoginThrottle::wait_for(const char* sql, std::string_view key,
                                     std::int64_t now_ms) const {
  sqlite::Statement& st = db_.prepare_cached(sql);
  st.bind(1, key);
  st.bind(2, now_ms - window_ms_);
  st.bind(3, max_failures_ - 1);
  std::int64_t wait = 0;
  if (st.step())
    wait = std::clamp<std::int64_t>(st.column_int64(0) + window_ms_ - now_ms, 0, window_ms_);
  st.reset();
  return wait;
}

std::int64_t LoginThrottle::wait_ms(std::string_view login, std::string_view device_id,
                                    std::int64_t now_ms) const {
  const std::int64_t by_login = wait_for(
      "SELECT at_ms FROM login_failures WHERE login = ?1 AND at_ms > ?2"
      " ORDER BY at_ms DESC LIMIT 1 OFFSET ?3",
      login, now_ms);
  const std::int64_t by_device = wait_for(
      "SELECT at_ms FROM login_failures WHERE device_id = ?1 AND at_ms > ?2"
      " ORDER BY at_ms DESC LIMIT 1 OFFSET ?3",
      device_id, now_ms);
  return std::max(by_login, by_device);
}

void LoginThrottle::record_failure(std::string_view login, std::string_view device_id,
                                   std::int64_t now_ms) {
  sqlite::Statement& prune = db_.prepare_cached("DELETE FROM login_failures WHERE at_ms <= ?1");
  prune.bind(1, now_ms - window_ms_);
  prune.run();
  sqlite::Statement& st = db_.prepare_cached(
      "INSERT INTO login_failures (login, device_id, at_ms) VALUES (?1, ?2, ?3)");
  st.bind(1, login);
  st.bind(2, device_id);
  st.bind(3, now_ms);
  st.run();
}

void LoginThrottle::clear(std::string_view login) {
  sqlite::Statement& st = db_.prepare_cached("DELETE FROM login_failures WHERE login = ?1");
  st.bind(1, login);
  st.run();
}

}  // namespace fieldsync::server::detail
