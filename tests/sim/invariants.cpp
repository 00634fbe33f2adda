#include "invariants.h"

#include <ctime>
#include <map>
#include <set>

#include "fieldsync/core/hlc.h"
#include "fieldsync/core/merge.h"
#include "fieldsync/core/op_codec.h"
#include "fieldsync/sqlite/row_store.h"

namespace fieldsync::sim {
namespace {

using Problems = std::vector<std::string>;

// One entry of the server's op log.
struct Logged {
  std::int64_t seq = 0;
  std::string op_id;
  std::string device_id;
  std::string outcome;
  Json answer;
  Op op;
  std::int64_t received_ms = 0;
  bool applied() const { return outcome == "accepted" || outcome == "conflict"; }
};

std::int64_t parse_time_ms(const std::string& text) {
  std::tm tm{};
  if (text.size() < 19) return 0;
  tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(text.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(text.substr(8, 2));
  tm.tm_hour = std::stoi(text.substr(11, 2));
  tm.tm_min = std::stoi(text.substr(14, 2));
  tm.tm_sec = std::stoi(text.substr(17, 2));
  std::int64_t ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
  if (text.size() > 20 && text[19] == '.') ms += std::stoi(text.substr(20, 3));
  return ms;
}

std::vector<Logged> read_op_log(sqlite::Database& db) {
  std::vector<Logged> out;
  sqlite::Statement st = db.prepare(
      "SELECT seq, op_id, device_id, outcome, outcome_json, op_json, received_at FROM op_log"
      " ORDER BY seq");
  while (st.step()) {
    Logged e;
    e.seq = st.column_int64(0);
    e.op_id = st.column_text(1);
    e.device_id = st.column_text(2);
    e.outcome = st.column_text(3);
    e.answer = st.is_null(4) ? Json::object() : Json::parse(st.column_text(4));
    try {
      e.op = decode_op_text(st.column_text(5));
    } catch (const Error&) {
      e.op.op_id = e.op_id;  // malformed ops are rejected; nothing else needs them
    }
    e.received_ms = parse_time_ms(st.column_text(6));
    out.push_back(std::move(e));
  }
  return out;
}

std::string in_list(const std::set<std::string>& ids) {
  std::string sql = "(";
  for (const auto& id : ids) sql += (sql.size() > 1 ? ",'" : "'") + id + "'";
  return sql + ")";
}

// 1 and 2: the device's rows against the server's, restricted to the device's scope.
void check_replica(SimWorld& world, SimDevice& d, const Model& model, Problems& out) {
  sqlite::Database& server = world.admin().database();
  const auto user = world.admin().directory().user_by_id(d.user_id);
  if (!user) return out.push_back(d.login + ": the server has no user " + d.user_id);
  const auto scope_set = world.admin().directory().unit_subtree(user->unit_id);
  const std::set<std::string> scope(scope_set.begin(), scope_set.end());
  sqlite::RowStore server_rows(server, model);
  sqlite::RowStore device_rows(*d.inspector, model);
  const std::string who = d.login + " (" + d.role + ")";
  for (const EntityDef& e : model.entities()) {
    std::set<std::string> expected;
    sqlite::Statement s = server.prepare("SELECT id FROM entity_" + e.name +
                                         " WHERE deleted = 0 AND unit_id IN " + in_list(scope));
    while (s.step()) expected.insert(s.column_text(0));
    std::set<std::string> held;
    sqlite::Statement h = d.inspector->prepare("SELECT id, unit_id, deleted FROM entity_" + e.name);
    while (h.step()) {
      const std::string id = h.column_text(0);
      if (!scope.count(h.column_text(1)))
        out.push_back(who + " holds " + e.name + " " + id + " of unit " + h.column_text(1) +
                      ", outside its scope");
      if (h.column_int64(2) == 0) held.insert(id);
    }
    for (const auto& id : expected) {
      if (!held.count(id)) {
        out.push_back(who + " lacks " + e.name + " " + id + " that the server has in its scope");
        continue;
      }
      const auto mine = device_rows.find(e.name, id);
      const auto theirs = server_rows.find(e.name, id);
      if (!mine || !theirs || !(*mine == *theirs))
        out.push_back(who + ": " + e.name + " " + id + " differs from the server's: device " +
                      (mine ? row_to_json(*mine).dump() : "none") + " server " +
                      (theirs ? row_to_json(*theirs).dump() : "none"));
    }
    for (const auto& id : held)
      if (!expected.count(id))
        out.push_back(who + " shows " + e.name + " " + id + " that the server does not have" +
                      " live in its scope");
  }
  sqlite::Statement local = d.inspector->prepare("SELECT COUNT(*) FROM replica_confirmed");
  local.step();
  if (local.column_int64(0) != 0)
    out.push_back(who + " still shows " + std::to_string(local.column_int64(0)) +
                  " unconfirmed row changes after quiescence");
}

// 3: every op a device made, accounted for.
void check_ops(SimWorld& world, const std::map<std::string, const Logged*>& by_op, Problems& out) {
  SimFigures& f = world.figures;
  std::set<std::string> made;
  for (auto& dp : world.devices()) {
    SimDevice& d = *dp;
    world.harvest(d);
    const std::string who = d.login + (d.wiped ? " (wiped)" : "");
    std::map<std::string, std::pair<std::string, Json>> outbox;
    std::set<std::string> shown_rejected;
    if (!d.wiped) {
      sqlite::Statement st = d.inspector->prepare("SELECT op_id, state, seq FROM outbox");
      while (st.step())
        outbox[st.column_text(0)] = {st.column_text(1),
                                     st.is_null(2) ? Json() : Json(st.column_int64(2))};
      for (const auto& r : d.client->rejected_ops())
        if (!r.problems.empty()) shown_rejected.insert(r.op_id);
      if (outbox.size() != d.op_ids.size())
        out.push_back(who + ": outbox has " + std::to_string(outbox.size()) + " ops, " +
                      std::to_string(d.op_ids.size()) + " were made");
    }
    for (const auto& op_id : d.op_ids) {
      made.insert(op_id);
      const auto logged = by_op.find(op_id);
      const Logged* l = logged == by_op.end() ? nullptr : logged->second;
      if (d.wiped) {
        if (!l)
          ++f.ops_wiped;
        else if (l->applied())
          ++f.ops_accepted;
        else
          ++f.ops_rejected;
        continue;
      }
      const auto& [state, seq] = outbox[op_id];
      if (state == "pending" || state == "sent") {
        ++f.ops_pending;
        out.push_back(who + ": op " + op_id + " still " + state + " after quiescence");
      } else if (state == "accepted" || state == "conflict") {
        ++f.ops_accepted;
        if (!l || !l->applied() || seq != Json(l->seq))
          out.push_back(who + ": op " + op_id + " is " + state + " on the device but the server" +
                        (l ? " logged it " + l->outcome + " at seq " + std::to_string(l->seq)
                           : " never logged it"));
      } else if (state == "rejected") {
        ++f.ops_rejected;
        if (l && l->applied())
          out.push_back(who + ": op " + op_id + " rejected on the device but applied on the " +
                        "server at seq " + std::to_string(l->seq));
        if (!shown_rejected.count(op_id))
          out.push_back(who + ": rejected op " + op_id + " is not shown with a reason");
      } else {
        out.push_back(who + ": op " + op_id + " in state '" + state + "'");
      }
    }
  }
  std::set<std::string> device_ids;
  for (auto& d : world.devices()) device_ids.insert(d->device_id);
  for (const auto& [op_id, l] : by_op)
    if (device_ids.count(l->device_id) && !made.count(op_id))
      out.push_back("the server logged op " + op_id + " of device " + l->device_id +
                    " that no device made");
}

// 4: the checker's own replay of the op log, in order, for every flag field.
void check_conflicts(SimWorld& world, const Model& model, const std::vector<Logged>& log,
                     Problems& out) {
  sqlite::Database& server = world.admin().database();
  sqlite::RowStore rows(server, model);
  struct Write {
    std::int64_t seq;
    std::int64_t base;
    std::string device;
    Json value;
  };
  // A write seen and overruled by a later one (by its own device, or by a writer who had seen
  // it) no longer stands as a choice another write can conflict with.
  auto superseded = [](const std::vector<Write>& writes, std::size_t i) {
    for (std::size_t j = i + 1; j < writes.size(); ++j)
      if (writes[j].device == writes[i].device || writes[j].base >= writes[i].seq) return true;
    return false;
  };
  struct FieldState {
    std::int64_t generation = 0;
    std::vector<Write> writes;  // since the last decision
  };
  std::map<std::string, FieldState> fields;  // "entity/row/field"
  std::set<std::string> decided;
  SimFigures& f = world.figures;
  for (const Logged& l : log) {
    if (!l.applied()) continue;
    if (l.outcome == "conflict") {
      ++f.conflict_answers;
      for (const auto& cid : l.answer.value("conflict_ids", Json::array()))
        if (!rows.find("conflict", cid.get<std::string>()))
          out.push_back("op " + l.op_id + " was answered conflict " + cid.dump() +
                        " but there is no such record");
    }
    if (l.answer.value("hlc_clamped", false)) ++f.hlc_clamped;
    const Op& op = l.op;
    if (op.kind == OpKind::resolve) {
      if (decided.count(op.id)) continue;
      const auto c = rows.find("conflict", op.id);
      if (!c) continue;
      decided.insert(op.id);
      FieldState& st = fields[c->values.value("entity", "") + "/" + c->values.value("row_id", "") +
                              "/" + c->values.value("field", "")];
      ++st.generation;
      st.writes = {{l.seq, l.seq, op.device_id, op.fields.value("resolution", Json())}};
      continue;
    }
    const EntityDef* e = model.entity(op.entity);
    if (!e || (op.kind != OpKind::create && op.kind != OpKind::update)) continue;
    for (const auto& [name, value] : op.fields.items()) {
      const FieldDef* fd = e->field(name);
      if (!fd || fd->policy != MergePolicy::flag) continue;
      FieldState& st = fields[op.entity + "/" + op.id + "/" + name];
      bool concurrent = false;
      for (std::size_t i = 0; i < st.writes.size(); ++i) {
        const Write& w = st.writes[i];
        concurrent = concurrent || (w.seq > op.base_version && w.device != op.device_id &&
                                    w.value != value && !superseded(st.writes, i));
      }
      std::string earlier;  // for the report: the field's writes since its last decision
      for (const Write& w : st.writes)
        earlier += " [seq " + std::to_string(w.seq) + " " + w.device.substr(0, 8) + "... " +
                   w.value.dump() + "]";
      st.writes.push_back({l.seq, op.base_version, op.device_id, value});
      if (!concurrent) continue;
      ++f.concurrent_flag_writes;
      const std::string cid = conflict_id(op.entity, op.id, name, st.generation);
      const auto record = rows.find("conflict", cid);
      bool listed = false;
      if (record)
        for (const auto& c : record->values.value("candidates", Json::array()))
          listed = listed || c.value("value", Json()) == value;
      if (!listed)
        out.push_back("op " + l.op_id + " (seq " + std::to_string(l.seq) + ", device " +
                      op.device_id + ", base " + std::to_string(op.base_version) + ") wrote " +
                      op.entity + "." + name + " = " + value.dump() +
                      " concurrently with another device's different value, but conflict " + cid +
                      (record ? " does not list it: " + record->values.dump() : " does not exist") +
                      "; earlier writes since the last decision:" + earlier);
    }
  }
  std::set<std::string> applied;
  for (const Logged& l : log)
    if (l.applied()) applied.insert(l.op_id);
  sqlite::Statement st = server.prepare("SELECT id FROM entity_conflict");
  while (st.step()) {
    ++f.conflict_records;
    const auto c = rows.find("conflict", st.column_text(0));
    std::set<std::string> values;
    for (const auto& cand : c->values.value("candidates", Json::array())) {
      values.insert(cand.value("value", Json()).dump());
      if (!applied.count(cand.value("op_id", "")))
        out.push_back("conflict " + c->id + " lists a value of op " + cand.value("op_id", "?") +
                      " that the server never applied");
    }
    if (values.size() < 2)
      out.push_back("conflict " + c->id + " holds fewer than two values: " + c->values.dump());
  }
}

// 5: append-only entries unchanged since their create.
// 6: a write made after seeing every earlier write of its field is the field's value, whatever
// the writers' clocks said (a causally later edit is never silently lost to an earlier one).
void check_causal_wins(SimWorld& world, const Model& model, const std::vector<Logged>& log,
                       Problems& out) {
  sqlite::RowStore rows(world.admin().database(), model);
  struct Write {
    std::int64_t seq;
    std::int64_t base;
    std::string device;
    std::string op_id;
    Json value;
  };
  std::map<std::string, std::vector<Write>> writes;  // "entity/row/field"
  std::set<std::string> decided;                     // fields a conflict decision wrote
  for (const Logged& l : log) {
    if (!l.applied()) continue;
    const Op& op = l.op;
    if (op.kind == OpKind::resolve) {
      if (const auto c = rows.find("conflict", op.id))
        decided.insert(c->values.value("entity", "") + "/" + c->values.value("row_id", "") + "/" +
                       c->values.value("field", ""));
      continue;
    }
    const EntityDef* e = model.entity(op.entity);
    if (!e || (op.kind != OpKind::create && op.kind != OpKind::update)) continue;
    for (const auto& [name, value] : op.fields.items()) {
      const FieldDef* fd = e->field(name);
      if (!fd || (fd->policy != MergePolicy::lww && fd->policy != MergePolicy::flag)) continue;
      writes[op.entity + "/" + op.id + "/" + name].push_back(
          {l.seq, op.base_version, op.device_id, l.op_id, value});
    }
  }
  for (const auto& [key, list] : writes) {
    if (decided.count(key)) continue;
    const Write& last = list.back();
    bool saw_all = true;
    for (std::size_t i = 0; i + 1 < list.size(); ++i)
      saw_all = saw_all && (list[i].device == last.device || list[i].seq <= last.base);
    if (!saw_all) continue;
    const auto first_slash = key.find('/');
    const auto second_slash = key.find('/', first_slash + 1);
    const auto row = rows.find(key.substr(0, first_slash),
                               key.substr(first_slash + 1, second_slash - first_slash - 1));
    if (!row || row->deleted) continue;
    const Json now = row->values.value(key.substr(second_slash + 1), Json());
    if (now != last.value)
      out.push_back(key + " is " + now.dump() + " but op " + last.op_id + " (seq " +
                    std::to_string(last.seq) + ", base " + std::to_string(last.base) + ") wrote " +
                    last.value.dump() + " after seeing every earlier write of it");
  }
}

void check_append_only(SimWorld& world, const Model& model, const std::vector<Logged>& log,
                       Problems& out) {
  sqlite::RowStore rows(world.admin().database(), model);
  std::map<std::string, int> applied_ops;  // "entity/id"
  for (const Logged& l : log) {
    const EntityDef* e = model.entity(l.op.entity);
    if (!l.applied() || !e || !e->append_only()) continue;
    const std::string key = l.op.entity + "/" + l.op.id;
    if (++applied_ops[key] > 1)
      out.push_back(key + " was changed after its create, by op " + l.op_id);
    const auto row = rows.find(l.op.entity, l.op.id);
    if (!row) {
      out.push_back(key + " was created (op " + l.op_id + ") but is gone from the server");
      continue;
    }
    for (const auto& [name, value] : l.op.fields.items()) {
      const FieldDef* fd = e->field(name);
      if (!fd || fd->policy != MergePolicy::lww) continue;
      if (row->values.value(name, Json()) != value)
        out.push_back(key + "." + name + " is " + row->values.value(name, Json()).dump() +
                      ", its create wrote " + value.dump());
    }
  }
}

}  // namespace

std::vector<std::string> check_world(SimWorld& world) {
  Problems out;
  const Model& model = server::embedded_model();
  const std::vector<Logged> log = read_op_log(world.admin().database());
  std::map<std::string, const Logged*> by_op;
  for (const Logged& l : log) by_op[l.op_id] = &l;
  for (auto& d : world.devices())
    if (!d->wiped) check_replica(world, *d, model, out);
  check_ops(world, by_op, out);
  check_conflicts(world, model, log, out);
  check_append_only(world, model, log, out);
  check_causal_wins(world, model, log, out);
  sqlite::Statement moves =
      world.admin().database().prepare("SELECT COUNT(*) FROM scope_exits WHERE entity = 'case'");
  moves.step();
  world.figures.case_moves = moves.column_int64(0);
  return out;
}

}  // namespace fieldsync::sim
