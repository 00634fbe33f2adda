#pragma once
// Applies batches of ops to a SQLite store the way the server does: each batch in one
// transaction, each op answered on its own (accepted with its sequence number, duplicate with
// the first answer, conflict with its records, rejected with its problems), every answer
// remembered by op_id in op_log so a resent op is never applied twice.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fieldsync/core/error.h"
#include "fieldsync/core/hlc.h"
#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/core/validation.h"
#include "fieldsync/sqlite/database.h"
#include "fieldsync/sqlite/row_store.h"

namespace fieldsync::sqlite {

// failed: the server could not apply the op because of a fault of its own (never the op's);
// nothing of it was stored or logged, and the same op may be sent again.
enum class OpStatus { accepted, duplicate, conflict, rejected, failed };

std::string_view to_string(OpStatus status);

struct OpResult {
  std::string op_id;
  OpStatus status = OpStatus::accepted;
  std::int64_t seq = 0;                   // accepted / conflict: the op's sequence number
  std::vector<std::string> conflict_ids;  // conflict: the records it created or joined
  std::vector<Problem> problems;          // rejected: why, per field
  bool hlc_clamped = false;               // its stamp was too far in the future
  std::optional<OpStatus> first_status;   // duplicate: the answer first given

  bool operator==(const OpResult&) const = default;
};

Json to_json(const OpResult& result);
OpResult op_result_from_json(const Json& doc);

// Decides whether the op's author may apply it (the server: roles and unit scope). Returns
// the problems; none means allowed. A row out of the author's scope must be answered exactly
// like a row that does not exist (code "unknown_row").
class OpGate {
 public:
  virtual ~OpGate() = default;
  virtual std::vector<Problem> admit(const Op& op, const std::optional<Row>& current) = 0;
};

// Work done after a batch's ops, inside the batch's transaction (see apply_batch).
using BatchFollowUp =
    std::function<void(const std::vector<Op>& ops, const std::vector<OpResult>& results)>;

class OpApplier {
 public:
  // `clock` (optional) receives every op's stamp; one too far in the future is clamped.
  OpApplier(Database& db, const Model& model, HlcClock* clock = nullptr);

  // Applies `ops` in order inside one IMMEDIATE transaction and returns one answer per op.
  // A storage failure rolls the whole batch back and throws: nothing of it is applied or
  // remembered. `received_at` is the server's receive time, recorded in op_log. Ops made by
  // the server itself (administration) pass Author::server to validation.
  // `follow_up` (optional) runs inside the same transaction once every op is answered, with
  // the ops and their answers in order: work that must commit or fail with the batch, such as
  // the server's own ops (apply_within). If it throws, the whole batch is rolled back.
  std::vector<OpResult> apply_batch(const std::vector<Op>& ops, OpGate* gate,
                                    const std::string& received_at, Author author = Author::device,
                                    const BatchFollowUp& follow_up = {});

  // Applies one op, ungated, inside the transaction the caller holds (a follow-up's server
  // ops): answered, logged and merged exactly as an op of the batch.
  // REQUIRES: a transaction is open on the store (inside apply_batch's follow-up).
  OpResult apply_within(const Op& op, const std::string& received_at, Author author);

  RowStore& rows() { return rows_; }

 private:
  OpResult apply_one(const Op& op, OpGate* gate, const std::string& received_at, Author author);
  std::optional<OpResult> remembered(const Op& op, const std::string& op_json);
  // The next op_log seq: counted in memory within a batch, read from the store at its start.
  std::int64_t next_seq();
  void log(const Op& op, const std::string& op_json, const OpResult& result,
           const std::string& received_at, std::int64_t seq);

  Database& db_;
  const Model& model_;
  HlcClock* clock_;
  RowStore rows_;
  std::optional<std::int64_t> next_seq_;
};

// Opens (creating if needed) a store at `path` with the bookkeeping migrations and the entity
// tables of `model`. `options` as for Database::open (tests choose a fault-injecting VFS).
Database open_store(const std::filesystem::path& path, const Model& model,
                    const OpenOptions& options = {});

}  // namespace fieldsync::sqlite
