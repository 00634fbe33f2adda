#include <charconv>
#include <stdexcept>
#include <string>

#include "fieldsync/server/http_server.h"

namespace fieldsync::server {
namespace {

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-';
}

}  // namespace

ListenAddress ListenAddress::parse(std::string_view text) {
  const std::string shown = "'" + std::string(text) + "'";
  if (!text.empty() && text.front() == '[') {
    throw std::invalid_argument("listen address " + shown + ": IPv6 addresses are not supported");
  }
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    throw std::invalid_argument("listen address " + shown + " is not HOST:PORT");
  }
  const std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.empty()) {
    throw std::invalid_argument("listen address " + shown + " has no host");
  }
  if (host.find(':') != std::string_view::npos) {
    throw std::invalid_argument("listen address " + shown + ": IPv6 addresses are not supported");
  }
  for (char c : host) {
    if (!is_host_char(c)) {
      throw std::invalid_argument("listen address " + shown + " has an invalid host");
    }
  }
  unsigned long port = 0;
  const auto* end = port_text.data() + port_text.size();
  const auto [stop, error] = std::from_chars(port_text.data(), end, port);
  if (port_text.empty() || error != std::errc() || stop != end || port > 65535) {
    throw std::invalid_argument("listen address " + shown + ": port must be a number 0-65535");
  }
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

std::string ListenAddress::to_string() const {
  return host + ":" + std::to_string(port);
}

}  // namespace fieldsync::server
