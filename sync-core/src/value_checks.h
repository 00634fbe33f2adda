#pragma once
// Small, pure checks on text and JSON shared by the op codec and validation. Private to
// fieldsync::core (not a public header).
#include <cstddef>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fieldsync::detail {

// A UUID in the canonical form made by make_uuid_v7: 8-4-4-4-12 lower-case hex digits.
// Ids are compared byte by byte (idempotency, row keys), so upper case is refused.
bool is_canonical_uuid(std::string_view text);

// A lower_snake_case identifier as the model uses for entity and field names: a-z first,
// then a-z, 0-9 or '_', at most kMaxNameLength characters.
bool is_identifier(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS.sssZ" (exactly three fraction digits), a
// real calendar date (leap years counted), hours 00-23, minutes and seconds 00-59.
bool is_utc_timestamp(std::string_view text);

// "YYYY-MM-DD", a real calendar date from 0001-01-01 to 9999-12-31.
bool is_calendar_date(std::string_view text);

// The number of Unicode code points in `text`; nullopt when it is not valid UTF-8
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::optional<std::size_t> utf8_length(std::string_view text);

// Nesting depth of arrays/objects in `value` (a scalar is 0, [1] is 1). Never descends more
// than `limit` levels: any value deeper than `limit` reports limit + 1, so hostile input
// cannot exhaust the stack.
int json_depth(const nlohmann::json& value, int limit);

}  // namespace fieldsync::detail
