#pragma once
// Device time as text: what the library writes into timestamp and date fields and its own
// bookkeeping. The device clock may be wrong; callers say so where it matters.
#include <cstdint>
#include <string>

namespace fieldsync::client {

// "2026-11-26T06:05:03.123Z" (RFC 3339, UTC, milliseconds).
std::string format_time(std::int64_t unix_ms);
// "2026-11-26" (UTC).
std::string format_date(std::int64_t unix_ms);

}  // namespace fieldsync::client
