#pragma once
// UUIDv7 identifiers (RFC 9562): 48-bit Unix ms timestamp, version 7, variant 10, the rest
// from injected randomness. Made on the device, so records can be created offline.
#include <cstdint>
#include <string>
#include <string_view>

#include "fieldsync/core/clock.h"

namespace fieldsync {

// Lower-case canonical text form, 36 characters. Throws Error(internal,
// "uuid_time_out_of_range") unless 0 <= unix_ms < 2^48.
std::string make_uuid_v7(std::int64_t unix_ms, RandomSource& random);

// True for any canonical lower- or upper-case UUID text (8-4-4-4-12 hex digits).
bool is_uuid(std::string_view text);

// A name-based id (UUIDv8 layout holding the first bytes of SHA-256 of `name`): the same
// name always gives the same id. Used for records that several peers must derive alike,
// such as a conflict record.
std::string make_uuid_from_name(std::string_view name);

}  // namespace fieldsync
