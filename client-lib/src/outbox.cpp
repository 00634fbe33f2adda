#include "outbox.h"

#include "fieldsync/core/error.h"
#include "fieldsync/core/op_codec.h"

namespace fieldsync::client {
namespace {

constexpr std::string_view kColumns =
    "SELECT local_seq, op_json, state, seq, result_json, created_at, updated_at FROM outbox ";

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

std::vector<OutboxEntry> Outbox::next_batch(std::size_t limit) const {
  return select("WHERE state IN ('pending', 'sent') ORDER BY local_seq LIMIT ?1",
                {static_cast<std::int64_t>(limit)});
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
