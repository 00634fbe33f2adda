#pragma once
// The entity tables, derived from the domain model: one table per entity with the system
// columns every row has (id, unit_id, version, deleted, created/updated by/at, stamps, extra)
// and one column per model field. Changes to the model are additive, so tables only grow.
#include <string>
#include <vector>

#include "fieldsync/core/model.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::sqlite {

// "entity_<name>": a prefix keeps SQL keywords such as "case" out of table names.
std::string table_name(const EntityDef& entity);

// The model fields stored in their own column (all but a scope field named unit_id, which is
// the system column of the same name), in model order.
std::vector<const FieldDef*> column_fields(const EntityDef& entity);

// True for a field with its own index: a reference to another row.
bool has_index(const FieldDef& field);

// Creates missing tables, columns and indexes (by unit, by every reference) for `model`, in
// one transaction. Safe to run again; drops the (unit_id, version) and (version) indexes of
// stores made before 2026-11-26, which no query read and every write paid for.
// Throws Error{storage, "model_too_old"} when the database was built by a newer model and
// Error{storage, "model_not_additive"} when an existing column's type would change.
// REQUIRES: no transaction is open on `db`.
void ensure_entity_tables(Database& db, const Model& model);

}  // namespace fieldsync::sqlite
