#pragma once
// Tuning constants of the tablet library, in one place. The protocol's own limits are in
// docs/protocol.md; these stay within them.
#include <cstddef>
#include <cstdint>

namespace fieldsync::client {

// Ops per push request (the server takes at most 500).
inline constexpr std::size_t kPushBatchOps = 500;
// Rows asked for per pull or snapshot page (the server clamps to 2000).
inline constexpr std::size_t kPullPageRows = 500;
// Device name sent at sign-in when the app gives none.
inline constexpr const char* kDefaultDeviceName = "tablet";

}  // namespace fieldsync::client
