#pragma once
// Test doubles for the injected clock and randomness: time moves only when a test says so,
// and randomness is a deterministic function of the seed.
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>

#include "fieldsync/core/clock.h"

namespace fieldsync::testing {

// A wall clock that returns `ms` until the test sets or advances it (either direction).
class FakeClock final : public WallClock {
 public:
  explicit FakeClock(std::int64_t start_ms = 0) : ms(start_ms) {}

  std::int64_t now_ms() override { return ms; }
  void set(std::int64_t new_ms) { ms = new_ms; }
  void advance(std::int64_t delta_ms) { ms += delta_ms; }

  std::int64_t ms;
};

// Deterministic bytes from std::mt19937_64: equal seeds give equal sequences.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}

  void fill(std::span<std::uint8_t> out) override {
    for (std::uint8_t& byte : out) byte = static_cast<std::uint8_t>(engine_());
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace fieldsync::testing
