#pragma once
// The office's kind flags: after a push batch is applied, and inside its transaction, the
// server recomputes office_kind_flags and repeat_of_case_ids of every case the batch touched
// (an accepted case op, or a petitioner op of the case) with the same core rules as the
// tablet (fieldsync/core/domain/typology.h), matching identities plant-wide through the
// petitioner_identity index (schema/0006), never by scanning every case. Later cases of the
// same people are recomputed too: an earlier case that reaches the server late makes them
// repeats. A result that differs from the row is written as a server op (Author::server, a
// fresh server HLC stamp), so devices receive it by pull; an unchanged result writes nothing.
#include <cstdint>
#include <vector>

#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/sqlite/database.h"
#include "fieldsync/sqlite/op_applier.h"

namespace fieldsync::server::detail {

// REQUIRES: a transaction is open on `db` (the batch's, from OpApplier::apply_batch's
// follow-up); `applier` works on `db`; `results` answer `ops` one for one.
// Throws Error{internal, "op_rejected"} if the store refuses a server op (a bug).
void refresh_office_flags(sqlite::Database& db, const Model& model, sqlite::OpApplier& applier,
                          const std::vector<Op>& ops, const std::vector<sqlite::OpResult>& results,
                          std::int64_t now_ms);

}  // namespace fieldsync::server::detail
