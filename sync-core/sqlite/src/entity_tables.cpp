#include "fieldsync/sqlite/entity_tables.h"

#include <set>

#include "fieldsync/core/error.h"
#include "fieldsync/sqlite/transaction.h"

namespace fieldsync::sqlite {
namespace {

std::string column_type(FieldType type) {
  switch (type) {
    case FieldType::integer:
    case FieldType::boolean: return "INTEGER";
    case FieldType::number: return "REAL";
    default: return "TEXT";
  }
}

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

void create_table(Database& db, const EntityDef& e) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + table_name(e) +
                    " (id TEXT PRIMARY KEY NOT NULL, unit_id TEXT NOT NULL,"
                    " version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,"
                    " created_by TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL DEFAULT '',"
                    " updated_by TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL DEFAULT '',"
                    " stamps TEXT NOT NULL DEFAULT '{}', extra TEXT NOT NULL DEFAULT '{}')";
  db.exec(sql);
}

void add_missing_columns(Database& db, const EntityDef& e) {
  std::map<std::string, std::string> existing;
  Statement info = db.prepare("SELECT name, type FROM pragma_table_info(?)");
  info.bind(1, table_name(e));
  while (info.step()) existing[info.column_text(0)] = info.column_text(1);
  for (const FieldDef* f : column_fields(e)) {
    auto it = existing.find(f->name);
    if (it == existing.end()) {
      db.exec("ALTER TABLE " + table_name(e) + " ADD COLUMN " + quoted(f->name) + " " +
              column_type(f->type));
    } else if (it->second != column_type(f->type)) {
      throw Error(ErrorDomain::storage, "model_not_additive",
                  e.name + "." + f->name + " is stored as " + it->second +
                      " but the model now makes it " + column_type(f->type) +
                      "; model changes must be additive");
    }
  }
}

void create_indexes(Database& db, const EntityDef& e) {
  const std::string t = table_name(e);
  // Versions are read through change_index; an entity table is only ever searched by unit
  // (review, metrics) and by reference. An index holding `version`, which every write
  // changes, would cost each write a random index page.
  db.exec("DROP INDEX IF EXISTS " + t + "_by_unit");
  db.exec("DROP INDEX IF EXISTS " + t + "_by_version");
  db.exec("CREATE INDEX IF NOT EXISTS " + t + "_in_unit ON " + t + " (unit_id)");
  for (const FieldDef* f : column_fields(e)) {
    if (has_index(*f))
      db.exec("CREATE INDEX IF NOT EXISTS " + t + "_by_" + f->name + " ON " + t + " (" +
              quoted(f->name) + ")");
  }
}

void check_model_version(Database& db, const Model& model) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS model_version (id INTEGER PRIMARY KEY CHECK (id = 1),"
      " schema_version INTEGER NOT NULL)");
  Statement read = db.prepare("SELECT schema_version FROM model_version WHERE id = 1");
  if (read.step() && read.column_int64(0) > model.schema_version()) {
    throw Error(ErrorDomain::storage, "model_too_old",
                "this database was built with model version " +
                    std::to_string(read.column_int64(0)) + " but the running model is version " +
                    std::to_string(model.schema_version()) + "; upgrade the software");
  }
  Statement write = db.prepare(
      "INSERT INTO model_version (id, schema_version) VALUES (1, ?)"
      " ON CONFLICT (id) DO UPDATE SET schema_version = excluded.schema_version");
  write.bind(1, model.schema_version());
  write.run();
}

}  // namespace

std::string table_name(const EntityDef& entity) {
  return "entity_" + entity.name;
}

std::vector<const FieldDef*> column_fields(const EntityDef& entity) {
  std::vector<const FieldDef*> out;
  for (const auto& f : entity.fields)
    if (f.name != "unit_id") out.push_back(&f);
  return out;
}

bool has_index(const FieldDef& field) {
  return field.type == FieldType::id && !field.ref.empty();
}

void ensure_entity_tables(Database& db, const Model& model) {
  Transaction tx(db);
  check_model_version(db, model);
  for (const auto& e : model.entities()) {
    create_table(db, e);
    add_missing_columns(db, e);
    create_indexes(db, e);
  }
  tx.commit();
}

}  // namespace fieldsync::sqlite
