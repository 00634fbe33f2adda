// SystemClock and SecureRandom, the real sources behind WallClock and RandomSource.
#include "fieldsync/core/clock.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <span>

namespace fieldsync {
namespace {

std::int64_t chrono_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_CASE("SystemClock reads the system clock in Unix milliseconds") {
  SystemClock clock;
  const std::int64_t before = chrono_now_ms();
  const std::int64_t now = clock.now_ms();
  const std::int64_t after = chrono_now_ms();
  CHECK(now >= before);
  CHECK(now <= after);
  CHECK(now > 1'600'000'000'000);  // milliseconds, not seconds
}

TEST_CASE("SecureRandom fills the whole buffer with fresh bytes") {
  SecureRandom random;
  std::array<std::uint8_t, 64> first{};
  std::array<std::uint8_t, 64> second{};
  random.fill(first);
  random.fill(second);
  CHECK(first != second);
  // 16 zero bytes at the end would mean the tail was not written (chance 2^-128).
  CHECK_FALSE(std::all_of(first.end() - 16, first.end(), [](std::uint8_t b) { return b == 0; }));
  CHECK_NOTHROW(random.fill(std::span<std::uint8_t>{}));
}

}  // namespace
}  // namespace fieldsync
