#include "fieldsync/server/sync_service.h"

#include <algorithm>
#include <ctime>
#include <set>

#include <spdlog/spdlog.h>

#include "fieldsync/core/error.h"
#include "fieldsync/core/op_codec.h"
#include "fieldsync/server/scope_gate.h"
#include "office_flags.h"
#include "retry_later.h"
#include "urgent_report_stamps.h"

namespace fieldsync::server {
namespace {

[[noreturn]] void bad_request(const std::string& message) {
  throw Error(ErrorDomain::protocol, "bad_request", message);
}

Json units_json(const Access& caller) {
  Json units = Json::array();
  for (const auto& u : caller.units) units.push_back(u);
  return units;
}

struct Change {
  std::int64_t version;
  std::string entity;
  std::string id;
  bool drop;
};

// A rejected answer for an op that could not even be decoded.
Json undecodable(const Json& doc, const Error& e) {
  sqlite::OpResult r;
  r.status = sqlite::OpStatus::rejected;
  if (doc.is_object() && doc.contains("op_id") && doc["op_id"].is_string())
    r.op_id = doc["op_id"].get<std::string>();
  r.problems = e.problems();
  if (r.problems.empty()) r.problems.push_back({"", e.code(), e.message()});
  return to_json(r);
}

// Whether a failure while applying ops fails the whole request (see retry_later.h).
bool transient_storage_failure(const std::exception& e) {
  const auto* error = dynamic_cast<const Error*>(&e);
  return error != nullptr && detail::retry_later(*error);
}

sqlite::OpResult failed(const Op& op, std::string code, std::string message) {
  sqlite::OpResult r;
  r.op_id = op.op_id;
  r.status = sqlite::OpStatus::failed;
  r.problems.push_back({"", std::move(code), std::move(message)});
  return r;
}

// Whether `op` writes one of `rows` or names one in a field (a visit of a failed case).
bool depends_on(const Op& op, const std::set<std::string>& rows) {
  if (rows.count(op.id)) return true;
  for (const auto& [name, value] : op.fields.items()) {
    if (value.is_string() && rows.count(value.get<std::string>())) return true;
    if (value.is_array())
      for (const Json& item : value)
        if (item.is_string() && rows.count(item.get<std::string>())) return true;
  }
  return false;
}

}  // namespace

std::string format_timestamp(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(unix_ms % 1000));
  return out;
}

SyncService::SyncService(sqlite::Database& db, const Model& model, WallClock& wall,
                         std::int64_t max_future_ms)
    : db_(db),
      model_(model),
      wall_(wall),
      clock_(wall, max_future_ms),
      applier_(db, model, &clock_) {}

OpCounts SyncService::op_counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

Json SyncService::push(const Access& caller, const Json& body) {
  if (!body.is_object()) bad_request("the push body must be a JSON object");
  for (const auto& [key, value] : body.items())
    if (key != "cursor" && key != "ops") bad_request("unknown member \"" + key + "\"");
  std::int64_t cursor = 0;
  if (body.contains("cursor")) {
    if (!body["cursor"].is_number_integer() || body["cursor"].get<std::int64_t>() < 0)
      bad_request("cursor must be a non-negative integer");
    cursor = body["cursor"].get<std::int64_t>();
  }
  if (!body.contains("ops") || !body["ops"].is_array()) bad_request("ops must be an array");
  const Json& docs = body["ops"];
  if (docs.size() > kMaxBatchOps)
    throw Error(ErrorDomain::protocol, "batch_too_large",
                "a push may carry at most " + std::to_string(kMaxBatchOps) + " ops; send " +
                    std::to_string(docs.size()) + " in several batches");

  std::vector<Json> answers(docs.size());
  std::vector<Op> ops;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    try {
      ops.push_back(decode_op(docs[i]));
      positions.push_back(i);
    } catch (const Error& e) {
      answers[i] = undecodable(docs[i], e);
    }
  }

  std::unique_lock lock(mutex_);
  const std::string now = format_timestamp(wall_.now_ms());
  sqlite::Statement& pulled =
      db_.prepare_cached("SELECT cursor FROM device_cursors WHERE device_id = ?1");
  pulled.bind(1, caller.device_id);
  if (pulled.step()) cursor = std::max(cursor, pulled.column_int64(0));
  pulled.reset();
  sqlite::RowStore& rows = applier_.rows();
  ScopeGate gate(caller, model_, db_, rows, cursor);
  std::vector<sqlite::OpResult> results = apply_isolating(caller, ops, gate, now);
  counts_.rejected += docs.size() - results.size();  // undecodable
  for (const sqlite::OpResult& r : results) {
    if (r.status == sqlite::OpStatus::accepted) ++counts_.accepted;
    if (r.status == sqlite::OpStatus::duplicate) ++counts_.duplicate;
    if (r.status == sqlite::OpStatus::conflict) ++counts_.conflict;
    if (r.status == sqlite::OpStatus::rejected) ++counts_.rejected;
    if (r.status == sqlite::OpStatus::failed) ++counts_.failed;
  }
  lock.unlock();  // the answers are made outside: the store has one writer, the server more cores
  for (std::size_t k = 0; k < results.size(); ++k) answers[positions[k]] = to_json(results[k]);
  return {{"results", answers}, {"server_time", now}};
}

std::vector<sqlite::OpResult> SyncService::apply(const std::vector<Op>& ops, ScopeGate& gate,
                                                 const std::string& now) {
  const std::int64_t now_ms = wall_.now_ms();
  return applier_.apply_batch(
      ops, &gate, now, Author::device, [&](const std::vector<Op>& done, const auto& outcomes) {
        if (op_fault_)
          for (const Op& op : done) op_fault_(op);
        detail::refresh_office_flags(db_, model_, applier_, done, outcomes, now_ms);
        detail::stamp_urgent_reports(db_, model_, applier_, done, outcomes, now_ms,
                                     report_threshold_ms_);
      });
}

std::vector<sqlite::OpResult> SyncService::apply_isolating(const Access& caller,
                                                           const std::vector<Op>& ops,
                                                           ScopeGate& gate,
                                                           const std::string& now) {
  try {
    return apply(ops, gate, now);
  } catch (const std::exception& e) {
    if (transient_storage_failure(e)) throw;
    if (ops.size() > 1)
      spdlog::warn("push from device {}: a batch of {} ops failed ({}); applying them one by one",
                   caller.device_id, ops.size(), e.what());
  }
  std::vector<sqlite::OpResult> results;
  results.reserve(ops.size());
  std::set<std::string> failed_rows;  // a later op on one of them would be refused for nothing
  std::string failed_op;
  for (const Op& op : ops) {
    if (depends_on(op, failed_rows)) {
      failed_rows.insert(op.id);
      results.push_back(failed(op, "waits_for_failed_op",
                               "waits for op " + failed_op + " of this batch, which failed"));
      continue;
    }
    try {
      results.push_back(apply({op}, gate, now).front());
    } catch (const std::exception& e) {
      if (transient_storage_failure(e)) throw;  // those before it are kept; a resend is safe
      spdlog::error("push from device {}: op {} ({} {}) failed, answered failed: {}",
                    caller.device_id, op.op_id, to_string(op.kind), op.entity, e.what());
      failed_rows.insert(op.id);
      if (failed_op.empty()) failed_op = op.op_id;
      results.push_back(failed(op, "internal_error",
                               "the server could not apply this op because of a fault of its own "
                               "(logged there under this op_id); nothing of it was stored; send "
                               "it again later"));
    }
  }
  return results;
}

Json SyncService::pull(const Access& caller, std::int64_t cursor, std::size_t limit) {
  if (cursor < 0) bad_request("cursor must be a non-negative integer");
  limit = std::clamp<std::size_t>(limit == 0 ? kDefaultPageRows : limit, 1, kMaxPageRows);
  std::lock_guard lock(mutex_);
  const Json units = units_json(caller);
  // Asking from `cursor` says the device has applied every change up to it.
  sqlite::Statement& seen = db_.prepare_cached(
      "INSERT INTO device_cursors (device_id, cursor) VALUES (?1, ?2) ON CONFLICT (device_id)"
      " DO UPDATE SET cursor = MAX(cursor, excluded.cursor)");
  seen.bind(1, caller.device_id);
  seen.bind(2, cursor);
  seen.run();

  std::vector<Change> changes;
  sqlite::Statement& upserts = db_.prepare_cached(
      "SELECT version, entity, row_id FROM change_index WHERE version > ?1"
      " AND unit_id IN (SELECT value FROM json_each(?2)) ORDER BY version LIMIT ?3");
  upserts.bind(1, cursor);
  upserts.bind(2, units);
  upserts.bind(3, static_cast<std::int64_t>(limit + 1));
  while (upserts.step())
    changes.push_back(
        {upserts.column_int64(0), upserts.column_text(1), upserts.column_text(2), false});
  upserts.reset();
  sqlite::Statement& drops = db_.prepare_cached(
      "SELECT version, entity, row_id FROM scope_exits WHERE version > ?1"
      " AND old_unit_id IN (SELECT value FROM json_each(?2))"
      " AND new_unit_id NOT IN (SELECT value FROM json_each(?2)) ORDER BY version LIMIT ?3");
  drops.bind(1, cursor);
  drops.bind(2, units);
  drops.bind(3, static_cast<std::int64_t>(limit + 1));
  while (drops.step())
    changes.push_back({drops.column_int64(0), drops.column_text(1), drops.column_text(2), true});
  drops.reset();
  // Drops first within a version: a row that left and came back ends up present.
  std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    return a.version != b.version ? a.version < b.version : a.drop > b.drop;
  });

  bool more = false;
  if (changes.size() > limit) {
    more = true;
    // End the page on a version boundary; a single version larger than a page goes whole.
    const std::int64_t cut = changes[limit].version;
    auto end = std::find_if(changes.begin(), changes.end(),
                            [&](const Change& c) { return c.version == cut; });
    if (end == changes.begin()) {
      // Everything of this version: the page may exceed `limit`.
      sqlite::Statement all = db_.prepare(
          "SELECT version, entity, row_id, 0 FROM change_index WHERE version = ?1"
          " AND unit_id IN (SELECT value FROM json_each(?2))"
          " UNION ALL SELECT version, entity, row_id, 1 FROM scope_exits WHERE version = ?1"
          " AND old_unit_id IN (SELECT value FROM json_each(?2))"
          " AND new_unit_id NOT IN (SELECT value FROM json_each(?2)) ORDER BY 4 DESC");
      all.bind(1, cut);
      all.bind(2, units);
      changes.clear();
      while (all.step())
        changes.push_back({all.column_int64(0), all.column_text(1), all.column_text(2),
                           all.column_int64(3) == 1});
    } else {
      changes.erase(end, changes.end());
    }
  }

  Json out = Json::array();
  std::int64_t next = cursor;
  sqlite::RowStore& rows = applier_.rows();
  for (const Change& c : changes) {
    next = std::max(next, c.version);
    if (c.drop) {
      out.push_back({{"drop", {{"entity", c.entity}, {"id", c.id}}}});
    } else if (auto row = rows.find(c.entity, c.id)) {
      out.push_back({{"upsert", row_to_json(*row)}});
    }
  }
  return {{"changes", out}, {"next_cursor", next}, {"more", more}};
}

Json SyncService::snapshot(const Access& caller, const std::string& after,
                           std::optional<std::int64_t> cursor, std::size_t limit) {
  limit = std::clamp<std::size_t>(limit == 0 ? kDefaultPageRows : limit, 1, kMaxPageRows);
  // The token is "<unit>|<entity>|<id>" of the last row sent.
  std::string after_unit, after_entity, after_id;
  if (!after.empty()) {
    const auto a = after.find('|');
    const auto b = a == std::string::npos ? a : after.find('|', a + 1);
    if (b == std::string::npos) bad_request("after is not a token from an earlier snapshot page");
    after_unit = after.substr(0, a);
    after_entity = after.substr(a + 1, b - a - 1);
    after_id = after.substr(b + 1);
    if (!caller.covers(after_unit))
      bad_request("after is not a token from an earlier snapshot page");
    if (!cursor) bad_request("a later snapshot page needs the cursor of the first page");
  }
  std::lock_guard lock(mutex_);
  if (!cursor) {
    sqlite::Statement& top =
        db_.prepare_cached("SELECT COALESCE(MAX(version), 0) FROM change_index");
    top.step();
    cursor = top.column_int64(0);
    top.reset();
  }

  Json rows_out = Json::array();
  std::string last;
  sqlite::RowStore& rows = applier_.rows();
  sqlite::Statement& page = db_.prepare_cached(
      "SELECT entity, row_id FROM change_index WHERE unit_id = ?1 AND (entity, row_id) > (?2, ?3)"
      " ORDER BY entity, row_id LIMIT ?4");
  auto unit = after.empty() ? caller.units.begin() : caller.units.find(after_unit);
  for (; unit != caller.units.end() && rows_out.size() < limit; ++unit) {
    const bool resume = !after.empty() && *unit == after_unit;
    std::string entity = resume ? after_entity : std::string();
    std::string id = resume ? after_id : std::string();
    for (;;) {  // tombstones are skipped, so a unit may take several reads
      const std::size_t wanted = limit - rows_out.size();
      page.bind(1, *unit);
      page.bind(2, entity);
      page.bind(3, id);
      page.bind(4, static_cast<std::int64_t>(wanted));
      std::vector<std::pair<std::string, std::string>> keys;
      while (page.step()) keys.emplace_back(page.column_text(0), page.column_text(1));
      page.reset();
      for (const auto& key : keys) {
        std::tie(entity, id) = key;
        last = *unit + "|" + entity + "|" + id;
        auto row = rows.find(entity, id);
        if (row && !row->deleted) rows_out.push_back(row_to_json(*row));
      }
      if (keys.size() < wanted || rows_out.size() == limit) break;
    }
  }
  // A full page may be followed by more; the next page (possibly empty) says for sure.
  const bool more = rows_out.size() == limit;
  return {{"rows", rows_out},
          {"cursor", *cursor},
          {"after", more ? Json(last) : Json(nullptr)},
          {"more", more}};
}

}  // namespace fieldsync::server
