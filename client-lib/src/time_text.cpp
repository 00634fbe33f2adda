#include "time_text.h"

#include <cstdio>
#include <ctime>

namespace fieldsync::client {
namespace {

std::tm utc_of(std::int64_t unix_ms) {
  std::int64_t seconds = unix_ms / 1000;
  if (unix_ms < 0 && unix_ms % 1000 != 0) --seconds;
  const auto t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return utc;
}

}  // namespace

std::string format_time(std::int64_t unix_ms) {
  const std::tm utc = utc_of(unix_ms);
  const auto millis = static_cast<int>(((unix_ms % 1000) + 1000) % 1000);
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return out;
}

std::string format_date(std::int64_t unix_ms) {
  return format_time(unix_ms).substr(0, 10);
}

}  // namespace fieldsync::client
