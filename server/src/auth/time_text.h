#pragma once
// Wall-clock times as the text the store and the wire use.
#include <cstdint>
#include <string>

namespace fieldsync::server::detail {

// "2026-11-26T06:05:03.123Z" for a Unix time in milliseconds (UTC).
std::string utc_text(std::int64_t unix_ms);

}  // namespace fieldsync::server::detail
