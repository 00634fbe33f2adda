#include "rebase.h"

#include "fieldsync/core/error.h"
#include "fieldsync/core/validation.h"

namespace fieldsync::client {

void rebase(Replica& replica, const Model& model, const Outbox& outbox, std::int64_t cursor,
            const std::function<void()>& server_changes) {
  replica.restore_confirmed();
  if (server_changes) server_changes();
  for (const OutboxEntry& entry : outbox.to_reapply(cursor)) {
    const Op& op = entry.op;
    if (entry.awaiting_answer()) {
      const std::optional<Row> current = replica.find(op.entity, op.id);
      if (!validate_op(model, op, current ? &*current : nullptr).empty()) continue;
    } else if (replica.confirmed_version(op.entity, op.id) >= entry.seq) {
      continue;  // the confirmed row already includes it
    }
    try {
      replica.apply_local(op);
    } catch (const Error& e) {
      if (e.domain() != ErrorDomain::merge) throw;
      // Its row (or parent) is not on the device any more: nothing to show.
    }
  }
}

}  // namespace fieldsync::client
