#pragma once
// Rebase: after confirmed state changed (a pulled page, a snapshot page, answers that
// rejected ops), show this device's unconfirmed ops on top of it again.
//
// The view is first put back to confirmed state, `server_changes` stores what the server sent,
// then the outbox's ops are merged on top in the order they were made:
//  - ops awaiting an answer are validated against the view first, as the server will
//    validate them; one that no longer fits (its row was deleted or left the scope) is not
//    shown, but stays in the outbox to be sent and answered;
//  - ops the server applied (seq > cursor) are shown until a pull brings a state that
//    includes them: the row's confirmed version reaching their seq, or the cursor passing it;
//  - rejected ops are not shown: the server did not apply them.
// The merge is deterministic and idempotent, so the result is what the server will hold once
// it has the ops, as far as this device knows. REQUIRES: inside a transaction.
#include <cstdint>
#include <functional>

#include "fieldsync/core/model.h"
#include "outbox.h"
#include "replica.h"

namespace fieldsync::client {

void rebase(Replica& replica, const Model& model, const Outbox& outbox, std::int64_t cursor,
            const std::function<void()>& server_changes = {});

}  // namespace fieldsync::client
