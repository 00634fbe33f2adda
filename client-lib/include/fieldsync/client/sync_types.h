#pragma once
// What sync() takes and reports, and what status() shows.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fieldsync/core/error.h"
#include "fieldsync/core/model.h"

namespace fieldsync::client {

enum class SyncPhase { push, snapshot, pull };

std::string_view to_string(SyncPhase phase);

// Reported after every push batch and every pulled page.
struct SyncProgress {
  SyncPhase phase = SyncPhase::push;
  std::int64_t ops_sent = 0;       // push: ops answered so far in this sync
  std::int64_t ops_total = 0;      // push: ops pending when the push began
  std::int64_t rows_received = 0;  // snapshot/pull: rows and drops applied so far
  std::int64_t cursor = 0;         // the pull cursor stored so far
};

struct SyncOptions {
  // Called on the calling thread after each batch or page is stored.
  std::function<void(const SyncProgress&)> progress;
  // Checked before each batch and page; once true, sync() stops there and returns with
  // SyncReport::cancelled. Everything stored so far stays. May be set from another thread.
  const std::atomic<bool>* cancel = nullptr;
  bool push = true;  // send the outbox
  bool pull = true;  // then bring the server's changes (a snapshot first on a new device)
};

struct SyncReport {
  std::int64_t accepted = 0;    // incl. duplicates first accepted
  std::int64_t conflicts = 0;   // accepted, and a conflict record now holds a value
  std::int64_t duplicates = 0;  // answered before (a resend after a lost answer)
  std::int64_t rejected = 0;
  std::int64_t failed = 0;  // the server failed on them (a fault of its own): kept, sent again
  std::int64_t held = 0;    // ops held aside after repeated failures, now (SyncStatus::held)
  std::int64_t rows_received = 0;  // upserts and drops applied
  std::int64_t cursor = 0;         // the pull cursor afterwards
  bool snapshot = false;           // a snapshot page was applied in this sync
  bool cancelled = false;
};

// An op the server refused. It stays in the outbox, is never sent again on its own, and
// leaves only through Client::discard_rejected.
struct RejectedOp {
  std::string op_id;
  std::string entity;
  std::string row_id;
  std::string kind;
  Json fields = Json::object();
  std::string hlc;
  std::vector<Problem> problems;
};

// How many failures of the server's own in a row on one op (answered "failed", or a 500 to a
// push of it alone) hold it aside.
inline constexpr int kHoldAfterServerFailures = 3;

// An op the server failed on kHoldAfterServerFailures times in a row, because of a fault of its
// own: kept in the outbox and in the view, held aside (not sent) so that it blocks nothing
// else, and sent again only after Client::retry_failed.
struct HeldOp {
  std::string op_id;
  std::string entity;
  std::string row_id;
  std::string kind;
  int server_failures = 0;
  std::string message;  // what the server said the last time
  std::string at;       // when, device time
};

struct LastError {
  std::string domain;  // to_string(ErrorDomain)
  std::string code;
  std::string message;
  std::string at;  // device time, RFC 3339
};

struct SyncStatus {
  std::string device_id;
  std::string user_id;  // empty before the first sign-in
  std::string unit_id;
  std::string role;
  bool signed_in = false;        // a token is stored (it may still have expired)
  std::int64_t pending_ops = 0;  // ops not answered yet (pending or sent), held ones included
  std::vector<RejectedOp> rejected;
  std::vector<HeldOp> held;
  std::int64_t open_conflicts = 0;  // open conflict records on the device
  bool snapshot_done = false;
  std::int64_t cursor = 0;
  std::optional<std::string> last_sync_at;  // last sync that completed, device time
  std::optional<LastError> last_error;      // of the last sync or sign-in that failed
};

}  // namespace fieldsync::client
