// The case workflow rules (case_rules.h).
#include "fieldsync/core/domain/case_rules.h"

namespace fieldsync::domain {
namespace {

// The value the row will have for `name` after the op: the op's when it sets it, else the row's.
Json after_op(const Op& op, const Row* current, const char* name) {
  if (op.fields.is_object() && op.fields.contains(name)) return op.fields[name];
  if (current && current->values.is_object()) return current->values.value(name, Json());
  return Json();
}

// True when the op moves status forward to `state` (not a stale write of it).
bool moves_to(const Model& model, const Op& op, const Row* current, const char* state) {
  if (op.kind == OpKind::reopen || !op.fields.is_object()) return false;
  auto it = op.fields.find("status");
  if (it == op.fields.end() || *it != state) return false;
  const Json now =
      current && current->values.is_object() ? current->values.value("status", Json()) : Json();
  if (!now.is_string()) return true;
  const EntityDef* entity = model.entity("case");
  const FieldDef* status = entity ? entity->field("status") : nullptr;
  if (!status || !status->workflow) return now != state;
  const auto from = status->workflow->rank(now.get<std::string>());
  const auto to = status->workflow->rank(state);
  return !from || !to || *to > *from;
}

}  // namespace

void check_case_rules(const Model& model, const Op& op, const Row* current,
                      std::vector<Problem>& out) {
  if (op.kind == OpKind::reopen) {
    const Json reason = op.fields.is_object() ? op.fields.value("reopen_reason", Json()) : Json();
    if (!reason.is_string() ||
        reason.get<std::string>().find_first_not_of(" \t\r\n") == std::string::npos)
      out.push_back({"fields.reopen_reason", "reopen_reason_required",
                     "a reopened case needs a reopen_reason: say why it is reopened"});
    return;
  }
  if (moves_to(model, op, current, "resolved")) {
    const Json path = after_op(op, current, "handling_path");
    if (!path.is_string() || path.get<std::string>().empty())
      out.push_back({"fields.status", "handling_path_required",
                     "a case is resolved only after a handling_path is chosen (solve_quickly, "
                     "flexible_solution, counselling or by_law)"});
  }
  if (moves_to(model, op, current, "closed")) {
    if (after_op(op, current, "petitioner_satisfied") != true)
      out.push_back({"fields.status", "not_satisfied",
                     "a case is closed only when the follow-up contact found the petitioner "
                     "satisfied (petitioner_satisfied true); handled but not satisfied stays "
                     "open"});
  }
}

}  // namespace fieldsync::domain
