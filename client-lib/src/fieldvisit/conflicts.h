#pragma once
// How an open conflict is shown, by `fieldvisit conflicts` and `case show`.
#include <ostream>
#include <string>

#include "fieldsync/client/records.h"
#include "fieldvisit/cli.h"

namespace fieldsync::fieldvisit {

// The conflict's field, every candidate value with who wrote it, when and on which device,
// numbered from 1 (for `conflicts resolve --pick N`). `short_id` is the id as shown.
void print_conflict(Session& session, std::ostream& out, const client::Record& conflict,
                    const std::string& short_id, const std::string& indent);

// The conflict as JSON, with the case it belongs to and its candidates.
Json conflict_json(Session& session, const client::Record& conflict);

}  // namespace fieldsync::fieldvisit
