#pragma once
// The device's outbox: every op written locally, in the order it was made, with its sync state.
//   pending   written, not yet sent
//   sent      in a push whose answer is not stored yet (it may or may not have reached the
//             server; resending is safe, the server deduplicates by op_id)
//   accepted  / conflict  answered: applied by the server (seq = its sequence number)
//   rejected  answered: refused, with problems; never sent again, removed only by discard()
// Answered ops are kept: they are this device's history of its own changes.
// An op awaiting an answer also counts the server's failures on it in a row (server_failures:
// answered "failed", or a 500 to a push of it alone). At kHoldAfterServerFailures it is held
// aside: awaiting still, shown in the view, but no longer in next_batch() until retry_held(),
// and so are the later ops that depend on it (its row's, or naming it).
// Writes join the caller's transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fieldsync/client/sync_types.h"
#include "fieldsync/core/op.h"
#include "fieldsync/sqlite/database.h"
#include "fieldsync/sqlite/op_applier.h"

namespace fieldsync::client {

enum class OutboxState { pending, sent, accepted, conflict, rejected };

std::string_view to_string(OutboxState state);

struct OutboxEntry {
  std::int64_t local_seq = 0;
  Op op;
  OutboxState state = OutboxState::pending;
  std::int64_t seq = 0;  // the server's sequence number, once accepted
  Json answer;           // the server's answer as received (null until answered)
  int server_failures = 0;
  std::string created_at;
  std::string updated_at;

  bool awaiting_answer() const {
    return state == OutboxState::pending || state == OutboxState::sent;
  }
  std::vector<Problem> problems() const;
};

// REQUIRES: the bookkeeping migrations ran on `db`; `db` outlives this object.
class Outbox {
 public:
  explicit Outbox(sqlite::Database& db) : db_(db) {}

  void append(const Op& op, const std::string& now);

  // The oldest ops awaiting an answer (pending or sent) and not held aside, after local_seq
  // `after` (a push walks the outbox once: what the server failed on waits for the next sync),
  // at most `limit`.
  std::vector<OutboxEntry> next_batch(std::size_t limit, std::int64_t after = 0) const;
  void mark_sent(const std::vector<OutboxEntry>& batch, const std::string& now);
  // Stores the server's answer to an op (a duplicate is stored under the first answer's
  // state). Returns the state stored. Throws Error{protocol, "bad_response"} for an answer the
  // protocol does not allow.
  // An answer "failed" leaves the op awaiting and counts a server failure on it.
  OutboxState record_answer(const std::string& op_id, const Json& answer, const std::string& now);
  // Counts a server failure on an op awaiting an answer (a 500 to a push of it alone), keeping
  // `answer` (the error) as its last answer.
  void record_server_failure(const std::string& op_id, const Json& answer, const std::string& now);

  // Ops whose effect the view must show on top of confirmed state: those awaiting an answer,
  // and those applied by the server (seq > cursor) that no pull has brought back yet, in order.
  std::vector<OutboxEntry> to_reapply(std::int64_t cursor) const;

  std::int64_t awaiting_count() const;
  std::vector<OutboxEntry> rejected() const;
  // Ops held aside after kHoldAfterServerFailures server failures, oldest first.
  std::vector<OutboxEntry> held() const;
  // Sends the held ops again from the next sync on (their failure count restarts). Returns how
  // many there were.
  std::int64_t retry_held();
  // Every op this device made on one of `rows` (entity, id), in order.
  std::vector<OutboxEntry> for_rows(
      const std::vector<std::pair<std::string, std::string>>& rows) const;
  // True when a rejected op with this id was removed.
  bool discard_rejected(const std::string& op_id);

 private:
  // Holds the ops after `local_seq` that touch `row_id` or name it, transitively.
  void hold_dependents(const std::string& op_id, std::int64_t local_seq, const std::string& row_id,
                       const std::string& now);
  std::vector<OutboxEntry> select(std::string_view where_sql,
                                  const std::vector<std::int64_t>& ints) const;

  sqlite::Database& db_;
};

}  // namespace fieldsync::client
