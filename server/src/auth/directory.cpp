#include "fieldsync/server/directory.h"

namespace fieldsync::server {
namespace {

using sqlite::Statement;

constexpr std::string_view kUnitColumns =
    "SELECT id, name, kind, COALESCE(parent_id, '') FROM entity_unit WHERE deleted = 0";
constexpr std::string_view kUserColumns =
    "SELECT id, login, display_name, role, unit_id, COALESCE(disabled, 0) FROM entity_user"
    " WHERE deleted = 0";
constexpr std::string_view kDeviceColumns =
    "SELECT id, user_id, unit_id, COALESCE(name, ''), COALESCE(last_seen_at, ''),"
    " COALESCE(revoked, 0) FROM entity_device WHERE deleted = 0";

UnitRecord read_unit(const Statement& st) {
  return {st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3)};
}

UserRecord read_user(const Statement& st) {
  return {st.column_text(0), st.column_text(1), st.column_text(2),
          st.column_text(3), st.column_text(4), st.column_int64(5) != 0};
}

DeviceRecord read_device(const Statement& st) {
  return {st.column_text(0), st.column_text(1), st.column_text(2),
          st.column_text(3), st.column_text(4), st.column_int64(5) != 0};
}

// The first row of a cached query with one text parameter, read by `read`; the statement is
// reset before returning so it holds no read snapshot open.
template <typename Read>
auto first_row(sqlite::Database& db, const std::string& sql, std::string_view key, Read read)
    -> std::optional<decltype(read(std::declval<const Statement&>()))> {
  Statement& st = db.prepare_cached(sql);
  st.bind(1, key);
  std::optional<decltype(read(st))> result;
  if (st.step()) result = read(st);
  st.reset();
  return result;
}

template <typename Read>
auto all_rows(sqlite::Database& db, const std::string& sql, Read read) {
  Statement& st = db.prepare_cached(sql);
  std::vector<decltype(read(st))> rows;
  while (st.step()) rows.push_back(read(st));
  return rows;
}

}  // namespace

std::set<std::string, std::less<>> Directory::unit_subtree(std::string_view unit_id) const {
  // UNION (not UNION ALL) drops rows already found, so a parent_id cycle ends the recursion.
  Statement& st = db_.prepare_cached(
      "WITH RECURSIVE subtree(id) AS ("
      " SELECT id FROM entity_unit WHERE id = ?1 AND deleted = 0"
      " UNION"
      " SELECT u.id FROM entity_unit u JOIN subtree s ON u.parent_id = s.id WHERE u.deleted = 0)"
      " SELECT id FROM subtree");
  st.bind(1, unit_id);
  std::set<std::string, std::less<>> ids;
  while (st.step()) ids.insert(st.column_text(0));
  return ids;
}

std::optional<UnitRecord> Directory::unit(std::string_view id) const {
  return first_row(db_, std::string(kUnitColumns) + " AND id = ?1", id, read_unit);
}

std::vector<UnitRecord> Directory::units() const {
  return all_rows(db_, std::string(kUnitColumns) + " ORDER BY name, id", read_unit);
}

std::optional<UserRecord> Directory::user_by_login(std::string_view login) const {
  return first_row(db_, std::string(kUserColumns) + " AND login = ?1", login, read_user);
}

std::optional<UserRecord> Directory::user_by_id(std::string_view id) const {
  return first_row(db_, std::string(kUserColumns) + " AND id = ?1", id, read_user);
}

std::optional<DeviceRecord> Directory::device(std::string_view id) const {
  return first_row(db_, std::string(kDeviceColumns) + " AND id = ?1", id, read_device);
}

std::vector<DeviceRecord> Directory::devices() const {
  return all_rows(db_, std::string(kDeviceColumns) + " ORDER BY user_id, name, id", read_device);
}

}  // namespace fieldsync::server
