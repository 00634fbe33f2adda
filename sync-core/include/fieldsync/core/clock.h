#pragma once
// Injected sources of time and randomness. The core never reads a clock or an entropy
// source of its own: callers pass these in, so tests own time and randomness.
#include <cstdint>
#include <span>

namespace fieldsync {

// Wall-clock time in milliseconds since the Unix epoch. May jump in either direction.
class WallClock {
 public:
  virtual ~WallClock() = default;
  virtual std::int64_t now_ms() = 0;
};

// Fills buffers with random bytes.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

// The real system clock (std::chrono::system_clock).
class SystemClock final : public WallClock {
 public:
  std::int64_t now_ms() override;
};

// Cryptographically secure randomness from OpenSSL's RAND_bytes. Throws Error on failure.
class SecureRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

}  // namespace fieldsync
