#pragma once
// The tablet's kind flags of a case, computed from the replica with the core rules
// (fieldsync/core/domain/typology.h), and the update that stores them. Called inside the
// transaction of every case or petitioner write, so the flags and the change they follow
// commit together.
//
// The tablet knows only the cases of its units: an earlier case of the same person elsewhere
// is found by the server, which writes office_kind_flags and may add repeat links to cases the
// device does not hold. The tablet never removes such links (it cannot judge them).
#include <string>
#include <vector>

#include "fieldsync/core/model.h"
#include "fieldsync/core/row.h"
#include "local_store.h"

namespace fieldsync::client {

// The fields of a case update bringing kind_flags and repeat_of_case_ids to what the replica
// says; an empty object when the row shows them already. REQUIRES: `case_row` is live.
Json tablet_flags_change(LocalStore& store, const Row& case_row);

// The kind flags of a case about to be created with `fields` (op form; it has no petitioners
// yet, so it repeats nothing), to go into the create op itself.
std::vector<std::string> new_case_flags(LocalStore& store, const Json& fields);

}  // namespace fieldsync::client
