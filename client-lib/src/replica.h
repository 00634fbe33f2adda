#pragma once
// The device's replica of the rows in its user's scope.
//
// The entity tables (the same as the server's, from the model) hold the VIEW: confirmed server
// state with this device's unconfirmed ops applied on top. For every row the view shows
// differently from what the server confirmed, replica_confirmed keeps the confirmed copy (or
// NULL: the server has no such row yet). So:
//  - apply_local(op) merges an op into the view, first saving the confirmed copy of every row
//    it changes;
//  - restore_confirmed() puts every such row back to its confirmed state (the view is then
//    exactly the confirmed state), after which server rows are stored with put_server_row /
//    drop_server_row and the unconfirmed ops are applied again (rebase.h).
// All writes join the caller's transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fieldsync/core/merge.h"
#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/core/row.h"
#include "fieldsync/sqlite/database.h"
#include "fieldsync/sqlite/row_store.h"

namespace fieldsync::client {

// REQUIRES: open_store ran on `db` (entity tables and migrations); db and model outlive it.
class Replica {
 public:
  Replica(sqlite::Database& db, const Model& model);

  // The row as the view shows it (tombstones included).
  std::optional<Row> find(std::string_view entity, std::string_view id) const;
  const RowReader& reader() const { return rows_; }

  // The version the server last confirmed for the row (0 when it has none).
  std::int64_t confirmed_version(std::string_view entity, std::string_view id) const;
  // True when the view shows local changes to the row that the server has not confirmed.
  bool has_local_changes(std::string_view entity, std::string_view id) const;

  // Merges `op` into the view at version 0. Throws Error{merge} (nothing written) when the
  // merge refuses it. REQUIRES: `op` passed validate_op against the view's row.
  void apply_local(const Op& op);

  // Puts every locally changed row back to its confirmed state and forgets the copies.
  void restore_confirmed();
  // Stores a row the server sent, unless the view holds a newer confirmed version of it.
  // REQUIRES: restore_confirmed() since the last apply_local (the view is confirmed state).
  void put_server_row(const Row& row);
  // Removes a row that left the user's scope. Same REQUIRES as put_server_row.
  void drop_server_row(std::string_view entity, std::string_view id);

 private:
  void keep_confirmed(std::string_view entity, std::string_view id);
  void erase_view_row(std::string_view entity, std::string_view id);

  sqlite::Database& db_;
  const Model& model_;
  sqlite::RowStore rows_;
};

}  // namespace fieldsync::client
