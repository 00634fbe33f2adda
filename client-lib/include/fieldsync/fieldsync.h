#ifndef FIELDSYNC_FIELDSYNC_H
#define FIELDSYNC_FIELDSYNC_H
/*
 * FieldSync C API: the tablet library (fieldsync::client) for apps written in any language
 * that can call C. A thin shell over the C++ Client: every function here does what the
 * Client method of the same name does (fieldsync/client/client.h states the contracts), takes
 * entity payloads as JSON text and returns reads as JSON text.
 *
 * OWNERSHIP
 *  - Every `char*` a function returns is a NUL-terminated UTF-8 string owned by the caller,
 *    who frees it with fs_free(). (The only `const char*` results, from fs_version() and
 *    fs_error_domain_name(), are static: never free them.)
 *  - A handle from fs_client_open() is freed with fs_client_close(). A handle is an opaque id,
 *    never reused: after fs_client_close() every call on it fails with FS_ERROR_CLIENT
 *    "closed_handle" (fs_client_close() and fs_cancel_sync() on it do nothing), so a use after
 *    close is an error the app can see, never a touch of freed memory.
 *  - Strings passed in are only read during the call; the library keeps no pointer to them.
 *
 * ERRORS
 *  - A function that fails returns false or NULL and, when `out_error` is not NULL, fills it:
 *    `domain` (enum fs_error_domain), `code` (a stable machine code, as in docs/protocol.md and
 *    client.h), `message` (for a person; for a validation error it names every field at fault).
 *    Both texts are NUL-terminated, cut at a UTF-8 character boundary when too long.
 *    On success `*out_error` is left untouched. `out_error` may always be NULL.
 *  - Codes of the C layer itself: FS_ERROR_CLIENT "null_argument" (a NULL handle or a NULL
 *    argument that is not marked "may be NULL"), FS_ERROR_CLIENT "closed_handle" (a handle
 *    already closed, or never returned by fs_client_open), FS_ERROR_CLIENT "invalid_utf8" (a
 *    text argument that is not well-formed UTF-8), FS_ERROR_CLIENT "invalid_json" (a JSON
 *    argument that does not parse, including invalid UTF-8 inside it), FS_ERROR_CLIENT
 *    "too_deep" (a JSON argument nesting arrays or objects more than 64 levels),
 *    FS_ERROR_CLIENT "invalid_query" (see fs_list_cases), FS_ERROR_INTERNAL "out_of_memory" and
 *    "internal_error" (a bug). Nothing is written when a call fails with one of these.
 *  - Codes often met: FS_ERROR_VALIDATION with the first problem's code ("bad_date",
 *    "required", "unknown_field", "not_allowed_value", ...; nothing was written);
 *    FS_ERROR_CLIENT "unknown_row" (an id this device does not have); FS_ERROR_AUTH
 *    "not_signed_in", "bad_credentials"; FS_ERROR_TRANSPORT "offline" (opened without a
 *    server), "unreachable", "timeout", "tls"; FS_ERROR_CLIENT "wiped" (the server revoked this
 *    device, whose local data is deleted; every later call on the handle fails the same way).
 *  - No function lets a C++ exception out; every one is noexcept.
 *
 * THREADS
 *  One thread at a time per handle. Handles on different database files are independent.
 *  A progress callback runs on the thread that called fs_sync() and must not call fs_
 *  functions on the same handle.
 *
 * USE
 *    fs_error err;
 *    fs_client* c = fs_client_open("tablet.db", "https://sync.example.org", NULL, &err);
 *    if (!c) { fprintf(stderr, "%s/%s: %s\n", fs_error_domain_name(err.domain), err.code,
 *                      err.message); return 1; }
 *    if (!fs_login(c, "li.wei", password, "Tablet 7", &err)) ...   // once per device and user
 *    char* id = fs_create_case(c, "{\"title\":\"Roof leaks\",\"channel\":\"visit\"}", &err);
 *    char* visit = fs_add_visit(c, id, "{\"kind\":\"home\",\"met\":\"Zhao family\"}", &err);
 *    char* report = fs_sync(c, NULL, NULL, &err);                    // when there is a network
 *    char* detail = fs_get_case(c, id, &err);
 *    fs_free(detail); fs_free(report); fs_free(visit); fs_free(id);
 *    fs_client_close(c);
 *  Writes work offline and are durable when they return; fs_sync() pushes them and pulls what
 *  others wrote. Sign-in needs the server; the device then stays signed in until its token
 *  expires (FS_ERROR_AUTH "not_signed_in" or "token_expired" from fs_sync: sign in again,
 *  nothing written is lost).
 *
 * JSON IN
 *  `json_fields` is a JSON object of field values in op form (schema/model.json,
 *  docs/protocol.md "Ops"): {"title": "...", "channel": "visit", "subjects": ["other"]}.
 *  A set field may be a plain array (on create: the members; on update: the new whole set).
 *  Fields the library fills in may be left out (ids, case_id, unit_id, initial status,
 *  received_at / visited_at / known_at = now). Timestamps are "YYYY-MM-DDTHH:MM:SS[.sss]Z",
 *  dates "YYYY-MM-DD".
 *
 * JSON OUT (member order is unspecified; more members may be added later)
 *  Record (one row as the device shows it: confirmed server state plus this device's pending
 *  edits):
 *    {"entity": "case", "id": "<uuid>", "unit_id": "<uuid>",
 *     "version": <server version it rests on, 0: none>, "local_changes": <bool: pending edits>,
 *     "values": {<field>: <read form: a set as a sorted array, an append list as entries
 *                {op, i, hlc, dev, usr, item}, a counter as its total>},
 *     "created_by": "<user id>", "created_at": "<hlc>", "updated_by": "...", "updated_at": "..."}
 *  Case list (fs_list_cases), newest received first:
 *    [{"case": Record, "open_commitments": <n>, "overdue_commitments": <n>, "overdue": <bool>,
 *      "late_reports": <n>, "missing_report": <bool>, "open_conflicts": <n>,
 *      "kind_flags": [the flags that count: the office's when computed, else the tablet's]}, ...]
 *  Case detail (fs_get_case):
 *    {"case": Record, "petitioners": [Record], "visits": [{"visit": Record,
 *     "corrections": [Record]}], "commitments": [Record], "urgent_reports": [Record],
 *     "open_conflicts": [Record], "history": [History],
 *     "flags": {"tablet": [..], "office": [..], "repeat_of_case_ids": [..],
 *               "flags_differ": <bool>},
 *     "acknowledgements": {"leader_at", "unit_at", "writer_at"} ("" when not yet),
 *     "leader_history": [Record of leader_assignment], "transfers": [Record of case_transfer]}
 *  History (one change of a row of the case, oldest first):
 *    {"hlc", "device_id", "user_id", "op_id", "entity", "row_id", "kind", "fields": [names],
 *     "values": {...}, "source": "outbox" | "stamps", "state": "pending" | "sent" | "accepted" |
 *     "conflict" | "rejected" | "confirmed" | "local", "version": <n>}
 *  Conflicts (fs_open_conflicts): [Record] of entity "conflict"; values hold "entity",
 *    "row_id", "field", "candidates", "status", ...; resolve one with fs_resolve_conflict().
 *  Sync report (fs_sync):
 *    {"accepted", "conflicts", "duplicates", "rejected", "failed", "held", "rows_received",
 *     "cursor": <n>, "snapshot": <bool>, "cancelled": <bool>}
 *    ("failed": ops the server failed on, a fault of its own, kept and sent again; "held": of
 *    those, the ones now held aside, see Held)
 *  Status (fs_status):
 *    {"device_id", "user_id", "unit_id", "role", "signed_in": <bool>,
 *     "pending_ops": <ops not yet answered by the server>, "rejected": [Rejected],
 *     "held": [Held],
 *     "open_conflicts": <n>, "snapshot_done": <bool>, "cursor": <n>,
 *     "last_sync_at": "<RFC 3339>" | null,
 *     "last_error": {"domain", "code", "message", "at"} | null}
 *  Rejected (an op the server refused; it stays until fixed by a new write and discarded):
 *    {"op_id", "entity", "row_id", "kind", "fields": {...}, "hlc",
 *     "problems": [{"field", "code", "message"}]}
 *  Held (an op the server failed on 3 times in a row, a fault of its own; kept, shown, not sent
 *  until fs_retry_failed(), so that nothing else waits behind it):
 *    {"op_id", "entity", "row_id", "kind", "server_failures": <n>, "message", "at"}
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define FS_NOEXCEPT noexcept
extern "C" {
#else
#define FS_NOEXCEPT
#endif

/* Which part of the system refused or failed; mirrors fieldsync::ErrorDomain. */
typedef enum fs_error_domain {
  FS_ERROR_NONE = 0,
  FS_ERROR_MODEL,      /* the domain model */
  FS_ERROR_CODEC,      /* an op or message that is not well-formed */
  FS_ERROR_VALIDATION, /* a write that breaks the model's rules; nothing was written */
  FS_ERROR_MERGE,      /* applying an op to state */
  FS_ERROR_STORAGE,    /* SQLite */
  FS_ERROR_AUTH,       /* sign-in, tokens, devices */
  FS_ERROR_SCOPE,      /* units and roles */
  FS_ERROR_PROTOCOL,   /* the server answered something unexpected */
  FS_ERROR_TRANSPORT,  /* network */
  FS_ERROR_CLIENT,     /* the library's own checks, including this C layer's */
  FS_ERROR_INTERNAL    /* a bug */
} fs_error_domain;

typedef struct fs_error {
  int domain; /* enum fs_error_domain */
  char code[64];
  char message[512];
} fs_error;

/* One device's local replica, and its connection to the server when it has one. */
typedef struct fs_client fs_client;

typedef struct fs_open_options {
  const char* ca_file; /* PEM bundle to verify the server with; NULL: the system's */
  bool verify_tls;     /* certificate and host name checks; keep true outside tests */
  int64_t timeout_ms;  /* one HTTP attempt, connect included; <= 0: 60000 */
} fs_open_options;

/* Start from this, so TLS verification stays on unless turned off on purpose. */
#define FS_OPEN_OPTIONS_DEFAULT \
  { NULL, true, 0 }

/* Called after each pushed batch (phase "push": done = ops answered, total = ops pending when
 * the push began) and each applied page ("snapshot" or "pull": done = rows received so far,
 * total = -1, unknown). */
typedef void (*fs_progress_fn)(const char* phase, int64_t done, int64_t total, void* ctx);

/* The library version, e.g. "0.1.0". Static. */
const char* fs_version(void) FS_NOEXCEPT;
/* "validation", "transport", ... for an fs_error_domain; "none" for 0, "unknown" otherwise.
 * Static. */
const char* fs_error_domain_name(int domain) FS_NOEXCEPT;
/* Frees a string this API returned. NULL is ignored. */
void fs_free(void* p) FS_NOEXCEPT;

/* Opens (creating if needed) the replica at db_path. With a server_url ("http://host:port" or
 * "https://..."), the handle owns an HTTP connection to it; with NULL it works offline
 * (reads and writes work; login and sync fail with FS_ERROR_TRANSPORT "offline").
 * options may be NULL (defaults). Returns NULL on failure. */
fs_client* fs_client_open(const char* db_path, const char* server_url,
                          const fs_open_options* options, fs_error* out_error) FS_NOEXCEPT;
/* Closes the database and the connection, frees the handle. NULL and a handle already closed
 * are ignored. */
void fs_client_close(fs_client* c) FS_NOEXCEPT;

/* Signs in (needs the server). device_name may be NULL ("tablet"). A device keeps the user
 * it first signed in with. */
bool fs_login(fs_client* c, const char* login, const char* password, const char* device_name,
              fs_error* out_error) FS_NOEXCEPT;

/* --- writes: offline, durable on return; need a sign-in on this device first ------------- */

/* A new case (status "received", the user's unit, received now unless given). Returns its
 * id. */
char* fs_create_case(fs_client* c, const char* json_fields, fs_error* out_error) FS_NOEXCEPT;
bool fs_update_case(fs_client* c, const char* case_id, const char* json_fields,
                    fs_error* out_error) FS_NOEXCEPT;
/* Returns the new petitioner's id. */
char* fs_add_petitioner(fs_client* c, const char* case_id, const char* json_fields,
                        fs_error* out_error) FS_NOEXCEPT;
/* Returns the new visit's id. visited_at defaults to now. */
char* fs_add_visit(fs_client* c, const char* case_id, const char* json_fields,
                   fs_error* out_error) FS_NOEXCEPT;
/* Visits are never changed: this records a new visit correcting visit_id (its case, kind and
 * visited_at unless given). Returns the new visit's id. */
char* fs_correct_visit(fs_client* c, const char* visit_id, const char* json_fields,
                       fs_error* out_error) FS_NOEXCEPT;
/* Returns the new commitment's id (status "open"). Needs "who", "how", "due_date". */
char* fs_add_commitment(fs_client* c, const char* case_id, const char* json_fields,
                        fs_error* out_error) FS_NOEXCEPT;
/* Marks it done at done_at (RFC 3339; NULL or "": now). */
bool fs_complete_commitment(fs_client* c, const char* commitment_id, const char* done_at,
                            fs_error* out_error) FS_NOEXCEPT;
/* case_id may be NULL (a report about no case yet). Returns the report's id. */
char* fs_file_urgent_report(fs_client* c, const char* case_id, const char* json_fields,
                            fs_error* out_error) FS_NOEXCEPT;
/* Back to in_progress, with a reason. */
bool fs_reopen_case(fs_client* c, const char* case_id, const char* reason,
                    fs_error* out_error) FS_NOEXCEPT;
/* The petition rules: a case update (fs_update_case) carries handling_path, abnormal_reason /
 * long_standing_reason (null clears), five_packages, ack_leader_at / ack_unit_at /
 * ack_writer_at, a follow-up ({"petitioner_satisfied": true|false, "follow_up_contacts": 1})
 * and status resolved / closed, refused with FS_ERROR_VALIDATION "handling_path_required",
 * "not_satisfied" or "computed_field" (kind_flags are computed). The two writes of two rows: */
/* leader_id takes charge of the case (history row + responsible leader). note may be NULL.
 * Returns the leader_assignment id. */
char* fs_assign_leader(fs_client* c, const char* case_id, const char* leader_id, const char* note,
                       fs_error* out_error) FS_NOEXCEPT;
/* Hands the case to another unit with a reason (transfer row + owner unit); a field leader
 * gets FS_ERROR_SCOPE "forbidden". Returns the case_transfer id. */
char* fs_transfer_case(fs_client* c, const char* case_id, const char* to_unit_id,
                       const char* reason, fs_error* out_error) FS_NOEXCEPT;
/* Decides an open conflict: json_value (any JSON value, e.g. "\"<user id>\"") becomes the
 * field's value. note may be NULL. */
bool fs_resolve_conflict(fs_client* c, const char* conflict_id, const char* json_value,
                         const char* note, fs_error* out_error) FS_NOEXCEPT;

/* --- reads: JSON text (shapes above) ------------------------------------------------------ */

/* json_query may be NULL (every case on the device) or an object of filters, all combined:
 *   "mine": true         cases whose responsible leader is the signed-in user, or they created
 *   "status": "..."      cases in that status
 *   "overdue": true      cases with an open commitment due before today (device clock), or
 *                        a feedback date before today while not resolved or closed
 *   "overdue_on": "YYYY-MM-DD"   as "overdue", judged on that date instead
 *   "collective", "repeat", "skip_level": true   cases with that kind flag
 *   "late_report": true  a linked urgent report is late; "missing_report": true  collective or
 *                        skip-level with no report in time (device clock, 120-minute threshold
 *                        unless the server stamped the report); "conflicts_open": true  an open
 *                        conflict on the case or its rows; "leader": "<user id>"  responsible
 * Any other member or type gives FS_ERROR_CLIENT "invalid_query". Returns a case list. */
char* fs_list_cases(fs_client* c, const char* json_query, fs_error* out_error) FS_NOEXCEPT;
/* Returns the case detail; FS_ERROR_CLIENT "unknown_row" when the device has no such case. */
char* fs_get_case(fs_client* c, const char* case_id, fs_error* out_error) FS_NOEXCEPT;
/* Returns every open conflict on the device: [Record]. */
char* fs_open_conflicts(fs_client* c, fs_error* out_error) FS_NOEXCEPT;

/* --- sync and status ---------------------------------------------------------------------- */

/* Pushes the outbox, then pulls (a snapshot first on a new device). progress and ctx may be
 * NULL. Returns the sync report; on failure (no network, token refused) nothing done so far
 * is lost and the next fs_sync() resumes. */
char* fs_sync(fs_client* c, fs_progress_fn progress, void* ctx, fs_error* out_error) FS_NOEXCEPT;
/* Asks a running fs_sync() on this handle to stop at the next batch or page (or, mid
 * transfer, with FS_ERROR_TRANSPORT "cancelled"). The one function that may be called from
 * another thread, or from the progress callback; a no-op when no sync runs. */
void fs_cancel_sync(fs_client* c) FS_NOEXCEPT;
/* Returns the status. */
char* fs_status(fs_client* c, fs_error* out_error) FS_NOEXCEPT;
/* Removes a rejected op (see status "rejected") for good. FS_ERROR_CLIENT "unknown_op" when
 * there is no rejected op with that id. */
bool fs_discard_rejected(fs_client* c, const char* op_id, fs_error* out_error) FS_NOEXCEPT;
/* Sends the held ops (see status "held") again from the next sync on. Returns how many there
 * were, or -1 on error. */
long long fs_retry_failed(fs_client* c, fs_error* out_error) FS_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* FIELDSYNC_FIELDSYNC_H */
