#include "http/query_string.h"

namespace fieldsync::server::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    decoded += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return decoded;
}

std::optional<std::string> parse_query(std::string_view query,
                                       std::map<std::string, std::string>& out) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view segment = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (segment.empty()) continue;

    const auto equals = segment.find('=');
    const auto name = percent_decode(segment.substr(0, equals));
    const auto value = percent_decode(
        equals == std::string_view::npos ? std::string_view() : segment.substr(equals + 1));
    if (!name || !value) return "malformed percent-escape in the query string";
    if (name->empty()) return "a query parameter has no name";
    if (!out.emplace(*name, *value).second) {
      return "query parameter '" + *name + "' is given more than once";
    }
  }
  return std::nullopt;
}

}  // namespace fieldsync::server::http
