#pragma once
// The server's per-op check of who may write what (docs/protocol.md, "Roles and scope").
//
// A row outside the caller's units is answered exactly like a row that does not exist, with
// one exception that keeps field work from being lost: a row that left the caller's units
// after the caller's last pull (the push's cursor) still takes the caller's ops, because the
// device wrote them before it could know of the move.
#include <cstdint>
#include <optional>
#include <vector>

#include "fieldsync/core/model.h"
#include "fieldsync/server/access.h"
#include "fieldsync/sqlite/op_applier.h"
#include "fieldsync/sqlite/row_store.h"

namespace fieldsync::server {

class ScopeGate final : public sqlite::OpGate {
 public:
  // `push_cursor` is the pull cursor the device sent with its push.
  ScopeGate(const Access& access, const Model& model, sqlite::Database& db, sqlite::RowStore& rows,
            std::int64_t push_cursor);

  std::vector<Problem> admit(const Op& op, const std::optional<Row>& current) override;

 private:
  // The unit that owns the op's row (or would own it, for a create), if it can be told.
  std::optional<std::string> owning_unit(const Op& op, const EntityDef& entity,
                                         const std::optional<Row>& current,
                                         std::optional<Row>& parent);
  // What the op would get if its row did not exist: the gate's and validation's problems for it
  // without the row, so that a row of another unit cannot be told from a missing one.
  std::vector<Problem> as_if_missing(const Op& op);
  bool left_caller_after_cursor(const std::string& entity, const std::string& id);
  bool unit_exists(const std::string& unit_id);
  std::optional<Problem> role_forbids(const Op& op, const EntityDef& entity,
                                      const std::optional<Row>& current);

  const Access& access_;
  const Model& model_;
  sqlite::Database& db_;
  sqlite::RowStore& rows_;
  std::int64_t push_cursor_;
};

}  // namespace fieldsync::server
