#pragma once
// Local writes: one op, validated, merged into the view and queued in the outbox, in one
// SQLite transaction together with the device HLC it used (or, when the caller holds a
// transaction, a savepoint inside it, so several ops commit together). Nothing is written when
// anything fails.
#include <optional>
#include <string>

#include "fieldsync/core/clock.h"
#include "fieldsync/core/hlc.h"
#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/sqlite/transaction.h"
#include "local_store.h"

namespace fieldsync::client {

// The transaction of a local write: its own when none is open on `db`, else a savepoint in
// the caller's, so a write of several ops commits or fails whole. Undone unless commit().
class WriteScope {
 public:
  explicit WriteScope(sqlite::Database& db) {
    if (db.autocommit())
      tx_.emplace(db);
    else
      nested_.emplace(db);
  }
  void commit() {
    if (tx_)
      tx_->commit();
    else
      nested_->release();
  }

 private:
  std::optional<sqlite::Transaction> tx_;
  std::optional<sqlite::Savepoint> nested_;
};

struct Writer {
  std::string device_id;
  std::string user_id;
};

class OpWriter {
 public:
  // All references outlive the writer.
  OpWriter(LocalStore& store, const Model& model, HlcClock& hlc, WallClock& wall,
           RandomSource& random)
      : store_(store), model_(model), hlc_(hlc), wall_(wall), random_(random) {}

  // Makes and stores the op; returns it. Errors (nothing written):
  //   Error{client, "unknown_row"}   an op other than create on a row the device does not have
  //   Error{validation, <code>, ..., problems}  the op breaks the model (codec, validation or
  //                                  merge refusal such as a missing parent)
  // `fields` may give set fields as plain arrays (see Client::write).
  Op write(const Writer& who, OpKind kind, const std::string& entity, const std::string& id,
           const Json& fields);

 private:
  Json normalise_sets(const EntityDef& entity, OpKind kind, const Json& fields,
                      const std::optional<Row>& current) const;

  LocalStore& store_;
  const Model& model_;
  HlcClock& hlc_;
  WallClock& wall_;
  RandomSource& random_;
};

// The highest workflow generation among the row's workflow fields (stamps[f]["gen"]).
std::int64_t workflow_generation(const EntityDef& entity, const Row& row);

// Throws Error{validation} listing `problems`, led by the first one's code.
[[noreturn]] void throw_problems(const std::string& what, std::vector<Problem> problems);

}  // namespace fieldsync::client
