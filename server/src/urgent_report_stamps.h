#pragma once
// Stamps urgent reports as they reach the office: for every urgent_report create a push batch
// accepted, the server writes, inside the batch's transaction, a server op (Author::server, a
// fresh server HLC stamp) setting reached_office_at to the server's receive time and late to
// whether that is more than the configured threshold after known_at
// (domain::urgent_report_late: exactly at the threshold is in time). Devices receive both by
// pull. A resent create (duplicate) is not stamped again.
#include <cstdint>
#include <vector>

#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/sqlite/database.h"
#include "fieldsync/sqlite/op_applier.h"

namespace fieldsync::server::detail {

// REQUIRES: a transaction is open on `db` (the batch's, from OpApplier::apply_batch's
// follow-up); `applier` works on `db`; `results` answer `ops` one for one.
// Throws Error{internal, "op_rejected"} if the store refuses the server op (a bug).
void stamp_urgent_reports(sqlite::Database& db, const Model& model, sqlite::OpApplier& applier,
                          const std::vector<Op>& ops, const std::vector<sqlite::OpResult>& results,
                          std::int64_t received_ms, std::int64_t threshold_ms);

}  // namespace fieldsync::server::detail
