#include "fieldsync/core/validation.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "field_checks.h"
#include "fieldsync/core/domain/case_rules.h"

namespace fieldsync {
namespace {

using detail::add_problem;

// Checks one op; each method appends what it finds to problems_.
class Validator {
 public:
  Validator(const Model& model, const Op& op, const Row* current, Author author)
      : model_(model), op_(op), current_(current), author_(author) {}

  std::vector<Problem> run() {
    entity_ = model_.entity(op_.entity);
    if (!entity_) {
      add("entity", "unknown_entity", "the model has no entity \"" + op_.entity + "\"");
      return std::move(problems_);
    }
    const bool kind_ok =
        entity_->allows(op_.kind) || (author_ == Author::server && op_.kind != OpKind::resolve);
    if (!kind_ok || (op_.kind == OpKind::resolve && op_.entity != "conflict")) {
      add("kind", "kind_not_allowed",
          "a " + op_.entity + " does not take " + std::string(to_string(op_.kind)) + " ops" +
              (entity_->append_only() ? " (it is append-only)" : ""));
      return std::move(problems_);
    }
    if (!op_.fields.is_object()) {
      add("fields", "wrong_type", "fields must be an object");
      return std::move(problems_);
    }
    row_state();
    generation();
    if (op_.kind == OpKind::resolve) {
      resolve();
    } else {
      for (const auto& [name, value] : op_.fields.items()) field(name, value);
      if (op_.kind == OpKind::create) required_on_create();
      if (op_.kind == OpKind::reopen) reopen();
      if (op_.entity == "case") case_rules();
    }
    return std::move(problems_);
  }

 private:
  void add(const std::string& field, const char* code, std::string message) {
    add_problem(problems_, field, code, std::move(message));
  }

  std::string row_name() const { return op_.entity + " " + op_.id; }

  // The current row's value of `name`; null when absent (or the row is malformed).
  Json row_value(const char* name) const {
    if (!current_ || !current_->values.is_object()) return Json();
    return current_->values.value(name, Json());
  }

  void row_state() {
    if (current_ && current_->deleted && op_.kind != OpKind::remove) {
      add("id", "deleted", row_name() + " is deleted");
    } else if (current_ && op_.kind == OpKind::create) {
      add("id", "exists", row_name() + " exists already");
    } else if (!current_ && op_.kind != OpKind::create) {
      add("id", "unknown_row", row_name() + " does not exist");
    }
  }

  // The row's workflow generation: the highest of its workflow fields' (stamps[f]["gen"]).
  std::int64_t row_generation() const {
    std::int64_t gen = 0;
    if (!current_ || !current_->stamps.is_object()) return gen;
    for (const auto& f : entity_->fields) {
      if (f.policy != MergePolicy::workflow) continue;
      auto it = current_->stamps.find(f.name);
      if (it == current_->stamps.end() || !it->is_object()) continue;
      auto g = it->find("gen");
      if (g != it->end() && g->is_number_integer()) gen = std::max(gen, g->get<std::int64_t>());
    }
    return gen;
  }

  void generation() {
    const std::int64_t gen = row_generation();
    if (op_.workflow_gen > gen + 1) {
      add("workflow_gen", "bad_generation",
          "workflow_gen " + std::to_string(op_.workflow_gen) + " is ahead of the row's " +
              std::to_string(gen) + " by more than one reopen");
    } else if (op_.kind == OpKind::reopen && op_.workflow_gen < 1) {
      add("workflow_gen", "bad_generation", "a reopen op carries workflow_gen 1 or more");
    }
  }

  void field(const std::string& name, const Json& value) {
    const std::string path = "fields." + name;
    const FieldDef* def = entity_->field(name);
    if (!def) {
      if (op_.schema_version > model_.schema_version()) return;  // kept in Row::extra
      add(path, "unknown_field", "a " + op_.entity + " has no field \"" + name + "\"");
      return;
    }
    if (def->server_origin && author_ == Author::device) {
      add(path, "server_field", name + " is set by the server only");
      return;
    }
    if (value.is_null() && def->required) {
      add(path, "required", name + " is required and cannot be cleared");
      return;
    }
    switch (def->policy) {
      case MergePolicy::lww:
      case MergePolicy::flag: return detail::check_plain_value(*def, value, path, problems_);
      case MergePolicy::workflow: return workflow_value(*def, value, path);
      case MergePolicy::set: return detail::check_set_change(*def, value, path, problems_);
      case MergePolicy::append: return detail::check_list_items(*def, value, path, problems_);
      case MergePolicy::counter: return detail::check_counter(*def, value, path, problems_);
    }
  }

  void workflow_value(const FieldDef& def, const Json& value, const std::string& path) {
    const Workflow& wf = *def.workflow;
    if (!value.is_string()) {
      add(path, "wrong_type", "must name a state of " + wf.name);
      return;
    }
    const std::string& to = value.get_ref<const std::string&>();
    if (!wf.has_state(to)) {
      detail::check_plain_value(def, value, path, problems_);  // not_allowed_value
      return;
    }
    if (op_.kind == OpKind::create && to != wf.states.front()) {
      add(path, "bad_initial_state",
          "a new " + op_.entity + " starts in " + wf.states.front() + ", not " + to);
    } else if (op_.kind == OpKind::update && current_) {
      const Json now = row_value(def.name.c_str());
      if (!now.is_string() || !wf.has_state(now.get<std::string>())) return;
      const std::string& from = now.get_ref<const std::string&>();
      // A state at or behind the current one is a stale write that loses the merge: harmless.
      if (wf.allows(from, to) || *wf.rank(to) <= *wf.rank(from)) return;
      add(path, "transition_not_allowed",
          def.name + " cannot go from " + from + " to " + to + " in " + wf.name);
    }
  }

  // The case workflow's own rules (domain/case_rules.h), unless the status is wrong already.
  void case_rules() {
    for (const Problem& p : problems_)
      if (p.field == "fields.status") return;
    domain::check_case_rules(model_, op_, current_, problems_);
  }

  void required_on_create() {
    for (const auto& f : entity_->fields) {
      if (f.required && !f.server_origin && !op_.fields.contains(f.name))
        add("fields." + f.name, "required", "a new " + op_.entity + " needs " + f.name);
    }
  }

  void reopen() {
    std::size_t workflow_fields = 0;
    for (const auto& [name, value] : op_.fields.items()) {
      const FieldDef* def = entity_->field(name);
      if (!def || def->policy != MergePolicy::workflow || def->server_origin) continue;
      ++workflow_fields;
      const Workflow& wf = *def->workflow;
      if (value.is_string() && wf.has_state(value.get<std::string>()) &&
          !wf.reopen_to.count(value.get<std::string>())) {
        std::string allowed;
        for (const auto& s : wf.reopen_to) allowed += (allowed.empty() ? "" : ", ") + s;
        add("fields." + name, "bad_reopen",
            "a reopen goes back to " + (allowed.empty() ? std::string("no state") : allowed) +
                ", not " + value.get<std::string>());
      }
    }
    if (workflow_fields != 1)
      add("fields", "bad_reopen",
          "a reopen op sets exactly one workflow field, this one sets " +
              std::to_string(workflow_fields));
  }

  void resolve() {
    for (const auto& [name, value] : op_.fields.items()) {
      if (name == "resolution") continue;
      if (name == "resolution_note") {
        field(name, value);
      } else {
        add("fields." + name, "field_not_allowed",
            "a resolve op carries only resolution and resolution_note");
      }
    }
    auto resolution = op_.fields.find("resolution");
    if (resolution == op_.fields.end())
      add("fields.resolution", "required", "a resolve op needs a resolution");
    if (!current_ || current_->deleted) return;
    if (row_value("status") != "open")
      add("id", "conflict_closed", "conflict " + op_.id + " is not open");
    if (resolution == op_.fields.end()) return;
    // The resolution becomes the value of the field in conflict: check it as that field's.
    const Json entity = row_value("entity");
    const Json field_name = row_value("field");
    if (!entity.is_string() || !field_name.is_string()) return;
    const EntityDef* target = model_.entity(entity.get<std::string>());
    const FieldDef* def = target ? target->field(field_name.get<std::string>()) : nullptr;
    if (!def) return;  // a field of a newer model: nothing to check it against
    if (resolution->is_null() && def->required) {
      add("fields.resolution", "required", def->name + " is required and cannot be cleared");
    } else {
      detail::check_plain_value(*def, *resolution, "fields.resolution", problems_);
    }
  }

  const Model& model_;
  const Op& op_;
  const Row* current_;
  Author author_;
  const EntityDef* entity_ = nullptr;
  std::vector<Problem> problems_;
};

}  // namespace

std::vector<Problem> validate_op(const Model& model, const Op& op, const Row* current,
                                 Author author) {
  return Validator(model, op, current, author).run();
}

}  // namespace fieldsync
