#include "fieldsync/core/model.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "fieldsync/core/error.h"

namespace fieldsync {
namespace {

constexpr std::int64_t kDefaultStringLength = 200;
constexpr std::int64_t kDefaultTextLength = 20000;

const std::map<std::string, FieldType, std::less<>>& field_types() {
  static const std::map<std::string, FieldType, std::less<>> types = {
      {"string", FieldType::string},
      {"text", FieldType::text},
      {"integer", FieldType::integer},
      {"number", FieldType::number},
      {"boolean", FieldType::boolean},
      {"timestamp", FieldType::timestamp},
      {"date", FieldType::date},
      {"id", FieldType::id},
      {"enum", FieldType::enumeration},
      {"enum_set", FieldType::enum_set},
      {"string_set", FieldType::string_set},
      {"id_set", FieldType::id_set},
      {"list", FieldType::list},
      {"json", FieldType::json}};
  return types;
}

const std::map<std::string, MergePolicy, std::less<>>& merge_policies() {
  static const std::map<std::string, MergePolicy, std::less<>> policies = {
      {"lww", MergePolicy::lww},           {"flag", MergePolicy::flag},
      {"workflow", MergePolicy::workflow}, {"set", MergePolicy::set},
      {"append", MergePolicy::append},     {"counter", MergePolicy::counter}};
  return policies;
}

// Names that every entity table has as system columns; a model field may not reuse them
// unless it is the row's own scope field (unit_id).
const std::set<std::string, std::less<>> kSystemColumns = {"id",         "version",    "deleted",
                                                           "created_at", "created_by", "updated_at",
                                                           "updated_by", "stamps",     "extra"};

[[noreturn]] void fail(const std::string& code, std::string where, const std::string& message) {
  std::string text = where.empty() ? message : where + ": " + message;
  throw Error(ErrorDomain::model, code, text, {{std::move(where), code, message}});
}

bool is_identifier(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void check_members(const Json& object, const std::set<std::string, std::less<>>& allowed,
                   const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    if (!allowed.count(key)) fail("unknown_member", where, "unknown member \"" + key + "\"");
  }
}

const Json& member(const Json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) fail("missing_member", where, std::string("missing \"") + key + "\"");
  return *it;
}

std::vector<std::string> string_list(const Json& value, const std::string& where) {
  if (!value.is_array()) fail("wrong_type", where, "must be an array of strings");
  std::vector<std::string> out;
  for (const auto& v : value) {
    if (!v.is_string()) fail("wrong_type", where, "must be an array of strings");
    out.push_back(v.get<std::string>());
  }
  std::set<std::string> unique(out.begin(), out.end());
  if (unique.size() != out.size()) fail("duplicate_value", where, "values must be unique");
  return out;
}

std::shared_ptr<const Workflow> parse_workflow(const std::string& name, const Json& doc) {
  const std::string where = "workflows." + name;
  if (!doc.is_object()) fail("wrong_type", where, "must be an object");
  check_members(doc, {"states", "transitions", "reopen_to"}, where);
  auto wf = std::make_shared<Workflow>();
  wf->name = name;
  wf->states = string_list(member(doc, "states", where), where + ".states");
  if (wf->states.empty()) fail("bad_workflow", where, "needs at least one state");
  const Json& transitions = member(doc, "transitions", where);
  if (!transitions.is_object()) fail("wrong_type", where + ".transitions", "must be an object");
  for (const auto& [from, targets] : transitions.items()) {
    if (!wf->has_state(from)) fail("bad_workflow", where + ".transitions", "unknown state " + from);
    for (const auto& to : string_list(targets, where + ".transitions." + from)) {
      if (!wf->has_state(to))
        fail("bad_workflow", where + ".transitions." + from, "unknown state " + to);
      if (*wf->rank(to) <= *wf->rank(from))
        fail("bad_workflow", where + ".transitions." + from,
             "a transition must go forward (" + from + " -> " + to + "); going back is a reopen");
      wf->transitions[from].insert(to);
    }
  }
  if (doc.contains("reopen_to")) {
    for (const auto& s : string_list(doc["reopen_to"], where + ".reopen_to")) {
      if (!wf->has_state(s)) fail("bad_workflow", where + ".reopen_to", "unknown state " + s);
      wf->reopen_to.insert(s);
    }
  }
  return wf;
}

bool policy_fits_type(MergePolicy policy, FieldType type) {
  const bool is_set =
      type == FieldType::enum_set || type == FieldType::string_set || type == FieldType::id_set;
  switch (policy) {
    case MergePolicy::set: return is_set;
    case MergePolicy::append: return type == FieldType::list;
    case MergePolicy::counter: return type == FieldType::integer;
    case MergePolicy::workflow: return type == FieldType::enumeration;
    case MergePolicy::lww:
    case MergePolicy::flag: return !is_set && type != FieldType::list;
  }
  return false;
}

FieldDef parse_field(
    const std::string& entity, const std::string& name, const Json& doc,
    const std::map<std::string, std::shared_ptr<const Workflow>, std::less<>>& workflows) {
  const std::string where = entity + "." + name;
  if (!is_identifier(name)) fail("bad_name", where, "field names are lower_snake_case");
  if (!doc.is_object()) fail("wrong_type", where, "a field must be an object");
  check_members(doc,
                {"type", "required", "values", "policy", "personal", "origin", "ref", "items",
                 "min", "max", "max_length", "workflow", "description"},
                where);
  FieldDef f;
  f.name = name;
  const Json& type = member(doc, "type", where);
  if (!type.is_string() || !field_types().count(type.get<std::string>()))
    fail("bad_type", where, "unknown type " + type.dump());
  f.type = field_types().find(type.get<std::string>())->second;
  const Json& policy = member(doc, "policy", where);
  if (!policy.is_string() || !merge_policies().count(policy.get<std::string>()))
    fail("bad_policy", where, "unknown merge policy " + policy.dump());
  f.policy = merge_policies().find(policy.get<std::string>())->second;
  if (!policy_fits_type(f.policy, f.type))
    fail("policy_type_mismatch", where,
         std::string("merge policy ") + std::string(to_string(f.policy)) + " does not fit type " +
             std::string(to_string(f.type)));

  auto flag = [&](const char* key) {
    if (!doc.contains(key)) return false;
    if (!doc[key].is_boolean()) fail("wrong_type", where + "." + key, "must be true or false");
    return doc[key].get<bool>();
  };
  f.required = flag("required");
  f.personal = flag("personal");
  if (doc.contains("origin")) {
    if (doc["origin"] != "server" && doc["origin"] != "device")
      fail("wrong_type", where + ".origin", "must be \"server\" or \"device\"");
    f.server_origin = doc["origin"] == "server";
  }
  if (doc.contains("description")) {
    if (!doc["description"].is_string())
      fail("wrong_type", where + ".description", "must be a string");
    f.description = doc["description"].get<std::string>();
  }

  const bool enum_like = f.type == FieldType::enumeration || f.type == FieldType::enum_set;
  if (enum_like && f.policy != MergePolicy::workflow) {
    f.values = string_list(member(doc, "values", where), where + ".values");
    if (f.values.empty()) fail("bad_values", where, "needs at least one allowed value");
  } else if (doc.contains("values")) {
    fail("bad_values", where, "only enum and enum_set fields take values");
  }
  if (f.policy == MergePolicy::workflow) {
    const Json& wf = member(doc, "workflow", where);
    if (!wf.is_string() || !workflows.count(wf.get<std::string>()))
      fail("unknown_workflow", where, "unknown workflow " + wf.dump());
    f.workflow = workflows.find(wf.get<std::string>())->second;
    f.values = f.workflow->states;
  } else if (doc.contains("workflow")) {
    fail("unknown_member", where, "only workflow fields name a workflow");
  }
  if (doc.contains("ref")) {
    if (f.type != FieldType::id && f.type != FieldType::id_set)
      fail("bad_ref", where, "only id and id_set fields take ref");
    if (!doc["ref"].is_string()) fail("wrong_type", where + ".ref", "must be an entity name");
    f.ref = doc["ref"].get<std::string>();  // checked once all entities are known
  }
  if (f.type == FieldType::list) {
    const Json& items = member(doc, "items", where);
    if (items != "text" && items != "json") fail("bad_items", where, "items must be text or json");
    f.items = items.get<std::string>();
  } else if (doc.contains("items")) {
    fail("bad_items", where, "only list fields take items");
  }
  for (const char* key : {"min", "max"}) {
    if (!doc.contains(key)) continue;
    if (f.type != FieldType::integer)
      fail("bad_bound", where, std::string(key) + " needs an integer field");
    if (!doc[key].is_number_integer()) fail("wrong_type", where + "." + key, "must be an integer");
    (std::string_view(key) == "min" ? f.min : f.max) = doc[key].get<std::int64_t>();
  }
  if (f.min && f.max && *f.min > *f.max) fail("bad_bound", where, "min is above max");
  const bool has_length = f.type == FieldType::string || f.type == FieldType::text ||
                          f.type == FieldType::string_set || f.type == FieldType::list;
  if (doc.contains("max_length")) {
    if (!has_length) fail("bad_bound", where, "max_length needs a text field");
    if (!doc["max_length"].is_number_integer() || doc["max_length"].get<std::int64_t>() <= 0)
      fail("wrong_type", where + ".max_length", "must be a positive integer");
    f.max_length = doc["max_length"].get<std::int64_t>();
  } else if (has_length) {
    f.max_length = f.type == FieldType::string || f.type == FieldType::string_set
                       ? kDefaultStringLength
                       : kDefaultTextLength;
  }
  return f;
}

Scope parse_scope(const std::string& entity, const Json& doc) {
  const std::string where = entity + ".scope";
  if (!doc.is_object()) fail("wrong_type", where, "must be an object");
  check_members(doc, {"field", "parent", "via"}, where);
  Scope s;
  if (doc.contains("field") == doc.contains("parent"))
    fail("bad_scope", where, "give either field or parent (with via)");
  auto text = [&](const char* key) {
    if (!doc[key].is_string()) fail("wrong_type", where + "." + key, "must be a string");
    return doc[key].get<std::string>();
  };
  if (doc.contains("field")) {
    s.field = text("field");
  } else {
    s.parent_entity = text("parent");
    if (!doc.contains("via")) fail("bad_scope", where, "a parent scope needs via");
    s.via = text("via");
  }
  return s;
}

EntityDef parse_entity(
    const std::string& name, const Json& doc,
    const std::map<std::string, std::shared_ptr<const Workflow>, std::less<>>& workflows) {
  if (!is_identifier(name)) fail("bad_name", name, "entity names are lower_snake_case");
  if (!doc.is_object()) fail("wrong_type", name, "an entity must be an object");
  check_members(doc, {"description", "scope", "ops", "fields"}, name);
  EntityDef e;
  e.name = name;
  if (doc.contains("description")) {
    if (!doc["description"].is_string())
      fail("wrong_type", name + ".description", "must be a string");
    e.description = doc["description"].get<std::string>();
  }
  e.scope = parse_scope(name, member(doc, "scope", name));
  for (const auto& k : string_list(member(doc, "ops", name), name + ".ops")) {
    auto kind = op_kind_from_string(k);
    if (!kind) fail("bad_op_kind", name + ".ops", "unknown op kind " + k);
    e.ops.insert(*kind);
  }
  const Json& fields = member(doc, "fields", name);
  if (!fields.is_object() || fields.empty())
    fail("wrong_type", name + ".fields", "must be a non-empty object");
  for (const auto& [fname, fdoc] : fields.items()) {
    if (kSystemColumns.count(fname))
      fail("reserved_name", name + "." + fname, "is a system column of every row");
    e.fields.push_back(parse_field(name, fname, fdoc, workflows));
  }
  return e;
}

void check_cross_references(const Model& model) {
  for (const auto& e : model.entities()) {
    for (const auto& f : e.fields) {
      if (!f.ref.empty() && !model.entity(f.ref))
        fail("unknown_ref", e.name + "." + f.name, "refers to unknown entity " + f.ref);
    }
    const Scope& s = e.scope;
    if (e.field("unit_id") && s.field != "unit_id")
      fail("bad_scope", e.name + ".unit_id",
           "a field named unit_id is the owning unit: it must be the scope field");
    if (!s.through_parent()) {
      if (s.field == "id") continue;
      const FieldDef* f = e.field(s.field);
      if (!f) fail("bad_scope", e.name + ".scope", "scope field " + s.field + " is not a field");
      if (f->type != FieldType::id || f->ref != "unit" || !f->required)
        fail("bad_scope", e.name + "." + s.field, "a scope field must be a required id of a unit");
    } else {
      const EntityDef* parent = model.entity(s.parent_entity);
      if (!parent) fail("bad_scope", e.name + ".scope", "unknown parent " + s.parent_entity);
      if (parent->scope.through_parent())
        fail("bad_scope", e.name + ".scope", "the parent must own its unit directly");
      const FieldDef* via = e.field(s.via);
      if (!via || via->type != FieldType::id || via->ref != s.parent_entity || !via->required)
        fail("bad_scope", e.name + "." + s.via,
             "via must be a required id field referring to " + s.parent_entity);
    }
  }
}

}  // namespace

std::optional<int> Workflow::rank(std::string_view state) const {
  for (std::size_t i = 0; i < states.size(); ++i)
    if (states[i] == state) return static_cast<int>(i);
  return std::nullopt;
}

bool Workflow::allows(std::string_view from, std::string_view to) const {
  auto it = transitions.find(std::string(from));
  return it != transitions.end() && it->second.count(std::string(to)) > 0;
}

bool FieldDef::allows_value(std::string_view v) const {
  return std::find(values.begin(), values.end(), v) != values.end();
}

const FieldDef* EntityDef::field(std::string_view name_) const {
  for (const auto& f : fields)
    if (f.name == name_) return &f;
  return nullptr;
}

std::string_view to_string(FieldType type) {
  for (const auto& [name, t] : field_types())
    if (t == type) return name;
  return "string";
}

std::string_view to_string(MergePolicy policy) {
  for (const auto& [name, p] : merge_policies())
    if (p == policy) return name;
  return "lww";
}

Model Model::from_json(const Json& document) {
  if (!document.is_object()) fail("wrong_type", "", "the model must be a JSON object");
  check_members(document, {"schema_version", "description", "workflows", "entities"}, "");
  Model m;
  const Json& version = member(document, "schema_version", "");
  if (!version.is_number_integer() || version.get<std::int64_t>() < 1)
    fail("wrong_type", "schema_version", "must be a positive integer");
  m.schema_version_ = version.get<int>();
  if (document.contains("workflows")) {
    if (!document["workflows"].is_object()) fail("wrong_type", "workflows", "must be an object");
    for (const auto& [name, doc] : document["workflows"].items())
      m.workflows_[name] = parse_workflow(name, doc);
  }
  const Json& entities = member(document, "entities", "");
  if (!entities.is_object() || entities.empty())
    fail("wrong_type", "entities", "must be a non-empty object");
  for (const auto& [name, doc] : entities.items())
    m.entities_.push_back(parse_entity(name, doc, m.workflows_));
  check_cross_references(m);
  return m;
}

Model Model::load_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) fail("unreadable", "", "cannot read model file " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  Json doc = Json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) fail("invalid_json", "", path.string() + " is not valid JSON");
  return from_json(doc);
}

const EntityDef* Model::entity(std::string_view name) const {
  for (const auto& e : entities_)
    if (e.name == name) return &e;
  return nullptr;
}

const EntityDef& Model::require_entity(std::string_view name) const {
  const EntityDef* e = entity(name);
  if (!e) throw Error(ErrorDomain::model, "unknown_entity", "unknown entity " + std::string(name));
  return *e;
}

const Workflow* Model::workflow(std::string_view name) const {
  auto it = workflows_.find(name);
  return it == workflows_.end() ? nullptr : it->second.get();
}

}  // namespace fieldsync
