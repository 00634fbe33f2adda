#include "device_state.h"

#include <charconv>

namespace fieldsync::client {

std::optional<std::string> DeviceState::get(std::string_view key) const {
  sqlite::Statement& st = db_.prepare_cached("SELECT value FROM sync_state WHERE key = ?1");
  st.bind(1, key);
  std::optional<std::string> value;
  if (st.step()) value = st.column_text(0);
  st.reset();
  return value;
}

std::string DeviceState::get_or(std::string_view key, std::string_view fallback) const {
  auto value = get(key);
  return value ? *value : std::string(fallback);
}

std::int64_t DeviceState::get_int(std::string_view key, std::int64_t fallback) const {
  auto value = get(key);
  if (!value) return fallback;
  std::int64_t parsed = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), parsed);
  return ec == std::errc() && ptr == value->data() + value->size() ? parsed : fallback;
}

void DeviceState::set(std::string_view key, std::string_view value) {
  sqlite::Statement& st = db_.prepare_cached(
      "INSERT INTO sync_state (key, value) VALUES (?1, ?2)"
      " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  st.bind(1, key);
  st.bind(2, value);
  st.run();
}

void DeviceState::set_int(std::string_view key, std::int64_t value) {
  set(key, std::to_string(value));
}

void DeviceState::erase(std::string_view key) {
  sqlite::Statement& st = db_.prepare_cached("DELETE FROM sync_state WHERE key = ?1");
  st.bind(1, key);
  st.run();
}

}  // namespace fieldsync::client
