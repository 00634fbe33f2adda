#pragma once
// The sync service: push, pull and snapshot for one caller, over the server's store. Knows
// nothing of HTTP: it takes and returns JSON documents (docs/protocol.md) and throws
// fieldsync::Error for a request it cannot serve. Thread-safe: calls are serialised, since
// the store is one SQLite connection.
#include <cstdint>
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
  std::uint64_t accepted = 0, duplicate = 0, conflict = 0, rejected = 0;
};

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
  // Throws Error{protocol, bad_request | batch_too_large}.
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

 private:
  sqlite::Database& db_;
  const Model& model_;
  WallClock& wall_;
  HlcClock clock_;
  sqlite::OpApplier applier_;
  mutable std::mutex mutex_;
  OpCounts counts_;
  std::int64_t report_threshold_ms_ = std::int64_t{120} * 60 * 1000;
};

// "2026-11-26T06:05:03.123Z" for a Unix time in milliseconds.
std::string format_timestamp(std::int64_t unix_ms);

}  // namespace fieldsync::server
