#pragma once
// The JSON the C API returns for the library's records; the shapes are documented in
// fieldsync/fieldsync.h ("JSON OUT"), the one place a C caller reads them.
#include "fieldsync/client/records.h"
#include "fieldsync/client/sync_types.h"
#include "fieldsync/core/model.h"

namespace fieldsync::client::c_api {

Json to_json(const Record& record);
Json to_json(const CaseList& list);
Json to_json(const CaseDetail& detail);
Json to_json(const std::vector<Record>& records);
Json to_json(const SyncReport& report);
Json to_json(const SyncStatus& status);
Json to_json(const HeldOp& op);

}  // namespace fieldsync::client::c_api
