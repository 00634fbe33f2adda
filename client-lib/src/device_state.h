#pragma once
// The device's small named values in sync_state: identity, session, pull cursor, snapshot
// progress, last sync, last error and the device HLC. Writes join the caller's transaction,
// so a value changes together with what it describes (a cursor with its page's rows).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fieldsync/sqlite/database.h"

namespace fieldsync::client {

namespace state_key {
inline constexpr std::string_view device_id = "device_id";
inline constexpr std::string_view user_id = "user_id";
inline constexpr std::string_view unit_id = "unit_id";
inline constexpr std::string_view role = "role";
inline constexpr std::string_view token = "token";
inline constexpr std::string_view token_expires_at = "token_expires_at";
inline constexpr std::string_view server_url = "server_url";
inline constexpr std::string_view cursor = "pull_cursor";
inline constexpr std::string_view snapshot_done = "snapshot_done";
inline constexpr std::string_view snapshot_cursor = "snapshot_cursor";
inline constexpr std::string_view snapshot_after = "snapshot_after";
// The earliest snapshot cursor of a snapshot that had to start over: pull starts there.
inline constexpr std::string_view snapshot_floor = "snapshot_floor";
inline constexpr std::string_view last_sync_at = "last_sync_at";
inline constexpr std::string_view last_error = "last_error";  // JSON {domain, code, ...}
inline constexpr std::string_view hlc = "device_hlc";
}  // namespace state_key

// REQUIRES: the bookkeeping migrations ran on `db`; `db` outlives this object.
class DeviceState {
 public:
  explicit DeviceState(sqlite::Database& db) : db_(db) {}

  std::optional<std::string> get(std::string_view key) const;
  std::string get_or(std::string_view key, std::string_view fallback) const;
  std::int64_t get_int(std::string_view key, std::int64_t fallback = 0) const;
  void set(std::string_view key, std::string_view value);
  void set_int(std::string_view key, std::int64_t value);
  void erase(std::string_view key);

 private:
  sqlite::Database& db_;
};

}  // namespace fieldsync::client
