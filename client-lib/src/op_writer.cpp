#include "op_writer.h"

#include <algorithm>

#include "device_state.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/op_codec.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/core/validation.h"
#include "fieldsync/sqlite/transaction.h"
#include "time_text.h"

namespace fieldsync::client {
namespace {

std::string element_key(const Json& item) {
  return item.is_string() ? item.get<std::string>() : item.dump();
}

}  // namespace

std::int64_t workflow_generation(const EntityDef& entity, const Row& row) {
  std::int64_t gen = 0;
  for (const FieldDef& f : entity.fields) {
    if (f.policy != MergePolicy::workflow || !row.stamps.contains(f.name)) continue;
    const Json& meta = row.stamps[f.name];
    if (meta.is_object() && meta.contains("gen") && meta["gen"].is_number_integer())
      gen = std::max(gen, meta["gen"].get<std::int64_t>());
  }
  return gen;
}

void throw_problems(const std::string& what, std::vector<Problem> problems) {
  std::string message = what + " was not saved:";
  for (const Problem& p : problems)
    message += " " + (p.field.empty() ? std::string() : p.field + ": ") + p.message + ";";
  message.pop_back();
  const std::string code = problems.empty() ? "invalid" : problems.front().code;
  throw Error(ErrorDomain::validation, code, message, std::move(problems));
}

Json OpWriter::normalise_sets(const EntityDef& entity, OpKind kind, const Json& fields,
                              const std::optional<Row>& current) const {
  if (!fields.is_object()) return fields;
  Json out = fields;
  for (auto& [name, value] : out.items()) {
    const FieldDef* f = entity.field(name);
    if (!f || f->policy != MergePolicy::set || !value.is_array()) continue;
    if (kind == OpKind::create || !current) {
      value = Json{{"add", value}};
      continue;
    }
    // The new whole set: add what is missing, remove what is no longer wanted.
    const Json now = current->values.value(name, Json::array());
    Json add = Json::array(), remove = Json::array();
    for (const Json& item : value)
      if (std::none_of(now.begin(), now.end(),
                       [&](const Json& e) { return element_key(e) == element_key(item); }))
        add.push_back(item);
    if (now.is_array())
      for (const Json& item : now)
        if (std::none_of(value.begin(), value.end(),
                         [&](const Json& e) { return element_key(e) == element_key(item); }))
          remove.push_back(item);
    Json change = Json::object();
    if (!add.empty()) change["add"] = add;
    if (!remove.empty()) change["remove"] = remove;
    value = change;
  }
  // A set change that changes nothing is left out rather than sent empty.
  for (auto it = out.begin(); it != out.end();) {
    const FieldDef* f = entity.field(it.key());
    if (f && f->policy == MergePolicy::set && it->is_object() && it->empty()) {
      it = out.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

Op OpWriter::write(const Writer& who, OpKind kind, const std::string& entity_name,
                   const std::string& id, const Json& fields) {
  const std::string what = std::string(to_string(kind)) + " of " + entity_name + " " + id;
  const EntityDef* entity = model_.entity(entity_name);
  if (!entity)
    throw_problems(
        what, {{"entity", "unknown_entity", "the model has no entity \"" + entity_name + "\""}});

  WriteScope tx(store_.db);
  const std::optional<Row> current = store_.replica.find(entity_name, id);
  if (kind != OpKind::create && !current)
    throw Error(ErrorDomain::client, "unknown_row",
                "this device has no " + entity_name + " with id " + id);

  Op op;
  op.device_id = who.device_id;
  op.user_id = who.user_id;
  op.entity = entity_name;
  op.id = id;
  op.kind = kind;
  op.fields = normalise_sets(*entity, kind, fields, current);
  op.hlc = hlc_.now();
  op.op_id = make_uuid_v7(std::max<std::int64_t>(0, wall_.now_ms()), random_);
  op.base_version = store_.replica.confirmed_version(entity_name, id);
  op.schema_version = model_.schema_version();
  op.workflow_gen = current ? workflow_generation(*entity, *current) : 0;
  if (kind == OpKind::reopen) ++op.workflow_gen;

  try {
    decode_op(encode_op(op));  // the wire rules: sizes, depth, names
  } catch (const Error& e) {
    std::vector<Problem> problems = e.problems();
    if (problems.empty()) problems.push_back({"", e.code(), e.message()});
    throw_problems(what, std::move(problems));
  }
  std::vector<Problem> problems = validate_op(model_, op, current ? &*current : nullptr);
  if (!problems.empty()) throw_problems(what, std::move(problems));
  try {
    store_.replica.apply_local(op);
  } catch (const Error& e) {
    if (e.domain() != ErrorDomain::merge) throw;
    const std::string field =
        entity->scope.through_parent() ? "fields." + entity->scope.via : std::string("id");
    throw_problems(what, {{field, e.code(), e.message()}});
  }
  store_.outbox.append(op, format_time(wall_.now_ms()));
  store_.state.set(state_key::hlc, hlc_.last().to_string());
  tx.commit();
  return op;
}

}  // namespace fieldsync::client
