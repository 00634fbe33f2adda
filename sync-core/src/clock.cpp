#include "fieldsync/core/clock.h"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstddef>
#include <string>

#include "fieldsync/core/error.h"

namespace fieldsync {

std::int64_t SystemClock::now_ms() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count();
}

void SecureRandom::fill(std::span<std::uint8_t> out) {
  // RAND_bytes takes an int length, so large buffers are filled in chunks.
  constexpr std::size_t kMaxChunk = INT_MAX;
  while (!out.empty()) {
    const std::size_t chunk = std::min(out.size(), kMaxChunk);
    if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1) {
      throw Error(
          ErrorDomain::internal, "random_failed",
          "OpenSSL RAND_bytes could not produce " + std::to_string(chunk) + " random bytes");
    }
    out = out.subspan(chunk);
  }
}

}  // namespace fieldsync
