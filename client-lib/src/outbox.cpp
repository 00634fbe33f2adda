#include "outbox.h"

#include <set>

#include "fieldsync/core/error.h"
#include "fieldsync/core/op_codec.h"

namespace fieldsync::client {
namespace {

constexpr std::string_view kColumns =
    "SELECT local_seq, op_json, state, seq, result_json, created_at, updated_at, server_failures"
    " FROM outbox ";

std::optional<OutboxState> state_from(std::string_view text) {
  for (OutboxState s : {OutboxState::pending, OutboxState::sent, OutboxState::accepted,
                        OutboxState::conflict, OutboxState::rejected})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

OutboxEntry read_entry(const sqlite::Statement& st) {
  OutboxEntry e;
  e.local_seq = st.column_int64(0);
  e.op = decode_op_text(st.column_text(1));
  e.state = state_from(st.column_text(2)).value_or(OutboxState::pending);
  e.seq = st.column_optional_int64(3).value_or(0);
  e.answer = st.column_json(4);
  e.created_at = st.column_text(5);
  e.updated_at = st.column_text(6);
  e.server_failures = static_cast<int>(st.column_int64(7));
  return e;
}

[[noreturn]] void bad_answer(const std::string& op_id, const std::string& why) {
  throw Error(ErrorDomain::protocol, "bad_response",
              "the server's answer to op " + op_id + " is not one the protocol allows: " + why);
}

}  // namespace

std::string_view to_string(OutboxState state) {
  switch (state) {
    case OutboxState::pending: return "pending";
    case OutboxState::sent: return "sent";
    case OutboxState::accepted: return "accepted";
    case OutboxState::conflict: return "conflict";
    case OutboxState::rejected: return "rejected";
  }
  return "pending";
}

std::vector<Problem> OutboxEntry::problems() const {
  if (!answer.is_object() || !answer.contains("problems")) return {};
  try {
    return sqlite::op_result_from_json(answer).problems;
  } catch (const std::exception&) {
    return {};
  }
}

void Outbox::append(const Op& op, const std::string& now) {
  sqlite::Statement& st = db_.prepare_cached(
      "INSERT INTO outbox (op_id, op_json, state, created_at, updated_at, entity, row_id)"
      " VALUES (?1, ?2, 'pending', ?3, ?3, ?4, ?5)");
  st.bind(1, op.op_id);
  st.bind(2, encode_op(op).dump());
  st.bind(3, now);
  st.bind(4, op.entity);
  st.bind(5, op.id);
  st.run();
}

std::vector<OutboxEntry> Outbox::select(std::string_view where_sql,
                                        const std::vector<std::int64_t>& ints) const {
  sqlite::Statement st = db_.prepare(std::string(kColumns) + std::string(where_sql));
  for (std::size_t i = 0; i < ints.size(); ++i) st.bind(static_cast<int>(i + 1), ints[i]);
  std::vector<OutboxEntry> out;
  while (st.step()) out.push_back(read_entry(st));
  return out;
}

std::vector<OutboxEntry> Outbox::next_batch(std::size_t limit, std::int64_t after) const {
  return select(
      "WHERE state IN ('pending', 'sent') AND server_failures < ?2 AND local_seq > ?3"
      " ORDER BY local_seq LIMIT ?1",
      {static_cast<std::int64_t>(limit), kHoldAfterServerFailures, after});
}

void Outbox::mark_sent(const std::vector<OutboxEntry>& batch, const std::string& now) {
  sqlite::Statement& st = db_.prepare_cached(
      "UPDATE outbox SET state = 'sent', updated_at = ?2 WHERE local_seq = ?1"
      " AND state = 'pending'");
  for (const auto& e : batch) {
    st.bind(1, e.local_seq);
    st.bind(2, now);
    st.run();
    st.reset();
  }
}

OutboxState Outbox::record_answer(const std::string& op_id, const Json& answer,
                                  const std::string& now) {
  sqlite::OpResult result;
  try {
    result = sqlite::op_result_from_json(answer);
  } catch (const std::exception& e) {
    bad_answer(op_id, e.what());
  }
  if (result.op_id != op_id) bad_answer(op_id, "it names op " + result.op_id);
  if (result.status == sqlite::OpStatus::failed) {
    record_server_failure(op_id, answer, now);
    return OutboxState::sent;
  }
  sqlite::OpStatus status = result.status;
  if (status == sqlite::OpStatus::duplicate) {
    if (!result.first_status || *result.first_status == sqlite::OpStatus::duplicate)
      bad_answer(op_id, "a duplicate without the first answer");
    status = *result.first_status;
  }
  OutboxState state = OutboxState::rejected;
  if (status == sqlite::OpStatus::accepted) state = OutboxState::accepted;
  if (status == sqlite::OpStatus::conflict) state = OutboxState::conflict;
  if (state != OutboxState::rejected && result.seq <= 0) bad_answer(op_id, "no sequence number");

  sqlite::Statement& st = db_.prepare_cached(
      "UPDATE outbox SET state = ?2, seq = ?3, result_json = ?4, updated_at = ?5"
      " WHERE op_id = ?1 AND state IN ('pending', 'sent')");
  st.bind(1, op_id);
  st.bind(2, to_string(state));
  if (state == OutboxState::rejected) {
    st.bind(3, nullptr);
  } else {
    st.bind(3, result.seq);
  }
  st.bind(4, answer);
  st.bind(5, now);
  st.run();
  if (db_.changes() != 1)  // else the push loop would send the same op for ever
    throw Error(ErrorDomain::internal, "outbox_stuck",
                "op " + op_id + " was answered but is not awaiting an answer in the outbox");
  return state;
}

void Outbox::record_server_failure(const std::string& op_id, const Json& answer,
                                   const std::string& now) {
  sqlite::Statement& st = db_.prepare_cached(
      "UPDATE outbox SET server_failures = server_failures + 1, result_json = ?2, updated_at = ?3"
      " WHERE op_id = ?1 AND state IN ('pending', 'sent')"
      " RETURNING local_seq, row_id, server_failures");
  st.bind(1, op_id);
  st.bind(2, answer);
  st.bind(3, now);
  if (!st.step())
    throw Error(ErrorDomain::internal, "outbox_stuck",
                "the server failed on op " + op_id + ", which is not awaiting an answer");
  const std::int64_t local_seq = st.column_int64(0);
  const std::string row_id = st.column_text(1);
  const bool held = st.column_int64(2) >= kHoldAfterServerFailures;
  st.reset();
  if (held && !row_id.empty()) hold_dependents(op_id, local_seq, row_id, now);
}

void Outbox::hold_dependents(const std::string& op_id, std::int64_t local_seq,
                             const std::string& row_id, const std::string& now) {
  // Later ops on the held op's row, or naming it (a visit of a case whose create is held), and
  // so on: sent alone they would be refused for a row the server does not have.
  sqlite::Statement& st = db_.prepare_cached(
      "UPDATE outbox SET server_failures = ?3, updated_at = ?5,"
      " result_json = json_object('op_id', op_id, 'status', 'failed', 'problems',"
      "   json_array(json_object('field', '', 'code', 'waits_for_held_op', 'message',"
      "     'waits for op ' || ?4 || ', which the server failed on and is held aside')))"
      " WHERE state IN ('pending', 'sent') AND server_failures < ?3 AND local_seq > ?2"
      " AND (row_id = ?1 OR instr(op_json, ?1) > 0)"
      " RETURNING row_id");
  std::vector<std::string> rows{row_id};
  std::set<std::string> seen{row_id};
  while (!rows.empty()) {
    const std::string row = rows.back();
    rows.pop_back();
    st.bind(1, row);
    st.bind(2, local_seq);
    st.bind(3, kHoldAfterServerFailures);
    st.bind(4, op_id);
    st.bind(5, now);
    while (st.step())
      if (std::string next = st.column_text(0); !next.empty() && seen.insert(next).second)
        rows.push_back(next);
    st.reset();
  }
}

std::vector<OutboxEntry> Outbox::to_reapply(std::int64_t cursor) const {
  return select(
      "WHERE state IN ('pending', 'sent')"
      " OR (state IN ('accepted', 'conflict') AND seq > ?1) ORDER BY local_seq",
      {cursor});
}

std::int64_t Outbox::awaiting_count() const {
  sqlite::Statement& st =
      db_.prepare_cached("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sent')");
  st.step();
  const std::int64_t n = st.column_int64(0);
  st.reset();
  return n;
}

std::vector<OutboxEntry> Outbox::rejected() const {
  return select("WHERE state = 'rejected' ORDER BY local_seq", {});
}

std::vector<OutboxEntry> Outbox::held() const {
  return select("WHERE state IN ('pending', 'sent') AND server_failures >= ?1 ORDER BY local_seq",
                {kHoldAfterServerFailures});
}

std::int64_t Outbox::retry_held() {
  sqlite::Statement& st = db_.prepare_cached(
      "UPDATE outbox SET server_failures = 0 WHERE state IN ('pending', 'sent')"
      " AND server_failures >= ?1");
  st.bind(1, kHoldAfterServerFailures);
  st.run();
  return db_.changes();
}

std::vector<OutboxEntry> Outbox::for_rows(
    const std::vector<std::pair<std::string, std::string>>& rows) const {
  std::vector<OutboxEntry> out;
  sqlite::Statement st =
      db_.prepare(std::string(kColumns) + "WHERE entity = ?1 AND row_id = ?2 ORDER BY local_seq");
  for (const auto& [entity, id] : rows) {
    st.bind(1, entity);
    st.bind(2, id);
    while (st.step()) out.push_back(read_entry(st));
    st.reset();
  }
  return out;
}

bool Outbox::discard_rejected(const std::string& op_id) {
  sqlite::Statement& st =
      db_.prepare_cached("DELETE FROM outbox WHERE op_id = ?1 AND state = 'rejected'");
  st.bind(1, op_id);
  st.run();
  return db_.changes() > 0;
}

}  // namespace fieldsync::client
