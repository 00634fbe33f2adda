#include "value_checks.h"

#include <algorithm>
#include <cstdint>

#include "fieldsync/core/limits.h"
#include "fieldsync/core/uuid.h"

namespace fieldsync::detail {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads `count` decimal digits at `pos`; nullopt if any is not a digit.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// Checks the "YYYY-MM-DD" prefix of `text` (which must be at least 10 characters long).
bool date_prefix_ok(std::string_view text) {
  if (text[4] != '-' || text[7] != '-') return false;
  auto year = digits(text, 0, 4);
  auto month = digits(text, 5, 2);
  auto day = digits(text, 8, 2);
  if (!year || !month || !day || *year < 1 || *month < 1 || *month > 12 || *day < 1) return false;
  return *day <= days_in_month(*year, *month);
}

}  // namespace

bool is_canonical_uuid(std::string_view text) {
  return is_uuid(text) &&
         std::none_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'F'; });
}

bool is_identifier(std::string_view text) {
  if (text.empty() || text.size() > kMaxNameLength) return false;
  if (text[0] < 'a' || text[0] > 'z') return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_'; });
}

bool is_calendar_date(std::string_view text) {
  return text.size() == 10 && date_prefix_ok(text);
}

bool is_utc_timestamp(std::string_view text) {
  // 2026-11-26T06:05:03Z (20) or 2026-11-26T06:05:03.123Z (24)
  if (text.size() != 20 && text.size() != 24) return false;
  if (!date_prefix_ok(text) || text[10] != 'T' || text[13] != ':' || text[16] != ':') return false;
  auto hour = digits(text, 11, 2);
  auto minute = digits(text, 14, 2);
  auto second = digits(text, 17, 2);
  if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 59) return false;
  if (text.size() == 24 && (text[19] != '.' || !digits(text, 20, 3))) return false;
  return text.back() == 'Z';
}

std::optional<std::size_t> utf8_length(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      cp = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      cp = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      cp = lead & 0x07u;
    } else {
      return std::nullopt;
    }
    if (text.size() - i <= extra) return std::nullopt;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cont = static_cast<unsigned char>(text[i + k]);
      if ((cont & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cont & 0x3Fu);
    }
    static constexpr std::uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return std::nullopt;
    i += extra + 1;
    ++count;
  }
  return count;
}

int json_depth(const nlohmann::json& value, int limit) {
  if (!value.is_structured() || value.empty()) return value.is_structured() ? 1 : 0;
  if (limit <= 0) return 1;  // a container below the allowed depth: deeper than the limit
  int deepest = 0;
  for (const auto& child : value) {
    deepest = std::max(deepest, json_depth(child, limit - 1));
    if (deepest > limit - 1) break;
  }
  return 1 + deepest;
}

}  // namespace fieldsync::detail
