#pragma once
// Parsing an URL query string ("a=1&b=x%20y") into decoded parameters.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fieldsync::server::http {

// Splits on '&', then on the first '='; percent-decodes names and values ('+' stays '+').
// Empty segments are skipped; a parameter without '=' has an empty value. Returns a message
// for a person when a name is empty, an escape is malformed, or a name appears twice.
std::optional<std::string> parse_query(std::string_view query,
                                       std::map<std::string, std::string>& out);

// Decodes %XX escapes; nullopt when an escape is malformed.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace fieldsync::server::http
