#pragma once
// Who is calling and what part of the organisation they may see: the signed-in user, their
// device, their role and the units of their subtree (their unit and every unit below it).
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace fieldsync::server {

enum class Role { field_leader, unit_reviewer, central_office, admin };

std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view text);

struct Access {
  std::string user_id;
  std::string device_id;
  Role role = Role::field_leader;
  std::string unit_id;
  std::set<std::string, std::less<>> units;  // the subtree of unit_id, unit_id included

  bool covers(std::string_view unit) const { return units.count(unit) > 0; }
};

}  // namespace fieldsync::server
