#pragma once
// libcurl result codes as FieldSync transport error codes. Private to the transport; takes the
// CURLcode as an int so this header does not need curl.h.
#include <string_view>

namespace fieldsync::client::transport {

// "unreachable" (could not resolve or connect), "timeout", "tls" (handshake, certificate or
// CA file problems), "cancelled" (aborted by the progress callback), "network" (anything else).
std::string_view transport_error_code(int curl_code);

}  // namespace fieldsync::client::transport
