#include "fieldsync/client/retry_policy.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace fieldsync::client {
namespace {

using std::chrono::milliseconds;

// NaN and values outside [0, 1] become the nearest bound (NaN: 0).
double unit_interval(double value) {
  if (!(value >= 0.0)) return 0.0;
  return std::min(value, 1.0);
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// Digits only, at most 9 of them (no overflow); -1 otherwise.
int small_number(std::string_view text) {
  if (!all_digits(text) || text.size() > 9) return -1;
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

// "Jan" .. "Dec" (case-sensitive, as HTTP-date requires) → 1..12; 0 otherwise.
unsigned month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return static_cast<unsigned>(i + 1);
  }
  return 0;
}

bool is_day_name(std::string_view name) {
  return name.size() >= 3 && std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalpha(static_cast<unsigned char>(c)) != 0;
         });
}

// "HH:MM:SS" → seconds since midnight; -1 when malformed.
int time_of_day(std::string_view text) {
  if (text.size() != 8 || text[2] != ':' || text[5] != ':') return -1;
  const int h = small_number(text.substr(0, 2));
  const int m = small_number(text.substr(3, 2));
  const int s = small_number(text.substr(6, 2));
  if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) return -1;
  return h * 3600 + m * 60 + s;
}

std::vector<std::string_view> split_date(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t start = std::string_view::npos;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool separator =
        i == text.size() || is_space(text[i]) || text[i] == ',' || text[i] == '-';
    if (separator && start != std::string_view::npos) {
      tokens.push_back(text.substr(start, i - start));
      start = std::string_view::npos;
    } else if (!separator && start == std::string_view::npos) {
      start = i;
    }
  }
  return tokens;
}

// The three HTTP-date forms (RFC 9110 §5.6.7); nullopt when `text` is none of them.
std::optional<std::chrono::system_clock::time_point> parse_http_date(
    std::string_view text, std::chrono::system_clock::time_point now) {
  const auto tokens = split_date(text);
  std::string_view day_text, month_text, year_text, time_text;
  if (tokens.size() == 6 && tokens[5] == "GMT") {
    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" or RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT".
    day_text = tokens[1], month_text = tokens[2], year_text = tokens[3], time_text = tokens[4];
  } else if (tokens.size() == 5) {
    // asctime "Sun Nov  6 08:49:37 1994".
    month_text = tokens[1], day_text = tokens[2], time_text = tokens[3], year_text = tokens[4];
  } else {
    return std::nullopt;
  }
  if (!is_day_name(tokens[0])) return std::nullopt;
  const int day = small_number(day_text);
  const unsigned month = month_number(month_text);
  int year = small_number(year_text);
  const int seconds = time_of_day(time_text);
  if (day < 1 || month == 0 || year < 0 || seconds < 0) return std::nullopt;
  if (year_text.size() == 2) {
    // RFC 850's two-digit year: the most recent year with those digits that is not more than
    // 50 years in the future.
    const int this_year = static_cast<int>(
        std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now)).year());
    year += 2000;
    while (year > this_year + 50) year -= 100;
  } else if (year_text.size() != 4) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::seconds(seconds);
}

}  // namespace

milliseconds backoff_delay(const RetryPolicy& policy, int retry, double random01) {
  const double cap = static_cast<double>(std::max<std::int64_t>(0, policy.max_delay.count()));
  double delay =
      std::min(cap, static_cast<double>(std::max<std::int64_t>(0, policy.base_delay.count())));
  for (int i = 0; i < retry && delay > 0.0 && delay < cap; ++i) delay = std::min(cap, delay * 2.0);
  const double wait = delay * (1.0 - unit_interval(policy.jitter) * unit_interval(random01));
  return milliseconds(
      std::clamp<std::int64_t>(std::llround(wait), 0, static_cast<std::int64_t>(cap)));
}

milliseconds retry_delay(const RetryPolicy& policy, int retry, double random01,
                         std::optional<milliseconds> retry_after) {
  milliseconds wait = backoff_delay(policy, retry, random01);
  if (retry_after) wait = std::max(wait, *retry_after);
  return std::clamp(wait, milliseconds(0), std::max(milliseconds(0), policy.max_delay));
}

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (all_digits(value)) {
    // Saturates (about 31 years) instead of overflowing; callers cap it at max_delay anyway.
    constexpr std::int64_t kLongest = 1'000'000'000;
    std::int64_t seconds = 0;
    for (char c : value) {
      seconds = std::min(kLongest, seconds * 10 + (c - '0'));
    }
    return milliseconds(seconds * 1000);
  }
  const auto date = parse_http_date(value, now);
  if (!date) return std::nullopt;
  if (*date <= now) return milliseconds(0);
  return std::chrono::ceil<milliseconds>(*date - now);
}

bool is_retryable_status(int status) {
  return status == 429 || (status >= 500 && status <= 599);
}

bool is_retryable_transport_error(std::string_view code) {
  return code != "cancelled" && code != "tls";
}

}  // namespace fieldsync::client
