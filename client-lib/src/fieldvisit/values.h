#pragma once
// Field values typed on the command line, parsed by the model's field type: integers,
// booleans, dates, times, enums, sets as comma lists. Every refusal is a CliError naming the
// field and the values or format it takes.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fieldsync/core/model.h"

namespace fieldsync::fieldvisit {

class IdResolver;

// What parsing may need beyond the text: the signed-in user ("me") and the device's ids (for
// fields that refer to cases or visits, which take unique prefixes too).
struct ValueContext {
  std::string me;
  IdResolver* ids = nullptr;
};

// The model this binary was built with (the one the library validates against).
const Model& builtin_model();
// The values an enum or enum_set field allows, for option checks.
std::vector<std::string> enum_values(const std::string& entity, const std::string& field);
// The states of the case workflow.
std::vector<std::string> case_status_values();
// Help text listing every field of an entity a device may write and what it takes.
std::string fields_help(const std::string& entity);

// Milliseconds since the epoch of an RFC 3339 time ("2026-11-26T08:00:00Z", fractions and
// +HH:MM offsets allowed); nullopt when it is not one.
std::optional<std::int64_t> parse_rfc3339(const std::string& text);

// A time typed by a person, as the model's timestamp ("2026-11-26T08:00:00Z", UTC): "now",
// RFC 3339 with Z or an offset, or "YYYY-MM-DD HH:MM[:SS]" in this machine's local time.
// `what` names the field or option in the error.
std::string parse_time_input(const std::string& what, const std::string& text);
// A date "YYYY-MM-DD" (a real calendar date) or "today" (device clock, UTC).
std::string parse_date_input(const std::string& what, const std::string& text);

// What a field takes, for messages and help: "one of: a, b", "a whole number from 1 to 9", ...
std::string accepted_values(const FieldDef& field);
// Fields a device may write with `case set` and friends (not server-made ones).
std::vector<std::string> writable_fields(const EntityDef& entity);

// The value `text` gives the field, in plain form (a set as an array of its elements).
// "me" stands for the signed-in user in user-id fields.
Json parse_field_value(const FieldDef& field, const std::string& text, const ValueContext& context);

// "field=value", "field+=value" (add to a set, append to a list, increase a counter) and
// "field-=value" (remove from a set, decrease a counter) as op fields for `entity`.
// "field=" with nothing after it clears an optional field.
Json parse_assignments(const EntityDef& entity, const std::vector<std::string>& assignments,
                       const ValueContext& context);

}  // namespace fieldsync::fieldvisit
