#pragma once
// Calendar arithmetic on the model's time texts, in UTC: timestamps
// ("YYYY-MM-DDTHH:MM:SS[.sss]Z") and dates ("YYYY-MM-DD") to and from Unix milliseconds.
// Pure: "now" and "today" always come from the caller.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldsync::domain {

constexpr std::int64_t kMsPerDay = std::int64_t{24} * 60 * 60 * 1000;

// Unix ms of a model timestamp; nullopt unless the text is a valid timestamp.
std::optional<std::int64_t> timestamp_ms(std::string_view text);

// Unix ms of midnight UTC starting a model date; nullopt unless the text is a valid date.
std::optional<std::int64_t> date_start_ms(std::string_view text);

// The UTC date ("YYYY-MM-DD") that contains the Unix time `ms`.
std::string utc_date(std::int64_t ms);

}  // namespace fieldsync::domain
