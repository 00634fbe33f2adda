#include "admin/input_checks.h"

#include <algorithm>
#include <string>

#include "fieldsync/core/error.h"

namespace fieldsync::server::detail {
namespace {

constexpr std::size_t kMaxNameChars = 200;  // a model "string"
constexpr std::size_t kMaxLoginChars = 64;  // user.login's max_length

std::size_t utf8_chars(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

[[noreturn]] void refuse(const char* code, std::string message) {
  throw Error(ErrorDomain::validation, code, std::move(message));
}

void check_name(std::string_view what, std::string_view name, std::size_t max_chars) {
  if (name.empty()) refuse("invalid_name", std::string(what) + " must not be empty");
  if (utf8_chars(name) > max_chars)
    refuse("invalid_name",
           std::string(what) + " is longer than " + std::to_string(max_chars) + " characters");
  if (std::any_of(name.begin(), name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }))
    refuse("invalid_name", std::string(what) + " must not contain control characters");
}

void check_value(const Model& model, std::string_view entity, std::string_view field,
                 std::string_view value, const char* code) {
  const FieldDef* def = model.require_entity(entity).field(field);
  if (def && def->allows_value(value)) return;
  std::string allowed;
  if (def)
    for (const std::string& v : def->values) allowed += (allowed.empty() ? "" : ", ") + v;
  refuse(code, std::string(entity) + " " + std::string(field) + " '" + std::string(value) +
                   "' is not one of: " + allowed);
}

}  // namespace

void check_password(std::string_view password) {
  if (password.empty()) refuse("empty_password", "the password must not be empty");
}

void check_unit_name(std::string_view name) {
  check_name("a unit name", name, kMaxNameChars);
  if (name.find('/') != std::string_view::npos)
    refuse("invalid_name", "a unit name must not contain '/' (it separates names in unit paths)");
}

void check_login(std::string_view login) {
  check_name("a login", login, kMaxLoginChars);
  if (std::any_of(login.begin(), login.end(), [](char c) { return c == ' ' || c == '\t'; }))
    refuse("invalid_name", "a login must not contain spaces");
}

void check_display_name(std::string_view name) {
  check_name("a display name", name, kMaxNameChars);
}

void check_unit_kind(const Model& model, std::string_view kind) {
  check_value(model, "unit", "kind", kind, "invalid_kind");
}

void check_role(const Model& model, std::string_view role) {
  check_value(model, "user", "role", role, "invalid_role");
}

}  // namespace fieldsync::server::detail
