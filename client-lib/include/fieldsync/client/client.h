#pragma once
// The tablet library: one device's local replica of the cases in its user's scope, writable
// offline, reconciled with the server by sync().
//
// Contract:
//  - Every write is validated against the model first; a problem throws
//    Error{validation, code, message, problems} and nothing is written. A write that returns
//    is durable: the row change and the op that will carry it to the server were committed in
//    one SQLite transaction (synchronous=FULL).
//  - Reads show the VIEW: the confirmed server state with this device's ops that the server
//    has not yet confirmed applied on top, so a leader always sees their own edits.
//  - sync() pushes the outbox in batches, then takes a snapshot (new device) or pulls changes.
//    A failure at any point (crash, lost link, server error) leaves a state from which the
//    next sync() neither loses nor doubles anything. Errors are recorded as the last error and
//    rethrown: Error{transport, ...} when offline or the link fails, Error{auth, ...} when the
//    token is refused (sign in again; nothing is lost).
//  - When the server says the device is revoked or its user disabled, the database file and
//    its -wal, -shm and -journal files are deleted and Error{client, "wiped"} is thrown; every
//    later call throws the same.
//  - When the device's disk is full or fails, a call throws Error{storage, "storage_full"} or
//    Error{storage, "io_error"} and its transaction is rolled back: nothing is half-written,
//    and the same call succeeds once space (or the disk) is back.
//  - Ids are made on the device (UUIDv7). An id the device does not have gives
//    Error{client, "unknown_row"}.
// REQUIRES: one thread at a time (SyncOptions::cancel may be set from another); the clock,
// randomness and transport given in the options outlive the Client.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fieldsync/client/records.h"
#include "fieldsync/client/sync_types.h"
#include "fieldsync/client/transport.h"
#include "fieldsync/client/tuning.h"
#include "fieldsync/core/clock.h"
#include "fieldsync/core/model.h"
#include "fieldsync/core/op_kind.h"

namespace fieldsync::client {

struct ClientOptions {
  WallClock* clock = nullptr;      // null: the system clock
  RandomSource* random = nullptr;  // null: OpenSSL's secure randomness
  Transport* transport = nullptr;  // null: offline (writes and reads work, sync does not)
  std::size_t push_batch_ops = kPushBatchOps;  // 1..500
  std::size_t page_rows = kPullPageRows;       // rows per pull / snapshot page, >= 1
  // The SQLite VFS the replica is opened through; empty: SQLite's default. A test seam
  // (tests/fault injects disk-full and I/O errors); apps leave it empty.
  std::string storage_vfs = {};
};

// What sign-in stored.
struct SignedIn {
  std::string user_id;
  std::string unit_id;
  std::string role;
  std::string expires_at;
};

class Client {
 public:
  // Opens (creating if needed) the replica at `path`. A new file gets a device id (UUIDv7)
  // that it keeps for life. Throws Error{client, "bad_options"} for batch sizes out of range.
  static Client open(const std::filesystem::path& path, ClientOptions options = {});

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  ~Client();

  // --- identity and sign-in -----------------------------------------------------------------
  const std::string& device_id() const;
  // POST /v1/auth/login; stores the token, user, unit and role. Errors: Error{transport} with
  // no network, Error{auth, bad_credentials | throttled | device_mismatch | ...}.
  SignedIn login(const std::string& login, const std::string& password,
                 const std::string& device_name = kDefaultDeviceName);
  // Forgets the token (the user, and everything written, stay).
  void forget_token();
  // The transport to use from now on (null: offline).
  void set_transport(Transport* transport);
  // Where the app said the server is, kept for it across restarts (the library never reads it).
  void set_server_url(const std::string& url);
  std::optional<std::string> server_url() const;

  // --- writes (offline) -----------------------------------------------------------------------
  // Field values are in op form (docs/protocol.md), with two conveniences: a set field may be
  // given as a plain array (on create: the elements added; on update: the new whole set, sent
  // as the adds and removes that make it), and fields the helpers fill in may be left out.
  //
  // The generic write under all others: an op of `kind` on a row, stamped with a fresh op id,
  // the device HLC, base_version (the confirmed version of the row), workflow_gen (the row's,
  // + 1 for a reopen) and the model's schema version. Returns the op id.
  std::string write(OpKind kind, const std::string& entity, const std::string& id,
                    const Json& fields);

  // A new case; unit_id defaults to the user's unit, status to "received", received_at to the
  // device time. Returns the case id.
  std::string create_case(const Json& fields);
  void update_case(const std::string& case_id, const Json& fields);
  std::string add_petitioner(const std::string& case_id, const Json& fields);
  // visited_at defaults to the device time.
  std::string add_visit(const std::string& case_id, const Json& fields);
  // A new visit correcting `visit_id` (visits are never changed); the case and kind default to
  // the corrected visit's, visited_at to its visited_at. Returns the new visit's id.
  std::string correct_visit(const std::string& visit_id, const Json& fields);
  // status defaults to "open". Returns the commitment id.
  std::string add_commitment(const std::string& case_id, const Json& fields);
  // Marks it done at `done_at` (RFC 3339; empty: the device time).
  void complete_commitment(const std::string& commitment_id, const std::string& done_at = {});
  // unit_id defaults to the case's unit (or the user's with no case), known_at to the device
  // time. `case_id` may be empty. Returns the report id.
  std::string file_urgent_report(const std::string& case_id, const Json& fields);
  // Back to in_progress with a reason (a reopen op: a new workflow generation).
  void reopen_case(const std::string& case_id, const std::string& reason);
  // Decides an open conflict: `value` becomes the field's value.
  void resolve_conflict(const std::string& conflict_id, const Json& value,
                        const std::string& note = {});

  // --- petition rules (docs/architecture.md) -----------------------------------------------
  // Every case or petitioner write (the helpers above and write()) also stores the tablet's
  // kind_flags and repeat_of_case_ids, computed from the replica with the core's rules, in the
  // same transaction; a new case gets origin_unit_id (its unit), a case moving to resolved or
  // closed gets resolved_at / closed_at (device time). kind_flags and repeat_of_case_ids are
  // never given by the caller: Error{validation, "computed_field"}. The case rules refuse with
  // Error{validation, handling_path_required | not_satisfied | reopen_reason_required}. Each
  // call below writes all its ops in one transaction, or nothing.
  //
  // `leader_id` takes charge of the case: a leader_assignment row (the history of who held it)
  // and the case's responsible_leader_id; a received case becomes assigned. Returns its id.
  std::string assign_leader(const std::string& case_id, const std::string& leader_id,
                            const std::string& note = {});
  // Hands the case to another unit: a case_transfer row (from, to, by whom, when, why) and the
  // case's unit_id. Error{validation, "same_unit"} when it is there already;
  // Error{scope, "forbidden"} for a field leader (a reviewer or the office moves cases, as the
  // server requires). Returns its id.
  std::string transfer_case(const std::string& case_id, const std::string& to_unit_id,
                            const std::string& reason);
  // One of solve_quickly, flexible_solution, counselling, by_law.
  void set_handling_path(const std::string& case_id, const std::string& path);
  // The flags a person sets: a reason sets the flag, an empty reason clears it.
  void mark_abnormal(const std::string& case_id, const std::string& reason);
  void mark_long_standing(const std::string& case_id, const std::string& reason);
  // The five packages done so far, as the whole checklist (information, people, counselling,
  // policy, agreement).
  void set_five_packages(const std::string& case_id, const std::vector<std::string>& done);
  // Three meetings of a first letter: `who` is "leader", "unit" or "writer"
  // (Error{validation, "bad_acknowledgement"} otherwise); `at` RFC 3339, empty: device time.
  void acknowledge(const std::string& case_id, const std::string& who, const std::string& at = {});
  // A follow-up contact (one more in follow_up_contacts) and whether the petitioner is
  // satisfied; only a satisfied petitioner lets the case close.
  void record_follow_up(const std::string& case_id, bool satisfied);
  // The case to resolved (needs a handling path) or closed (needs a satisfied petitioner).
  void resolve_case(const std::string& case_id);
  void close_case(const std::string& case_id);

  // --- reads ----------------------------------------------------------------------------------
  CaseList list_cases(const CaseQuery& query = {}) const;
  CaseDetail get_case(const std::string& case_id) const;
  // Any row of the view; nullopt when absent or deleted.
  std::optional<Record> find(const std::string& entity, const std::string& id) const;
  std::vector<Record> open_conflicts() const;

  // --- sync and status ------------------------------------------------------------------------
  SyncReport sync(const SyncOptions& options = {});
  SyncStatus status() const;
  std::vector<RejectedOp> rejected_ops() const;
  // Removes a rejected op from the outbox for good. Error{client, "unknown_op"} when there is
  // no rejected op with that id.
  void discard_rejected(const std::string& op_id);
  // Ops held aside after the server failed on them again and again (SyncStatus::held).
  std::vector<HeldOp> held_ops() const;
  // Sends the held ops again from the next sync on; returns how many there were.
  std::int64_t retry_failed();

  class Impl;

 private:
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fieldsync::client
