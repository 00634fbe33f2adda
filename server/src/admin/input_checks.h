#pragma once
// Checks of what an administrator typed, made before anything is written, each throwing
// fieldsync::Error(validation, ...) with a message that says what to fix.
#include <string_view>

#include "fieldsync/core/model.h"

namespace fieldsync::server::detail {

void check_password(std::string_view password);                   // empty_password
void check_unit_name(std::string_view name);                      // invalid_name
void check_login(std::string_view login);                         // invalid_name
void check_display_name(std::string_view name);                   // invalid_name
void check_unit_kind(const Model& model, std::string_view kind);  // invalid_kind
void check_role(const Model& model, std::string_view role);       // invalid_role

}  // namespace fieldsync::server::detail
