#include "fieldsync/core/hlc.h"

#include <algorithm>
#include <cstddef>

#include "fieldsync/core/error.h"

namespace fieldsync {
namespace {

constexpr std::uint32_t kMaxCounter = 0xFFFF;
constexpr std::int64_t kMaxWallMs = 9'999'999'999'999;  // 13 decimal digits
constexpr std::size_t kWallDigits = 13;
constexpr std::size_t kCounterDigits = 4;
constexpr std::size_t kTextSize = kWallDigits + 1 + kCounterDigits;
constexpr char kHexDigits[] = "0123456789abcdef";

// The stamp that follows {wall_ms, counter} at the same wall time: counter + 1, or the
// next millisecond with counter 0 when the counter is exhausted.
Hlc bump(std::int64_t wall_ms, std::uint32_t counter) {
  if (counter >= kMaxCounter) return Hlc{wall_ms + 1, 0};
  return Hlc{wall_ms, counter + 1};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string Hlc::to_string() const {
  if (wall_ms < 0 || wall_ms > kMaxWallMs || counter > kMaxCounter) {
    throw Error(ErrorDomain::internal, "hlc_out_of_range",
                "HLC stamp cannot be written as text: wall_ms " + std::to_string(wall_ms) +
                    ", counter " + std::to_string(counter));
  }
  std::string text(kTextSize, '0');
  std::int64_t wall = wall_ms;
  for (std::size_t i = kWallDigits; i-- > 0;) {
    text[i] = static_cast<char>('0' + wall % 10);
    wall /= 10;
  }
  text[kWallDigits] = '-';
  std::uint32_t c = counter;
  for (std::size_t i = kTextSize; i-- > kWallDigits + 1;) {
    text[i] = kHexDigits[c & 0xF];
    c >>= 4;
  }
  return text;
}

std::optional<Hlc> Hlc::parse(std::string_view text) {
  if (text.size() != kTextSize || text[kWallDigits] != '-') return std::nullopt;
  Hlc stamp;
  for (std::size_t i = 0; i < kWallDigits; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    stamp.wall_ms = stamp.wall_ms * 10 + (c - '0');
  }
  for (std::size_t i = kWallDigits + 1; i < kTextSize; ++i) {
    const int digit = hex_value(text[i]);
    if (digit < 0) return std::nullopt;
    stamp.counter = (stamp.counter << 4) | static_cast<std::uint32_t>(digit);
  }
  return stamp;
}

HlcClock::HlcClock(WallClock& wall, std::int64_t max_future_ms, FutureStampPolicy policy)
    : wall_(wall), max_future_ms_(max_future_ms), policy_(policy) {}

Hlc HlcClock::now() {
  const std::int64_t wall = wall_.now_ms();
  last_ = wall > last_.wall_ms ? Hlc{wall, 0} : bump(last_.wall_ms, last_.counter);
  return last_;
}

ReceiveResult HlcClock::receive(const Hlc& remote) {
  const std::int64_t wall = wall_.now_ms();
  const std::int64_t bound = wall + max_future_ms_;
  Hlc merged_remote = remote;
  RemoteStampVerdict verdict = RemoteStampVerdict::accepted;
  if (remote.wall_ms > bound) {
    if (policy_ == FutureStampPolicy::refuse) {
      return ReceiveResult{RemoteStampVerdict::refused, remote};
    }
    merged_remote.wall_ms = bound;
    verdict = RemoteStampVerdict::clamped;
  }

  // Kulkarni et al., "Logical Physical Clocks", receive rule.
  const std::int64_t top = std::max({last_.wall_ms, merged_remote.wall_ms, wall});
  if (top == last_.wall_ms && top == merged_remote.wall_ms) {
    last_ = bump(top, std::max(last_.counter, merged_remote.counter));
  } else if (top == last_.wall_ms) {
    last_ = bump(top, last_.counter);
  } else if (top == merged_remote.wall_ms) {
    last_ = bump(top, merged_remote.counter);
  } else {
    last_ = Hlc{top, 0};
  }
  return ReceiveResult{verdict, last_};
}

void HlcClock::restore(const Hlc& last) {
  last_ = std::max(last_, last);
}

}  // namespace fieldsync
