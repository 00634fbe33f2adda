#pragma once
// A case's history as far as the device knows it (see HistoryEntry): every op this device
// made on the case's rows (from the outbox, with its sync state), plus the last write of each
// field by anyone (from the rows' per-field stamps and append entries) that is not one of
// this device's ops.
#include <string>
#include <vector>

#include "fieldsync/client/records.h"
#include "fieldsync/core/row.h"
#include "outbox.h"

namespace fieldsync::client {

// `rows` are the case and the rows that belong to it, as the view shows them.
std::vector<HistoryEntry> case_history(const std::vector<Row>& rows, const Outbox& outbox);

}  // namespace fieldsync::client
