#pragma once
// Read access to the organisation as stored: the unit tree, users and devices (the entity
// tables entity_unit, entity_user, entity_device). Tombstoned rows are not seen. Each call is
// one or two indexed queries, cheap enough to make per request.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fieldsync/sqlite/database.h"

namespace fieldsync::server {

struct UnitRecord {
  std::string id;
  std::string name;
  std::string kind;       // bureau, plant, department_system, unit, team
  std::string parent_id;  // empty for a root

  bool operator==(const UnitRecord&) const = default;
};

struct UserRecord {
  std::string id;
  std::string login;
  std::string display_name;
  std::string role;  // field_leader, unit_reviewer, central_office, admin
  std::string unit_id;
  bool disabled = false;

  bool operator==(const UserRecord&) const = default;
};

struct DeviceRecord {
  std::string id;
  std::string user_id;
  std::string unit_id;
  std::string name;
  std::string last_seen_at;  // RFC 3339, empty when never set
  bool revoked = false;

  bool operator==(const DeviceRecord&) const = default;
};

// REQUIRES: `db` is an open store (open_store) and outlives the directory; one thread at a
// time (the connection's rule).
class Directory {
 public:
  explicit Directory(sqlite::Database& db) : db_(db) {}

  // The unit and every unit below it (via parent_id). Empty when the unit does not exist. A
  // cycle in parent_id cannot make it loop.
  std::set<std::string, std::less<>> unit_subtree(std::string_view unit_id) const;

  std::optional<UnitRecord> unit(std::string_view id) const;
  // Every unit, ordered by name then id.
  std::vector<UnitRecord> units() const;

  std::optional<UserRecord> user_by_login(std::string_view login) const;
  std::optional<UserRecord> user_by_id(std::string_view id) const;

  std::optional<DeviceRecord> device(std::string_view id) const;
  // Every device, ordered by user then name then id.
  std::vector<DeviceRecord> devices() const;

 private:
  sqlite::Database& db_;
};

}  // namespace fieldsync::server
