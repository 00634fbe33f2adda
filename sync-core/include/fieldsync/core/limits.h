#pragma once
// Limits on what one op may carry. They bound memory and CPU per op on the server and are
// stated in docs/protocol.md; changing one is a protocol change.
#include <cstddef>

namespace fieldsync {

// Most members an op's `fields` object may have. Larger than any entity's field count, so
// a real op never meets it; it stops a hostile op from making validation do unbounded work.
inline constexpr std::size_t kMaxFieldsPerOp = 256;

// Deepest nesting of arrays/objects allowed in one field value: a scalar is depth 0,
// [1] is depth 1, {"a": [1]} is depth 2. Keeps recursive JSON code within a small stack.
inline constexpr int kMaxDepth = 16;

// Largest op, in bytes of its text (decode_op_text) or of its compact serialisation
// (decode_op), and largest single field value, compactly serialised: 256 KiB.
inline constexpr std::size_t kMaxOpBytes = 256 * 1024;

// Longest entity name, like the model's own identifier rule (lower_snake_case, a-z first).
inline constexpr std::size_t kMaxNameLength = 63;

}  // namespace fieldsync
