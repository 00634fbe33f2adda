#pragma once
// The rules of the case workflow beyond its state machine, enforced inside validate_op so the
// tablet refuses offline and the server refuses online with the same codes
// (docs/protocol.md):
//  - handling_path_required  status goes to resolved while neither the op nor the row has a
//                            handling_path (one of the four paths must be chosen first);
//  - not_satisfied           status goes to closed while petitioner_satisfied (in the op, else
//                            on the row) is not true: handled but not satisfied stays open;
//  - reopen_reason_required  a reopen op without a non-empty reopen_reason.
// A write of a state at or behind the current one (a stale write that loses the merge) is not
// a transition and is not checked.
#include <vector>

#include "fieldsync/core/error.h"
#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/core/row.h"

namespace fieldsync::domain {

// Appends the problems of a case op (`op.entity` == "case") to `out`. `current` is the row as
// stored (nullptr: none). REQUIRES: the op's status, if any, already passed the workflow
// checks (the caller skips this when it did not).
void check_case_rules(const Model& model, const Op& op, const Row* current,
                      std::vector<Problem>& out);

}  // namespace fieldsync::domain
