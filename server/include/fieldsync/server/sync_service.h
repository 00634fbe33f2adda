#pragma once
// The sync service: push, pull and snapshot for one caller, over the server's store. Knows
// nothing of HTTP: it takes and returns JSON documents (docs/protocol.md) and throws
// fieldsync::Error for a request it cannot serve. Thread-safe: calls are serialised, since
// the store is one SQLite connection.
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "fieldsync/core/clock.h"
#include "fieldsync/core/hlc.h"
#include "fieldsync/core/model.h"
#include "fieldsync/server/access.h"
#include "fieldsync/sqlite/database.h"
#include "fieldsync/sqlite/op_applier.h"

namespace fieldsync::server {

// Counts of op answers, for /metrics.
struct OpCounts {
  std::uint64_t accepted = 0, duplicate = 0, conflict = 0, rejected = 0, failed = 0;
};

class ScopeGate;

class SyncService {
 public:
  static constexpr std::size_t kMaxBatchOps = 500;
  static constexpr std::size_t kDefaultPageRows = 500;
  static constexpr std::size_t kMaxPageRows = 2000;

  // REQUIRES: `db` is an open store (open_store) for `model`; all outlive the service.
  SyncService(sqlite::Database& db, const Model& model, WallClock& wall,
              std::int64_t max_future_ms = HlcClock::kDefaultMaxFutureMs);

  // Body {"cursor": <the device's pull cursor>, "ops": [<op>...]}; the cursor counts for no
  // less than the highest this device has pulled from (pull records it). Answers
  // {"results": [<one per op, in order>], "server_time": "..."}. One transaction per batch.
  // When the batch fails for a reason of the server's own (a bug, not the disk), its ops are
  // applied one by one, each in a transaction of its own, and an op that fails alone is
  // answered "failed" (nothing of it stored) while the others are answered as usual: one op the
  // server cannot take never blocks a device's other work (docs/protocol.md, "Failed ops").
  // Throws Error{protocol, bad_request | batch_too_large}, and the storage errors (full disk,
  // I/O error, busy) that fail the whole request until they pass.
  Json push(const Access& caller, const Json& body);

  // Changes in the caller's units after `cursor`: {"changes": [{"upsert": <row>} |
  // {"drop": {"entity","id"}}...], "next_cursor": N, "more": bool}. Pages end on a version
  // boundary, so no change is ever split from its siblings or skipped.
  Json pull(const Access& caller, std::int64_t cursor, std::size_t limit);

  // The caller's current rows (no tombstones), a page at a time: {"rows": [...], "cursor": N
  // (where pull continues; fixed by the first page), "after": <token for the next page>,
  // "more": bool}. `after` is empty for the first page.
  Json snapshot(const Access& caller, const std::string& after, std::optional<std::int64_t> cursor,
                std::size_t limit);

  OpCounts op_counts() const;

  // An urgent report reaching the office more than this after known_at is stamped late.
  void set_urgent_report_threshold_ms(std::int64_t ms) { report_threshold_ms_ = ms; }

  // A seam for fault tests: called for every op of a batch after it was applied, inside the
  // batch's transaction; a throw is a server fault while applying that op. REQUIRES: set before
  // the service serves.
  using OpFault = std::function<void(const Op&)>;
  void set_op_fault(OpFault fault) { op_fault_ = std::move(fault); }

 private:
  sqlite::Database& db_;
  const Model& model_;
  WallClock& wall_;
  HlcClock clock_;
  sqlite::OpApplier applier_;
  mutable std::mutex mutex_;
  OpCounts counts_;
  std::int64_t report_threshold_ms_ = std::int64_t{120} * 60 * 1000;
  OpFault op_fault_;

  // One transaction: the ops, then their office flags and report stamps.
  std::vector<sqlite::OpResult> apply(const std::vector<Op>& ops, ScopeGate& gate,
                                      const std::string& now);
  // apply(), and on a fault of the server's own, each op alone (see push).
  std::vector<sqlite::OpResult> apply_isolating(const Access& caller, const std::vector<Op>& ops,
                                                ScopeGate& gate, const std::string& now);
};

// "2026-11-26T06:05:03.123Z" for a Unix time in milliseconds.
std::string format_timestamp(std::int64_t unix_ms);

}  // namespace fieldsync::server
