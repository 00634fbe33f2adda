#pragma once
// Finding a free TCP port, for listeners that cannot bind port 0 and report the port they got.
#include <cstdint>
#include <string>

namespace fieldsync::server::http {

// Binds a socket on host (IPv4) to port 0, reads the port the kernel chose, and closes it.
// Another process may take the port before the caller binds it, so callers retry on failure.
// Throws std::runtime_error when host does not resolve or nothing can be bound.
std::uint16_t find_free_port(const std::string& host);

}  // namespace fieldsync::server::http
