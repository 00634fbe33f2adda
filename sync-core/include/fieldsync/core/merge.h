#pragma once
// Applying an op to the current state of its row under each field's merge policy.
//
// The result does not depend on the order in which concurrent ops arrive: every policy keeps
// enough in Row::stamps to decide the same way whatever came first.
//   lww       the greater (hlc, device_id) wins
//   flag      like lww, and when the op is concurrent with a write of the field it had not
//             seen (its base_version is older than that write, by another device: the last
//             write, or any write since the field's last decision, even one that lost the
//             lww comparison) and the values differ, or a conflict record of the field is
//             open, the record keeps every candidate value for a person to decide
//   workflow  the greater (workflow_gen, state rank, hlc, device_id) wins: the furthest state,
//             unless a reopen (which carries a higher generation) was made after
//   set       add-wins: a remove takes out only the adds its writer had seen
//   append    entries are kept from every op, ordered by (hlc, device_id, op_id, index)
//   counter   the sum of every op's increment, each op counted once
// Applying the same op twice leaves the rows as applying it once.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/core/row.h"

namespace fieldsync {

// Gives the merge the rows it needs besides the op's own row: a conflict record, the target
// of a resolve, a parent row that decides a child's unit. Must see the writes of earlier ops
// of the same batch.
class RowReader {
 public:
  virtual ~RowReader() = default;
  virtual std::optional<Row> find(std::string_view entity, std::string_view id) const = 0;
};

enum class MergeOutcome {
  applied,   // the op's changes are in the row (or lost a merge by policy, visibly in the log)
  conflict,  // applied, and a conflict record now holds a value this op disagreed with
};

struct MergeResult {
  MergeOutcome outcome = MergeOutcome::applied;
  std::vector<Row> writes;                     // rows to store: the op's row first, then others
  std::vector<std::string> conflict_ids;       // conflict records this op created or joined
  std::optional<std::string> moved_from_unit;  // the row's unit changed from this one
};

// The id of the n-th conflict record on one field of one row: every peer derives the same.
std::string conflict_id(std::string_view entity, std::string_view row_id, std::string_view field,
                        std::int64_t generation);

// REQUIRES: `op` passed validate_op against `model` and the current row.
// `current` is the op's row as stored (nullopt when it does not exist yet); `version` is the
// sequence number the change will carry (a device uses 0 for its own pending ops).
// Throws Error{merge, "unknown_row"} for a change to a row that does not exist and
// Error{merge, "unknown_parent"} when a new row's parent (which decides its unit) is missing.
MergeResult merge_op(const Model& model, const Op& op, const std::optional<Row>& current,
                     std::int64_t version, const RowReader& reader);

}  // namespace fieldsync
