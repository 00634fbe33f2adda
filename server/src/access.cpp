#include "fieldsync/server/access.h"

namespace fieldsync::server {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::field_leader: return "field_leader";
    case Role::unit_reviewer: return "unit_reviewer";
    case Role::central_office: return "central_office";
    case Role::admin: return "admin";
  }
  return "field_leader";
}

std::optional<Role> role_from_string(std::string_view text) {
  for (Role r : {Role::field_leader, Role::unit_reviewer, Role::central_office, Role::admin})
    if (to_string(r) == text) return r;
  return std::nullopt;
}

}  // namespace fieldsync::server
