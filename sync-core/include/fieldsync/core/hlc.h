#pragma once
// Hybrid logical clock stamps (physical milliseconds + logical counter). Stamps order the
// writes of one device and break ties between devices for last-writer-wins fields; the
// device id is the final tie-breaker and is kept beside the stamp, not inside it.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fieldsync/core/clock.h"

namespace fieldsync {

struct Hlc {
  std::int64_t wall_ms = 0;   // physical component, ms since epoch
  std::uint32_t counter = 0;  // logical component, < 2^16

  auto operator<=>(const Hlc&) const = default;

  // Text form "WWWWWWWWWWWWW-CCCC": 13 decimal digits of wall_ms, '-', 4 hex digits of
  // counter. Fixed width, so text order equals stamp order (also inside SQL). Throws
  // Error(internal, "hlc_out_of_range") unless 0 <= wall_ms < 10^13 and counter < 2^16.
  std::string to_string() const;
  // Parses the text form; nullopt when it is not exactly that shape.
  static std::optional<Hlc> parse(std::string_view text);
};

// What happened to a remote stamp given to HlcClock::receive.
enum class RemoteStampVerdict {
  accepted,  // within bound; merged into the local clock
  clamped,   // too far in the future: the local clock was advanced only to now + bound
  refused,   // too far in the future and the clock is set to refuse: the clock is unchanged
};

enum class FutureStampPolicy { clamp, refuse };

struct ReceiveResult {
  RemoteStampVerdict verdict;
  // The stamp to record for the remote event: the merged clock value when accepted or
  // clamped (merged with the remote clamped to wall + bound), the remote itself when refused.
  Hlc stamp;
};

// A hybrid logical clock over an injected wall clock. Contract:
//  - now() is strictly increasing, even if the wall clock jumps backwards;
//  - receive(remote) returns a stamp greater than both the last local stamp and (unless
//    clamped/refused) the remote stamp, and later now() calls stay above it;
//  - a remote stamp more than max_future_ms ahead of the wall clock is clamped to
//    wall + max_future_ms or refused, per policy, and the verdict says which.
// Not thread-safe.
class HlcClock {
 public:
  static constexpr std::int64_t kDefaultMaxFutureMs = 5 * 60 * 1000;

  explicit HlcClock(WallClock& wall, std::int64_t max_future_ms = kDefaultMaxFutureMs,
                    FutureStampPolicy policy = FutureStampPolicy::clamp);

  Hlc now();
  ReceiveResult receive(const Hlc& remote);
  // Restores the last issued stamp (e.g. persisted by a device) so restarts stay monotonic.
  // Never moves the clock backwards: an older stamp than last() is ignored.
  void restore(const Hlc& last);
  const Hlc& last() const { return last_; }

 private:
  WallClock& wall_;
  std::int64_t max_future_ms_;
  FutureStampPolicy policy_;
  Hlc last_{};
};

}  // namespace fieldsync
