#include "fieldsync/sqlite/op_applier.h"

#include "fieldsync/core/merge.h"
#include "fieldsync/core/op_codec.h"
#include "fieldsync/core/validation.h"
#include "fieldsync/sqlite/embedded_schema.h"
#include "fieldsync/sqlite/entity_tables.h"
#include "fieldsync/sqlite/transaction.h"

namespace fieldsync::sqlite {
namespace {

std::optional<OpStatus> status_from_string(std::string_view text) {
  for (OpStatus s : {OpStatus::accepted, OpStatus::duplicate, OpStatus::conflict,
                     OpStatus::rejected, OpStatus::failed})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(OpStatus status) {
  switch (status) {
    case OpStatus::accepted: return "accepted";
    case OpStatus::duplicate: return "duplicate";
    case OpStatus::conflict: return "conflict";
    case OpStatus::rejected: return "rejected";
    case OpStatus::failed: return "failed";
  }
  return "rejected";
}

Json to_json(const OpResult& r) {
  Json out = {{"op_id", r.op_id}, {"status", to_string(r.status)}};
  if (r.seq) out["seq"] = r.seq;
  if (!r.conflict_ids.empty()) out["conflict_ids"] = r.conflict_ids;
  if (!r.problems.empty()) {
    out["problems"] = Json::array();
    for (const auto& p : r.problems)
      out["problems"].push_back({{"field", p.field}, {"code", p.code}, {"message", p.message}});
  }
  if (r.hlc_clamped) out["hlc_clamped"] = true;
  if (r.first_status) out["first_status"] = to_string(*r.first_status);
  return out;
}

OpResult op_result_from_json(const Json& doc) {
  OpResult r;
  r.op_id = doc.at("op_id").get<std::string>();
  auto status = status_from_string(doc.at("status").get<std::string>());
  if (!status) throw Error(ErrorDomain::codec, "bad_result", "unknown op status " + doc.dump());
  r.status = *status;
  r.seq = doc.value("seq", std::int64_t{0});
  if (doc.contains("conflict_ids"))
    r.conflict_ids = doc["conflict_ids"].get<std::vector<std::string>>();
  if (doc.contains("problems"))
    for (const auto& p : doc["problems"])
      r.problems.push_back({p.at("field").get<std::string>(), p.at("code").get<std::string>(),
                            p.at("message").get<std::string>()});
  r.hlc_clamped = doc.value("hlc_clamped", false);
  if (doc.contains("first_status"))
    r.first_status = status_from_string(doc["first_status"].get<std::string>());
  return r;
}

OpApplier::OpApplier(Database& db, const Model& model, HlcClock* clock)
    : db_(db), model_(model), clock_(clock), rows_(db, model) {}

std::vector<OpResult> OpApplier::apply_batch(const std::vector<Op>& ops, OpGate* gate,
                                             const std::string& received_at, Author author,
                                             const BatchFollowUp& follow_up) {
  Transaction tx(db_);
  // Until the batch commits or fails, its rows stay in memory (see RowStore) and sequence
  // numbers are counted here: the transaction keeps every other writer out.
  struct BatchScope {
    OpApplier& applier;
    explicit BatchScope(OpApplier& a) : applier(a) { applier.rows_.keep_batch_rows(true); }
    ~BatchScope() {
      applier.rows_.keep_batch_rows(false);
      applier.next_seq_.reset();
    }
  } scope(*this);
  std::vector<OpResult> results;
  results.reserve(ops.size());
  for (const Op& op : ops) results.push_back(apply_one(op, gate, received_at, author));
  if (follow_up) follow_up(ops, results);
  tx.commit();
  return results;
}

OpResult OpApplier::apply_within(const Op& op, const std::string& received_at, Author author) {
  if (db_.autocommit())
    throw Error(ErrorDomain::internal, "no_transaction",
                "apply_within needs the caller's transaction (use it in a batch follow-up)");
  return apply_one(op, nullptr, received_at, author);
}

std::optional<OpResult> OpApplier::remembered(const Op& op, const std::string& op_json) {
  Statement& st = db_.prepare_cached("SELECT op_json, outcome_json FROM op_log WHERE op_id = ?1");
  st.bind(1, op.op_id);
  if (!st.step()) return std::nullopt;
  const std::string first_json = st.column_text(0);
  OpResult first = op_result_from_json(st.column_json(1));
  st.reset();
  if (first_json != op_json) {
    OpResult reused;
    reused.op_id = op.op_id;
    reused.status = OpStatus::rejected;
    reused.problems.push_back(
        {"op_id", "op_id_reused", "this op_id was already used for a different op; make a new op"});
    return reused;
  }
  OpResult again = first;
  again.first_status = first.status;
  again.status = OpStatus::duplicate;
  return again;
}

std::int64_t OpApplier::next_seq() {
  if (!next_seq_) {
    // AUTOINCREMENT keeps the largest seq ever used in sqlite_sequence.
    Statement& st = db_.prepare_cached(
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'op_log'), 0)");
    st.step();
    next_seq_ = st.column_int64(0) + 1;
    st.reset();
  }
  return (*next_seq_)++;
}

void OpApplier::log(const Op& op, const std::string& op_json, const OpResult& result,
                    const std::string& received_at, std::int64_t seq) {
  Statement& st = db_.prepare_cached(
      "INSERT INTO op_log (op_id, device_id, user_id, entity, row_id, kind, hlc, base_version,"
      " schema_version, op_json, outcome, outcome_json, received_at, seq)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
  st.bind(1, op.op_id);
  st.bind(2, op.device_id);
  st.bind(3, op.user_id);
  st.bind(4, op.entity);
  st.bind(5, op.id);
  st.bind(6, to_string(op.kind));
  st.bind(7, op.hlc.to_string());
  st.bind(8, op.base_version);
  st.bind(9, op.schema_version);
  st.bind(10, op_json);
  st.bind(11, to_string(result.status));
  st.bind(12, to_json(result));
  st.bind(13, received_at);
  st.bind(14, seq);
  st.run();
}

OpResult OpApplier::apply_one(const Op& incoming, OpGate* gate, const std::string& received_at,
                              Author author) {
  const std::string op_json = encode_op(incoming).dump();
  if (auto answer = remembered(incoming, op_json)) return *answer;

  Op op = incoming;
  OpResult result;
  result.op_id = op.op_id;
  if (clock_) {
    ReceiveResult r = clock_->receive(op.hlc);
    if (r.verdict != RemoteStampVerdict::accepted) {
      op.hlc = r.stamp;
      result.hlc_clamped = true;
    }
  }
  std::optional<Row> current;
  if (model_.entity(op.entity)) current = rows_.find(op.entity, op.id);
  if (gate) result.problems = gate->admit(op, current);
  if (result.problems.empty())
    result.problems = validate_op(model_, op, current ? &*current : nullptr, author);
  if (!result.problems.empty()) {
    result.status = OpStatus::rejected;
    log(incoming, op_json, result, received_at, next_seq());
    return result;
  }

  // The op's sequence number is its op_log row. The merge is computed before anything is
  // written, so an op it refuses leaves nothing to undo.
  const std::int64_t seq = next_seq();
  MergeResult merged;
  try {
    merged = merge_op(model_, op, current, seq, rows_);
  } catch (const Error& e) {
    if (e.domain() != ErrorDomain::merge) throw;
    result.status = OpStatus::rejected;
    result.problems.push_back({"id", e.code(), e.message()});
    log(incoming, op_json, result, received_at, seq);
    return result;
  }
  result.seq = seq;
  result.conflict_ids = merged.conflict_ids;
  result.status =
      merged.outcome == MergeOutcome::conflict ? OpStatus::conflict : OpStatus::accepted;
  log(incoming, op_json, result, received_at, seq);
  for (const Row& row : merged.writes) rows_.put(row);
  if (merged.moved_from_unit) rows_.move_dependents(merged.writes.front(), seq);
  return result;
}

Database open_store(const std::filesystem::path& path, const Model& model,
                    const OpenOptions& options) {
  Database db = Database::open(path, options);
  run_migrations(db, embedded_migrations());
  ensure_entity_tables(db, model);
  return db;
}

}  // namespace fieldsync::sqlite
