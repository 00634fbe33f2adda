#pragma once
// Writes unit, user and device rows the way the server's authority does: as ops made by the
// server (device server_device_id()) and applied through the OpApplier with
// Authority::server, so versions, the change index and sync treat them like any change.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fieldsync/core/clock.h"
#include "fieldsync/core/hlc.h"
#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/core/row.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::server::detail {

// The next server stamp: above the last one recorded (sync_state "server_hlc") and not before
// now_ms. Recorded before use, so a stamp is never issued twice even if the op then fails.
// Joins the caller's transaction when one is open.
Hlc next_server_stamp(sqlite::Database& db, std::int64_t now_ms);

// Contract: each call applies one op in its own transaction and returns its sequence number.
// The op's HLC stamp is above every stamp the server made before (the last one is kept in
// sync_state under "server_hlc"), so later server writes win over earlier ones even if the
// wall clock went back. An op the applier refuses throws Error(internal, "op_rejected") with
// its problems: callers check their inputs first, so this means a bug.
// REQUIRES: `db` is an open store for `model`; db, model and random outlive the writer; no
// transaction is open on `db`; one thread at a time.
class DirectoryWriter {
 public:
  DirectoryWriter(sqlite::Database& db, const Model& model, RandomSource& random)
      : db_(db), model_(model), random_(random) {}

  std::int64_t create(std::string_view entity, std::string_view id, Json fields,
                      std::string_view author, std::int64_t now_ms);
  // REQUIRES: `current` is the row as stored.
  std::int64_t update(const Row& current, Json fields, std::string_view author,
                      std::int64_t now_ms);
  std::optional<Row> find(std::string_view entity, std::string_view id);

 private:
  std::int64_t apply(Op op, std::int64_t now_ms);

  sqlite::Database& db_;
  const Model& model_;
  RandomSource& random_;
};

}  // namespace fieldsync::server::detail
