#include "fieldsync/core/domain/calendar.h"

#include <cstdio>

namespace fieldsync::domain {
namespace {

bool digits(std::string_view text, std::size_t from, std::size_t count, int& out) {
  out = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = static_cast<unsigned>((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parse_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() < 10 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, m) ||
      text[7] != '-' || !digits(text, 8, 2, d))
    return std::nullopt;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return days_from_civil(y, m, d) * kMsPerDay;
}

}  // namespace

std::optional<std::int64_t> date_start_ms(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  return parse_date(text);
}

std::optional<std::int64_t> timestamp_ms(std::string_view text) {
  if (text.size() != 20 && text.size() != 24) return std::nullopt;
  auto day = parse_date(text);
  int h = 0, mi = 0, s = 0, frac = 0;
  if (!day || text[10] != 'T' || !digits(text, 11, 2, h) || text[13] != ':' ||
      !digits(text, 14, 2, mi) || text[16] != ':' || !digits(text, 17, 2, s))
    return std::nullopt;
  if (text.size() == 24 && (text[19] != '.' || !digits(text, 20, 3, frac))) return std::nullopt;
  if (text.back() != 'Z' || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return *day + ((h * 60 + mi) * 60 + s) * std::int64_t{1000} + frac;
}

std::string utc_date(std::int64_t ms) {
  std::int64_t z = (ms >= 0 ? ms : ms - (kMsPerDay - 1)) / kMsPerDay + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char out[48];
  std::snprintf(out, sizeof out, "%04lld-%02u-%02u", static_cast<long long>(y), m % 100u, d % 100u);
  return out;
}

}  // namespace fieldsync::domain
