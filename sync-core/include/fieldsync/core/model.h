#pragma once
// The domain model (schema/model.json): entity types, their fields, each field's type,
// allowed values, merge policy, whether it is personal data, and which unit owns a row.
// Everything that needs a field list (tables, validation, merge, codec) reads it from here.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fieldsync/core/op_kind.h"

namespace fieldsync {

using Json = nlohmann::json;

enum class FieldType {
  string,   // short text, max_length (default 200) characters
  text,     // long text, max_length (default 20000)
  integer,  // 64-bit signed, optional min/max
  number,   // double
  boolean,
  timestamp,    // RFC 3339 UTC, "2026-11-26T06:05:03Z" or with .sss milliseconds
  date,         // "YYYY-MM-DD"
  id,           // a UUID, optionally referring to an entity (ref)
  enumeration,  // one of values ("enum" in the file)
  enum_set,     // a set of values
  string_set,   // a set of short strings
  id_set,       // a set of UUIDs
  list,         // an append-only list of items (items: "text" or "json")
  json,         // any JSON value (server-made records)
};

enum class MergePolicy { lww, flag, workflow, set, append, counter };

std::string_view to_string(FieldType type);
std::string_view to_string(MergePolicy policy);

// Ordered states of a workflow field, the forward transitions allowed, and the states a
// reopen op may go back to. rank() orders states: the furthest state wins a merge.
struct Workflow {
  std::string name;
  std::vector<std::string> states;
  std::map<std::string, std::set<std::string>> transitions;
  std::set<std::string> reopen_to;

  std::optional<int> rank(std::string_view state) const;
  bool allows(std::string_view from, std::string_view to) const;
  bool has_state(std::string_view state) const { return rank(state).has_value(); }
};

struct FieldDef {
  std::string name;
  FieldType type = FieldType::string;
  bool required = false;
  std::vector<std::string> values;  // enumeration / enum_set
  MergePolicy policy = MergePolicy::lww;
  bool personal = false;       // petitioners' personal data
  bool server_origin = false;  // set by the server only; devices may not write it
  std::string ref;             // entity an id / id_set refers to, or empty
  std::string items;           // list item kind: "text" or "json"
  std::optional<std::int64_t> min, max;
  std::int64_t max_length = 0;               // string/text/string_set items; 0 for other types
  std::shared_ptr<const Workflow> workflow;  // set when policy == workflow
  std::string description;

  bool allows_value(std::string_view v) const;
};

// How a row's owning unit is decided: its own field (`field`, e.g. "unit_id", or "id" for
// units themselves), or the owning unit of a parent row referred to by `via`.
struct Scope {
  std::string field;          // set when owned through a field of the row
  std::string parent_entity;  // set when owned through a parent row
  std::string via;            // the field holding the parent's id

  bool through_parent() const { return !parent_entity.empty(); }
};

struct EntityDef {
  std::string name;
  std::string description;
  std::vector<FieldDef> fields;  // sorted by name
  Scope scope;
  std::set<OpKind> ops;  // op kinds devices may send for this entity

  const FieldDef* field(std::string_view name) const;
  bool allows(OpKind kind) const { return ops.count(kind) > 0; }
  // Only create ops: rows are never changed after creation (visits).
  bool append_only() const { return ops.size() == 1 && allows(OpKind::create); }
};

// A checked, immutable model. Copies are cheap to share (entities are held by value but the
// model is meant to be loaded once and passed by const reference).
class Model {
 public:
  // Throws Error{domain model} naming the entity and field at fault.
  static Model load_file(const std::filesystem::path& path);
  static Model from_json(const Json& document);

  int schema_version() const { return schema_version_; }
  const EntityDef* entity(std::string_view name) const;
  const EntityDef& require_entity(std::string_view name) const;  // throws model/unknown_entity
  const std::vector<EntityDef>& entities() const { return entities_; }
  const Workflow* workflow(std::string_view name) const;

 private:
  int schema_version_ = 0;
  std::vector<EntityDef> entities_;
  std::map<std::string, std::shared_ptr<const Workflow>, std::less<>> workflows_;
};

}  // namespace fieldsync
