#pragma once
// Validation of a decoded op against the domain model and the current state of its row:
// types, allowed values, lengths, required fields, workflow transitions and generations,
// and the rules of resolve ops. Runs on both the device (before an op enters the outbox) and
// the server (before merge_op). Codes are listed in docs/protocol.md.
#include <vector>

#include "fieldsync/core/error.h"
#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/core/row.h"

namespace fieldsync {

// Every problem of `op` under `model`, given its row as currently stored (`current` is
// nullptr when the row does not exist; a tombstone is a row with deleted == true). An empty
// result means the op is valid. Problem::field is "fields.<name>" for a field's problems,
// the op member's name ("entity", "kind", "id", "workflow_gen") otherwise. Never throws for
// bad input. Fields unknown to the model are accepted when op.schema_version is newer than
// the model's (the merge keeps them in Row::extra). An op for an unknown entity or of a kind
// the entity does not take gets that one problem only: the rest would be noise.
//
// An op made by the server itself (Author::server: administration of units, users and
// devices) may also use kinds the entity's "ops" list does not give devices and write
// server-origin fields; every other rule applies.
enum class Author { device, server };

std::vector<Problem> validate_op(const Model& model, const Op& op, const Row* current,
                                 Author author = Author::device);

}  // namespace fieldsync
