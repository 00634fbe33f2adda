#include "fieldsync/server/scope_gate.h"

#include "fieldsync/core/validation.h"

namespace fieldsync::server {
namespace {

// Word for word what validation says of a row that does not exist, so that a row of another
// unit cannot be told from one that was never made.
Problem not_found(const std::string& field, const std::string& entity, const std::string& id) {
  return {field, "unknown_row", entity + " " + id + " does not exist"};
}

Problem forbidden(const std::string& message) {
  return {"kind", "forbidden", message};
}

}  // namespace

ScopeGate::ScopeGate(const Access& access, const Model& model, sqlite::Database& db,
                     sqlite::RowStore& rows, std::int64_t push_cursor)
    : access_(access), model_(model), db_(db), rows_(rows), push_cursor_(push_cursor) {}

bool ScopeGate::left_caller_after_cursor(const std::string& entity, const std::string& id) {
  sqlite::Statement& st = db_.prepare_cached(
      "SELECT old_unit_id FROM scope_exits WHERE entity = ?1 AND row_id = ?2 AND version > ?3");
  st.bind(1, entity);
  st.bind(2, id);
  st.bind(3, push_cursor_);
  bool found = false;
  while (!found && st.step()) found = access_.covers(st.column_text(0));
  st.reset();
  return found;
}

bool ScopeGate::unit_exists(const std::string& unit_id) {
  auto unit = rows_.find("unit", unit_id);
  return unit && !unit->deleted;
}

std::optional<std::string> ScopeGate::owning_unit(const Op& op, const EntityDef& entity,
                                                  const std::optional<Row>& current,
                                                  std::optional<Row>& parent) {
  if (current) return current->unit_id;
  if (entity.scope.through_parent()) {
    auto via = op.fields.find(entity.scope.via);
    if (via == op.fields.end() || !via->is_string()) return std::nullopt;
    parent = rows_.find(entity.scope.parent_entity, via->get<std::string>());
    if (!parent) return "";  // owned by no unit: covered by nobody
    return parent->unit_id;
  }
  if (entity.scope.field == "id") return op.id;
  auto unit = op.fields.find(entity.scope.field);
  if (unit == op.fields.end() || !unit->is_string()) return std::nullopt;
  return unit->get<std::string>();
}

std::optional<Problem> ScopeGate::role_forbids(const Op& op, const EntityDef& entity,
                                               const std::optional<Row>& current) {
  const bool office = access_.role == Role::central_office || access_.role == Role::admin;
  if (op.kind == OpKind::remove && entity.name == "case" && !office)
    return forbidden("only the central office may delete a case");
  if (op.kind == OpKind::resolve && access_.role == Role::field_leader && current &&
      current->values.value("addressed_to", Json()) != Json(access_.user_id))
    return forbidden("a field leader may resolve only conflicts addressed to them");
  const bool moves = current && !entity.scope.through_parent() && entity.scope.field != "id" &&
                     op.fields.contains(entity.scope.field) &&
                     op.fields[entity.scope.field] != Json(current->unit_id);
  if (moves && access_.role == Role::field_leader)
    return forbidden("moving a row to another unit needs a unit reviewer or the central office");
  return std::nullopt;
}

std::vector<Problem> ScopeGate::as_if_missing(const Op& op) {
  std::vector<Problem> problems = admit(op, std::nullopt);
  if (problems.empty()) problems = validate_op(model_, op, nullptr, Author::device);
  // A create on the id of a row the caller cannot see: refused, as an unknown row.
  if (problems.empty()) problems.push_back(not_found("id", op.entity, op.id));
  return problems;
}

std::vector<Problem> ScopeGate::admit(const Op& op, const std::optional<Row>& current) {
  if (op.user_id != access_.user_id || op.device_id != access_.device_id)
    return {{"user_id", "not_your_op", "an op must carry the signed-in user and device"}};
  const EntityDef* entity = model_.entity(op.entity);
  if (!entity) return {};  // validation names the unknown entity
  std::optional<Row> parent;
  const std::optional<std::string> unit = owning_unit(op, *entity, current, parent);
  if (unit && !access_.covers(*unit)) {
    // Written before the device could know the row (or its parent) moved away: accepted.
    const bool moved_away = current
                                ? left_caller_after_cursor(op.entity, op.id)
                                : parent && left_caller_after_cursor(parent->entity, parent->id);
    if (!moved_away) {
      if (current) return as_if_missing(op);
      if (entity->scope.through_parent())
        return {not_found("fields." + entity->scope.via, entity->scope.parent_entity,
                          op.fields[entity->scope.via].get<std::string>())};
      return {{"fields." + entity->scope.field, "unknown_unit", "no such unit"}};
    }
  }
  if (!current && !entity->scope.through_parent() && unit && entity->scope.field != "id" &&
      !unit_exists(*unit))
    return {{"fields." + entity->scope.field, "unknown_unit", "no such unit"}};
  if (current && !entity->scope.through_parent() && entity->scope.field != "id") {
    // A move must land inside the caller's units, on a unit that exists.
    auto target = op.fields.find(entity->scope.field);
    if (target != op.fields.end() && target->is_string() &&
        (!access_.covers(target->get<std::string>()) || !unit_exists(target->get<std::string>())))
      return {{"fields." + entity->scope.field, "unknown_unit", "no such unit"}};
  }
  if (auto problem = role_forbids(op, *entity, current)) return {*problem};
  return {};
}

}  // namespace fieldsync::server
