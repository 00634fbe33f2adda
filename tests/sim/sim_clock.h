#pragma once
// Time in the simulation: one world clock that only the simulation moves (the server reads it
// directly), and per-device clocks that read it with a fixed skew, as a tablet whose clock is
// minutes to days wrong in either direction would.
#include <cstdint>

#include "fieldsync/core/clock.h"

namespace fieldsync::sim {

inline constexpr std::int64_t kMinute = 60'000;
inline constexpr std::int64_t kHour = 60 * kMinute;
inline constexpr std::int64_t kDay = 24 * kHour;

// The world's true time. Moves forward only, when the simulation says so.
class WorldClock final : public WallClock {
 public:
  explicit WorldClock(std::int64_t start_ms) : ms_(start_ms) {}
  std::int64_t now_ms() override { return ms_; }
  void advance(std::int64_t delta_ms) { ms_ += delta_ms; }

 private:
  std::int64_t ms_;
};

// A device's clock: the world's time plus a fixed skew (negative: the tablet is behind).
class SkewedClock final : public WallClock {
 public:
  SkewedClock(WallClock& world, std::int64_t skew_ms) : world_(world), skew_ms_(skew_ms) {}
  std::int64_t now_ms() override { return world_.now_ms() + skew_ms_; }
  std::int64_t skew_ms() const { return skew_ms_; }

 private:
  WallClock& world_;
  std::int64_t skew_ms_;
};

}  // namespace fieldsync::sim
