#pragma once
// Parsing a request body as JSON, strictly: the one parser every JSON request body goes through.
#include <string_view>

#include "fieldsync/core/model.h"

namespace fieldsync::server {

// Parses `text` as one JSON document. Throws Error{protocol, "invalid_json"} when it is not JSON
// (including invalid UTF-8, a lone surrogate escape, a number beyond the double range) and
// Error{protocol, "duplicate_member"} when any object repeats a member name (parsers disagree on
// which copy wins, so such a body is ambiguous). Nesting depth is not limited here; the parser
// does not recurse, and callers bound what they walk.
Json parse_json_body(std::string_view text);

}  // namespace fieldsync::server
