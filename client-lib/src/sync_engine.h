#pragma once
// One sync run: push the outbox in batches, then a snapshot (new device) or pull pages.
//
// Crash safety, step by step (every step is one SQLite transaction or none):
//  1. A batch of ops awaiting an answer is marked `sent`. Nothing else changes: if the run
//     stops here the ops are still awaiting an answer and are sent again next time.
//  2. The push request. Lost request, lost answer, server failure (the server applies a batch
//     all or nothing): the ops are still awaiting an answer; resending is safe because the
//     server answers an op_id it has seen as `duplicate` with its first answer.
//  3. The answers are stored, all in one transaction (with a rebase when some were rejected,
//     so the view stops showing what the server refused). An op leaves the set awaiting an
//     answer only here. An op answered "failed" stays awaiting, with one more server failure
//     counted; at three in a row it is held aside (Outbox). A 500 to a whole batch sends the
//     rest of this run's ops one at a time; a 500 to one op alone counts a failure on it and
//     ends the push, and the run goes on to pull: no op wedges the device.
//  4. Each snapshot page: its rows and the resume token (after, fixed cursor) commit together;
//     the last page also stores the pull cursor and marks the snapshot done. A resume token
//     the server no longer takes (400 bad_request, e.g. the user's unit changed) starts the
//     snapshot over; pull then starts from the earliest fixed cursor seen, so a row received
//     by the abandoned pages and changed since is brought up to date.
//  5. Each pull page: its upserts and drops, the rebase and next_cursor commit together, so a
//     page is either applied with its cursor or not at all and is fetched again.
// Storing a server row keeps the newer version, so a page applied twice changes nothing.
#include <string>

#include "fieldsync/client/client.h"
#include "fieldsync/core/clock.h"
#include "fieldsync/core/hlc.h"
#include "fieldsync/core/model.h"
#include "local_store.h"
#include "server_api.h"

namespace fieldsync::client {

class SyncEngine {
 public:
  // All references outlive the engine.
  SyncEngine(LocalStore& store, const Model& model, ServerApi& api, HlcClock& hlc, WallClock& wall,
             const ClientOptions& tuning)
      : store_(store), model_(model), api_(api), hlc_(hlc), wall_(wall), tuning_(tuning) {}

  // Throws what ServerApi throws, and Error{protocol, "bad_response"} for pages the protocol
  // does not allow. On a throw, what was committed before stays.
  SyncReport run(const SyncOptions& options, const std::string& token);

 private:
  bool cancelled(const SyncOptions& options, SyncReport& report) const;
  void report(const SyncOptions& options, const SyncProgress& progress) const;
  bool push(const SyncOptions& options, const std::string& token, SyncReport& report);
  bool snapshot(const SyncOptions& options, const std::string& token, SyncReport& report);
  bool pull(const SyncOptions& options, const std::string& token, SyncReport& report);
  void restart_snapshot(std::int64_t fixed_cursor);
  void store_server_row(const Row& row);
  // Records a completed sync (last_sync_at, no last error). REQUIRES: inside a transaction.
  void record_success();
  std::string now() const;

  LocalStore& store_;
  const Model& model_;
  ServerApi& api_;
  HlcClock& hlc_;
  WallClock& wall_;
  const ClientOptions& tuning_;
};

}  // namespace fieldsync::client
