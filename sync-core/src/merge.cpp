#include "fieldsync/core/merge.h"

#include <algorithm>
#include <map>

#include "fieldsync/core/error.h"
#include "fieldsync/core/uuid.h"

namespace fieldsync {
namespace {

// "hlc|device": fixed-width HLC text first, so text order is (hlc, device) order.
std::string op_stamp(const Op& op) {
  return op.hlc.to_string() + "|" + op.device_id;
}

std::string meta_stamp(const Json& meta) {
  if (!meta.is_object() || !meta.contains("hlc")) return {};
  return meta["hlc"].get<std::string>() + "|" + meta["dev"].get<std::string>();
}

// Records `op` as the last write of a field, keeping policy bookkeeping (cgen, gen, ...).
void stamp_field(Json& meta, const Op& op, std::int64_t version) {
  if (!meta.is_object()) meta = Json::object();
  meta["hlc"] = op.hlc.to_string();
  meta["dev"] = op.device_id;
  meta["usr"] = op.user_id;
  meta["op"] = op.op_id;
  meta["ver"] = version;
}

std::int64_t meta_int(const Json& meta, const char* key) {
  return meta.is_object() && meta.contains(key) ? meta[key].get<std::int64_t>() : 0;
}

// The op's own row and everything merge_op writes besides it.
struct Work {
  const Model& model;
  const Op& op;
  std::int64_t version;
  const RowReader& reader;
  Row& row;
  MergeResult& result;
};

void merge_lww(Work& w, const FieldDef& f, const Json& value) {
  Json& meta = w.row.stamps[f.name];
  if (op_stamp(w.op) <= meta_stamp(meta)) return;  // older or the same op again
  w.row.values[f.name] = value;
  stamp_field(meta, w.op, w.version);
}

void merge_workflow(Work& w, const FieldDef& f, const Json& value) {
  Json& meta = w.row.stamps[f.name];
  const bool first = !meta.is_object() || !meta.contains("hlc");
  if (!first) {
    const auto cur_rank = f.workflow->rank(w.row.values[f.name].get<std::string>()).value_or(-1);
    const auto new_rank = f.workflow->rank(value.get<std::string>()).value_or(-1);
    auto cur = std::make_tuple(meta_int(meta, "gen"), cur_rank, meta_stamp(meta));
    auto mine = std::make_tuple(w.op.workflow_gen, new_rank, op_stamp(w.op));
    if (mine <= cur) return;
  }
  w.row.values[f.name] = value;
  stamp_field(meta, w.op, w.version);
  meta["gen"] = w.op.workflow_gen;
}

void merge_set(Work& w, const FieldDef& f, const Json& change) {
  Json& meta = w.row.stamps[f.name];
  if (!meta.is_object()) meta = Json::object();
  Json& elems = meta["elems"];
  if (!elems.is_object()) elems = Json::object();
  const std::string stamp = op_stamp(w.op);
  bool touched = false;
  if (change.contains("add")) {
    for (const auto& item : change["add"]) {
      const std::string key = item.is_string() ? item.get<std::string>() : item.dump();
      Json& e = elems[key];
      if (e.is_object() && e.value("add", "") >= stamp) continue;
      e = {{"add", stamp}, {"addv", w.version}, {"adev", w.op.device_id}, {"removed", false}};
      touched = true;
    }
  }
  if (change.contains("remove")) {
    for (const auto& item : change["remove"]) {
      const std::string key = item.is_string() ? item.get<std::string>() : item.dump();
      if (!elems.contains(key)) continue;
      Json& e = elems[key];
      if (e["removed"].get<bool>()) continue;
      // Add-wins: only an add the remover had seen (or made) is taken out.
      const bool seen = e["addv"].get<std::int64_t>() <= w.op.base_version ||
                        e["adev"].get<std::string>() == w.op.device_id;
      if (!seen) continue;
      e["removed"] = true;
      touched = true;
    }
  }
  if (!touched) return;
  Json present = Json::array();
  for (const auto& [key, e] : elems.items())
    if (!e["removed"].get<bool>()) present.push_back(key);  // map order: sorted
  w.row.values[f.name] = present;
  stamp_field(meta, w.op, w.version);
}

void merge_append(Work& w, const FieldDef& f, const Json& items) {
  Json& list = w.row.values[f.name];
  if (!list.is_array()) list = Json::array();
  for (const auto& entry : list)
    if (entry["op"] == w.op.op_id) return;  // this op's entries are already in
  for (std::size_t i = 0; i < items.size(); ++i) {
    list.push_back({{"op", w.op.op_id},
                    {"i", i},
                    {"hlc", w.op.hlc.to_string()},
                    {"dev", w.op.device_id},
                    {"usr", w.op.user_id},
                    {"item", items[i]}});
  }
  std::sort(list.begin(), list.end(), [](const Json& a, const Json& b) {
    return std::tie(a["hlc"].get_ref<const std::string&>(), a["dev"].get_ref<const std::string&>(),
                    a["op"].get_ref<const std::string&>()) <
               std::tie(b["hlc"].get_ref<const std::string&>(),
                        b["dev"].get_ref<const std::string&>(),
                        b["op"].get_ref<const std::string&>()) ||
           (a["op"] == b["op"] && a["i"].get<std::size_t>() < b["i"].get<std::size_t>());
  });
  stamp_field(w.row.stamps[f.name], w.op, w.version);
}

void merge_counter(Work& w, const FieldDef& f, const Json& increment) {
  Json& meta = w.row.stamps[f.name];
  if (!meta.is_object()) meta = Json::object();
  Json& parts = meta["parts"];
  if (!parts.is_object()) parts = Json::object();
  if (parts.contains(w.op.op_id)) return;  // counted already
  parts[w.op.op_id] = increment.get<std::int64_t>();
  std::int64_t total = 0;
  for (const auto& [op_id, part] : parts.items()) total += part.get<std::int64_t>();
  w.row.values[f.name] = total;
  stamp_field(meta, w.op, w.version);
}

// Whose decision a conflict on this row waits for: the responsible leader of the row, or of
// the parent row that owns it.
Json responsible_leader(const Work& w) {
  if (w.row.values.contains("responsible_leader_id")) return w.row.values["responsible_leader_id"];
  const EntityDef& e = w.model.require_entity(w.row.entity);
  if (e.scope.through_parent() && w.row.values.contains(e.scope.via)) {
    if (auto parent =
            w.reader.find(e.scope.parent_entity, w.row.values[e.scope.via].get<std::string>())) {
      if (parent->values.contains("responsible_leader_id"))
        return parent->values["responsible_leader_id"];
    }
  }
  return nullptr;
}

Json candidate(const Json& value, const Json& meta) {
  return {{"value", value},
          {"hlc", meta["hlc"]},
          {"device_id", meta["dev"]},
          {"user_id", meta["usr"]},
          {"op_id", meta["op"]}};
}

// Adds `cand` to the candidate list, keeping for each distinct value its latest write.
std::string candidate_stamp(const Json& c) {
  return c["hlc"].get<std::string>() + "|" + c["device_id"].get<std::string>();
}

// Adds `cand` to the candidate list, keeping for each distinct value its latest write, in
// stamp order.
void add_candidate(Json& candidates, const Json& cand) {
  auto same = std::find_if(candidates.begin(), candidates.end(),
                           [&](const Json& c) { return c["value"] == cand["value"]; });
  if (same == candidates.end()) {
    candidates.push_back(cand);
  } else if (candidate_stamp(*same) < candidate_stamp(cand)) {
    *same = cand;
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Json& a, const Json& b) { return candidate_stamp(a) < candidate_stamp(b); });
}

// Whether the field holds a write by another device that the op's writer had not seen: the
// field's last write, or any write recorded in "w" ({device: version of its latest write}
// since the field's last decision), so that a write which lost the lww comparison still
// counts: its writer's choice must not be overwritten unseen.
bool unseen_write(const Json& meta, const Op& op) {
  if (!meta.is_object() || !meta.contains("hlc")) return false;
  if (meta_int(meta, "ver") > op.base_version && meta["dev"] != op.device_id) return true;
  if (!meta.contains("w") || !meta["w"].is_object()) return false;
  for (const auto& [device, version] : meta["w"].items())
    if (device != op.device_id && version.get<std::int64_t>() > op.base_version) return true;
  return false;
}

// Notes in "w" that the op's device wrote the field at `version`.
void note_writer(Json& meta, const Op& op, std::int64_t version) {
  Json& writers = meta["w"];
  if (!writers.is_object()) writers = Json::object();
  const std::int64_t before =
      writers.contains(op.device_id) ? writers[op.device_id].get<std::int64_t>() : 0;
  writers[op.device_id] = std::max(before, version);
}

void merge_flag(Work& w, const FieldDef& f, const Json& value) {
  Json& meta = w.row.stamps[f.name];
  const bool concurrent = unseen_write(meta, w.op);
  const std::string cid = conflict_id(w.row.entity, w.row.id, f.name, meta_int(meta, "cgen"));
  std::optional<Row> open = w.reader.find("conflict", cid);
  for (const auto& written_row : w.result.writes)
    if (written_row.entity == "conflict" && written_row.id == cid) open = written_row;

  const bool disagree = concurrent && w.row.values[f.name] != value;
  if (disagree || (open && concurrent)) {
    Row conflict;
    if (open) {
      conflict = *open;
    } else {
      conflict.entity = "conflict";
      conflict.id = cid;
      conflict.unit_id = w.row.unit_id;
      conflict.values = {{"unit_id", w.row.unit_id}, {"entity", w.row.entity},
                         {"row_id", w.row.id},       {"field", f.name},
                         {"status", "open"},         {"candidates", Json::array()}};
      add_candidate(conflict.values["candidates"], candidate(w.row.values[f.name], meta));
    }
    Json mine = {{"hlc", w.op.hlc.to_string()},
                 {"dev", w.op.device_id},
                 {"usr", w.op.user_id},
                 {"op", w.op.op_id}};
    const Json before = conflict.values["candidates"];
    add_candidate(conflict.values["candidates"], candidate(value, mine));
    if (!open || before != conflict.values["candidates"]) {
      // Who and when are those of the earliest candidate, so every order of arrival agrees.
      const Json& first = conflict.values["candidates"].front();
      conflict.created_at = first["hlc"].get<std::string>();
      conflict.created_by = first["user_id"].get<std::string>();
      conflict.values["addressed_to"] = responsible_leader(w);
      conflict.version = w.version;
    }
    w.result.writes.push_back(std::move(conflict));
    w.result.conflict_ids.push_back(cid);
    w.result.outcome = MergeOutcome::conflict;
  }
  merge_lww(w, f, value);
  note_writer(w.row.stamps[f.name], w.op, w.version);
}

void merge_field(Work& w, const FieldDef& f, const Json& value) {
  switch (f.policy) {
    case MergePolicy::lww: return merge_lww(w, f, value);
    case MergePolicy::flag: return merge_flag(w, f, value);
    case MergePolicy::workflow: return merge_workflow(w, f, value);
    case MergePolicy::set: return merge_set(w, f, value);
    case MergePolicy::append: return merge_append(w, f, value);
    case MergePolicy::counter: return merge_counter(w, f, value);
  }
}

// A field of a newer model: kept verbatim under last-writer-wins.
void merge_extra(Work& w, const std::string& name, const Json& value) {
  Json& slot = w.row.extra[name];
  if (slot.is_object() && slot.value("stamp", "") >= op_stamp(w.op)) return;
  slot = {{"value", value}, {"stamp", op_stamp(w.op)}};
}

std::string owning_unit(const Work& w, const EntityDef& e) {
  if (!e.scope.through_parent()) {
    if (e.scope.field == "id") return w.row.id;
    const Json& v = w.row.values[e.scope.field];
    return v.is_string() ? v.get<std::string>() : w.row.unit_id;
  }
  const Json& parent_id = w.row.values[e.scope.via];
  if (!parent_id.is_string())
    throw Error(ErrorDomain::merge, "unknown_parent",
                e.name + " " + w.row.id + " has no " + e.scope.via);
  auto parent = w.reader.find(e.scope.parent_entity, parent_id.get<std::string>());
  if (!parent) {
    if (!w.row.unit_id.empty()) return w.row.unit_id;  // keep the unit it had
    throw Error(ErrorDomain::merge, "unknown_parent",
                e.scope.parent_entity + " " + parent_id.get<std::string>() + " does not exist");
  }
  return parent->unit_id;
}

MergeResult merge_resolve(const Op& op, const std::optional<Row>& current, std::int64_t version,
                          const RowReader& reader, const Model& model) {
  if (!current)
    throw Error(ErrorDomain::merge, "unknown_row", "conflict " + op.id + " does not exist");
  MergeResult result;
  Row conflict = *current;
  if (conflict.values.value("status", "") != "open") {
    result.writes.push_back(conflict);  // decided already: nothing changes
    return result;
  }
  const std::string entity = conflict.values["entity"].get<std::string>();
  const std::string row_id = conflict.values["row_id"].get<std::string>();
  const std::string field = conflict.values["field"].get<std::string>();
  std::optional<Row> target = reader.find(entity, row_id);
  if (!target)
    throw Error(ErrorDomain::merge, "unknown_row", entity + " " + row_id + " does not exist");

  conflict.values["status"] = "resolved";
  conflict.values["resolution"] = op.fields["resolution"];
  if (op.fields.contains("resolution_note"))
    conflict.values["resolution_note"] = op.fields["resolution_note"];
  for (const char* name : {"status", "resolution", "resolution_note"})
    if (op.fields.contains(name) || std::string_view(name) == "status")
      stamp_field(conflict.stamps[name], op, version);
  conflict.version = version;
  conflict.updated_by = op.user_id;
  conflict.updated_at = op.hlc.to_string();

  // The decision becomes the field's value, and the next disagreement opens a new record.
  Json& meta = target->stamps[field];
  target->values[field] = op.fields["resolution"];
  const std::int64_t cgen = meta_int(meta, "cgen") + 1;
  stamp_field(meta, op, version);
  meta["cgen"] = cgen;
  meta["w"] = Json::object();  // the decision starts the field's writers afresh
  note_writer(meta, op, version);
  target->version = version;
  target->updated_by = op.user_id;
  target->updated_at = op.hlc.to_string();
  (void)model;
  result.writes.push_back(std::move(conflict));
  result.writes.push_back(std::move(*target));
  return result;
}

}  // namespace

std::string conflict_id(std::string_view entity, std::string_view row_id, std::string_view field,
                        std::int64_t generation) {
  return make_uuid_from_name("conflict/" + std::string(entity) + "/" + std::string(row_id) + "/" +
                             std::string(field) + "/" + std::to_string(generation));
}

MergeResult merge_op(const Model& model, const Op& op, const std::optional<Row>& current,
                     std::int64_t version, const RowReader& reader) {
  if (op.kind == OpKind::resolve) return merge_resolve(op, current, version, reader, model);
  const EntityDef& entity = model.require_entity(op.entity);
  if (!current && op.kind != OpKind::create)
    throw Error(ErrorDomain::merge, "unknown_row", op.entity + " " + op.id + " does not exist");

  MergeResult result;
  Row row;
  if (current) {
    row = *current;
  } else {
    row.entity = op.entity;
    row.id = op.id;
    row.created_by = op.user_id;
    row.created_at = op.hlc.to_string();
  }
  const Row before = row;
  Work w{model, op, version, reader, row, result};
  result.writes.push_back(Row{});  // the op's row goes first; filled in below

  if (op.kind == OpKind::remove) {
    if (!row.deleted) {
      row.deleted = true;
      stamp_field(row.stamps["_deleted"], op, version);
    }
  } else {
    for (const auto& [name, value] : op.fields.items()) {
      if (const FieldDef* f = entity.field(name)) {
        merge_field(w, *f, value);
      } else {
        merge_extra(w, name, value);
      }
    }
    const std::string unit = owning_unit(w, entity);
    if (current && unit != row.unit_id) result.moved_from_unit = row.unit_id;
    row.unit_id = unit;
  }
  if (row != before) {
    row.version = version;
    row.updated_by = op.user_id;
    row.updated_at = op.hlc.to_string();
  }
  // Conflict rows made while merging belong to the row's final unit.
  for (auto& written : result.writes)
    if (written.entity == "conflict" && written.values["unit_id"] != row.unit_id &&
        written.values.value("status", "") == "open") {
      written.unit_id = row.unit_id;
      written.values["unit_id"] = row.unit_id;
    }
  result.writes.front() = std::move(row);
  return result;
}

}  // namespace fieldsync
