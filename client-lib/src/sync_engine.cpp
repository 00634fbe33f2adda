#include "sync_engine.h"

#include <algorithm>

#include "fieldsync/core/error.h"
#include "fieldsync/core/op_codec.h"
#include "fieldsync/sqlite/transaction.h"
#include "rebase.h"
#include "time_text.h"

namespace fieldsync::client {
namespace {

[[noreturn]] void bad_page(const std::string& what, const std::string& why) {
  throw Error(ErrorDomain::protocol, "bad_response",
              "the server's " + what + " page is not what the protocol says: " + why);
}

Row parse_row(const Json& doc, const char* what) {
  try {
    return row_from_json(doc);
  } catch (const Error& e) {
    bad_page(what, e.message());
  }
}

// A 500 to a whole push: a fault of the server's own, not the network's or the disk's.
bool server_fault(const Error& e) {
  return e.domain() == ErrorDomain::transport &&
         (e.code() == "internal_error" || e.code() == "http_500");
}

struct Drop {
  std::string entity;
  std::string id;
};

}  // namespace

std::string_view to_string(SyncPhase phase) {
  switch (phase) {
    case SyncPhase::push: return "push";
    case SyncPhase::snapshot: return "snapshot";
    case SyncPhase::pull: return "pull";
  }
  return "push";
}

std::string SyncEngine::now() const {
  return format_time(wall_.now_ms());
}

bool SyncEngine::cancelled(const SyncOptions& options, SyncReport& report) const {
  if (options.cancel && options.cancel->load()) report.cancelled = true;
  return report.cancelled;
}

void SyncEngine::report(const SyncOptions& options, const SyncProgress& progress) const {
  if (options.progress) options.progress(progress);
}

SyncReport SyncEngine::run(const SyncOptions& options, const std::string& token) {
  SyncReport result;
  if (options.push && !push(options, token, result)) return result;
  if (options.pull) {
    if (store_.state.get_int(state_key::snapshot_done) == 0 && !snapshot(options, token, result))
      return result;
    if (!pull(options, token, result)) return result;
  }
  result.cursor = store_.state.get_int(state_key::cursor);
  result.held = static_cast<std::int64_t>(store_.outbox.held().size());
  if (!options.pull) {  // else the last pulled page recorded it, in the same commit
    sqlite::Transaction tx(store_.db);
    record_success();
    tx.commit();
  }
  return result;
}

void SyncEngine::record_success() {
  store_.state.set(state_key::last_sync_at, now());
  store_.state.erase(state_key::last_error);
}

bool SyncEngine::push(const SyncOptions& options, const std::string& token, SyncReport& result) {
  SyncProgress progress;
  progress.phase = SyncPhase::push;
  progress.ops_total = store_.outbox.awaiting_count();
  progress.cursor = store_.state.get_int(state_key::cursor);
  // After a 500 to a whole batch, ops go one at a time, so the one the server fails on is found
  // and counted, and the others go through.
  std::size_t batch_ops = tuning_.push_batch_ops;
  std::int64_t sent_up_to = 0;  // local_seq: each op goes at most once per sync
  for (;;) {
    if (cancelled(options, result)) return false;
    const std::vector<OutboxEntry> batch = store_.outbox.next_batch(batch_ops, sent_up_to);
    if (batch.empty()) return true;
    {
      sqlite::Transaction tx(store_.db);
      store_.outbox.mark_sent(batch, now());
      tx.commit();
    }
    Json ops = Json::array();
    for (const OutboxEntry& e : batch) ops.push_back(encode_op(e.op));
    const std::int64_t cursor = store_.state.get_int(state_key::cursor);
    Json body;
    try {
      body = api_.push(token, cursor, ops);
    } catch (const Error& e) {
      if (!server_fault(e)) throw;
      if (batch.size() > 1) {
        batch_ops = 1;
        continue;
      }
      // The server fails on this op alone: count it, and go on to the pull (the next sync sends
      // it again, until it is held aside).
      sqlite::Transaction tx(store_.db);
      const Json answer = {
          {"op_id", batch[0].op.op_id},
          {"status", "failed"},
          {"problems", {{{"field", ""}, {"code", e.code()}, {"message", e.message()}}}}};
      store_.outbox.record_server_failure(batch[0].op.op_id, answer, now());
      tx.commit();
      ++result.failed;
      return true;
    }

    sent_up_to = batch.back().local_seq;
    sqlite::Transaction tx(store_.db);
    bool any_rejected = false;
    const std::string at = now();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const Json& answer = body["results"][i];
      const OutboxState state = store_.outbox.record_answer(batch[i].op.op_id, answer, at);
      const std::string status = answer.value("status", "");
      if (status == "duplicate") ++result.duplicates;
      if (status == "failed") ++result.failed;
      if (state == OutboxState::accepted) ++result.accepted;
      if (state == OutboxState::conflict) ++result.conflicts;
      if (state == OutboxState::rejected) {
        ++result.rejected;
        any_rejected = true;
      }
    }
    if (any_rejected) rebase(store_.replica, model_, store_.outbox, cursor);
    tx.commit();
    progress.ops_sent += static_cast<std::int64_t>(batch.size());
    report(options, progress);
  }
}

// The device's clock moves past every stamp the server sends, with no bound: the server
// already clamped each stamp it stored to its own clock (docs/protocol.md, Limits), while this
// device's wall clock may be days behind. Clamping them here again would stamp the device's
// next edits below writes it has seen, and they would silently lose to them. The row's
// updated_at is not enough: a field can carry a newer stamp than the row's last op.
void SyncEngine::store_server_row(const Row& row) {
  auto adopt = [&](const std::string& text) {
    if (auto stamp = Hlc::parse(text)) hlc_.restore(*stamp);
  };
  adopt(row.updated_at);
  for (const auto& [field, meta] : row.stamps.items())
    if (meta.is_object() && meta.contains("hlc") && meta["hlc"].is_string())
      adopt(meta["hlc"].get<std::string>());
  store_.replica.put_server_row(row);
}

bool SyncEngine::snapshot(const SyncOptions& options, const std::string& token,
                          SyncReport& result) {
  SyncProgress progress;
  progress.phase = SyncPhase::snapshot;
  for (;;) {
    if (cancelled(options, result)) return false;
    const std::optional<std::string> after = store_.state.get(state_key::snapshot_after);
    std::optional<std::int64_t> fixed;
    if (after) fixed = store_.state.get_int(state_key::snapshot_cursor);
    Json page;
    try {
      page = api_.snapshot(token, after, fixed, tuning_.page_rows);
    } catch (const Error& e) {
      if (!after || e.domain() != ErrorDomain::protocol || e.code() != "bad_request") throw;
      restart_snapshot(*fixed);
      continue;
    }
    std::vector<Row> rows;
    for (const Json& doc : page["rows"]) rows.push_back(parse_row(doc, "snapshot"));
    const std::int64_t page_cursor = page["cursor"].get<std::int64_t>();
    const bool more = page["more"].get<bool>();

    sqlite::Transaction tx(store_.db);
    // Until the last page, answered ops are shown unless their row came back with them.
    const std::int64_t cursor =
        more ? store_.state.get_int(state_key::cursor)
             : std::min(page_cursor, store_.state.get_int(state_key::snapshot_floor, page_cursor));
    rebase(store_.replica, model_, store_.outbox, cursor, [&] {
      for (const Row& row : rows) store_server_row(row);
    });
    if (more) {
      store_.state.set(state_key::snapshot_after, page["after"].get<std::string>());
      store_.state.set_int(state_key::snapshot_cursor, page_cursor);
    } else {
      store_.state.set_int(state_key::cursor, cursor);
      store_.state.set_int(state_key::snapshot_done, 1);
      store_.state.erase(state_key::snapshot_after);
      store_.state.erase(state_key::snapshot_cursor);
      store_.state.erase(state_key::snapshot_floor);
    }
    store_.state.set(state_key::hlc, hlc_.last().to_string());
    tx.commit();

    result.snapshot = true;
    result.rows_received += static_cast<std::int64_t>(rows.size());
    progress.rows_received += static_cast<std::int64_t>(rows.size());
    progress.cursor = cursor;
    report(options, progress);
    if (!more) return true;
  }
}

void SyncEngine::restart_snapshot(std::int64_t fixed_cursor) {
  sqlite::Transaction tx(store_.db);
  const std::int64_t floor = store_.state.get_int(state_key::snapshot_floor, fixed_cursor);
  store_.state.set_int(state_key::snapshot_floor, std::min(floor, fixed_cursor));
  store_.state.erase(state_key::snapshot_after);
  store_.state.erase(state_key::snapshot_cursor);
  tx.commit();
}

bool SyncEngine::pull(const SyncOptions& options, const std::string& token, SyncReport& result) {
  SyncProgress progress;
  progress.phase = SyncPhase::pull;
  for (;;) {
    if (cancelled(options, result)) return false;
    const std::int64_t cursor = store_.state.get_int(state_key::cursor);
    const Json page = api_.pull(token, cursor, tuning_.page_rows);
    std::vector<Row> upserts;
    std::vector<Drop> drops;
    std::vector<bool> is_drop;
    for (const Json& change : page["changes"]) {
      if (change.is_object() && change.contains("upsert")) {
        upserts.push_back(parse_row(change["upsert"], "pull"));
        is_drop.push_back(false);
      } else if (change.is_object() && change.contains("drop") && change["drop"].is_object() &&
                 change["drop"].value("entity", Json()).is_string() &&
                 change["drop"].value("id", Json()).is_string()) {
        drops.push_back({change["drop"]["entity"], change["drop"]["id"]});
        is_drop.push_back(true);
      } else {
        bad_page("pull", "a change is neither an upsert nor a drop");
      }
    }
    const std::int64_t next = page["next_cursor"].get<std::int64_t>();
    const bool more = page["more"].get<bool>();
    if (more && next == cursor) bad_page("pull", "more pages but the cursor did not move");

    sqlite::Transaction tx(store_.db);
    rebase(store_.replica, model_, store_.outbox, next, [&] {
      std::size_t u = 0, d = 0;  // in page order: a drop then an upsert leaves the row present
      for (bool drop : is_drop) {
        if (drop) {
          store_.replica.drop_server_row(drops[d].entity, drops[d].id);
          ++d;
        } else {
          store_server_row(upserts[u++]);
        }
      }
    });
    store_.state.set_int(state_key::cursor, next);
    store_.state.set(state_key::hlc, hlc_.last().to_string());
    // The sync is done with the last page: one commit (one fsync) instead of two.
    if (!more) record_success();
    tx.commit();

    const auto applied = static_cast<std::int64_t>(is_drop.size());
    result.rows_received += applied;
    progress.rows_received += applied;
    progress.cursor = next;
    report(options, progress);
    if (!more) return true;
  }
}

}  // namespace fieldsync::client
