#include "fieldsync/sqlite/row_store.h"

#include <algorithm>

#include "fieldsync/core/error.h"
#include "fieldsync/sqlite/entity_tables.h"

namespace fieldsync::sqlite {
namespace {

constexpr int kSystemColumnCount = 10;  // id .. extra, in the order of the SQL below
constexpr int kUnitSlot = 1;

// created_by and created_at are written once, by the insert.
bool fixed_after_insert(int slot) {
  return slot == 0 || slot == 4 || slot == 5;
}

void bind_value(Statement& st, int index, const FieldDef& f, const Json& v) {
  if (v.is_null()) return st.bind(index, nullptr);
  switch (f.type) {
    case FieldType::integer: return st.bind(index, v.get<std::int64_t>());
    case FieldType::boolean: return st.bind(index, v.get<bool>() ? 1 : 0);
    case FieldType::number: return st.bind(index, v.get<double>());
    case FieldType::enum_set:
    case FieldType::string_set:
    case FieldType::id_set:
    case FieldType::list:
    case FieldType::json: return st.bind(index, v);
    default: return st.bind(index, v.get<std::string>());
  }
}

Json read_value(const Statement& st, int column, const FieldDef& f) {
  switch (f.type) {
    case FieldType::integer: return st.column_int64(column);
    case FieldType::boolean: return st.column_int64(column) != 0;
    case FieldType::number: return st.column_double(column);
    case FieldType::enum_set:
    case FieldType::string_set:
    case FieldType::id_set:
    case FieldType::list:
    case FieldType::json: return st.column_json(column);
    default: return st.column_text(column);
  }
}

std::string cache_key(std::string_view entity, std::string_view id) {
  std::string key;
  key.reserve(entity.size() + 1 + id.size());
  key.append(entity).push_back('\0');
  key.append(id);
  return key;
}

}  // namespace

RowStore::RowStore(Database& db, const Model& model, ChangeTracking tracking)
    : db_(db), model_(model), tracking_(tracking) {
  for (const auto& e : model_.entities()) {
    EntitySql sql;
    sql.entity = &e;
    sql.table = table_name(e);
    sql.fields = column_fields(e);
    sql.names = {"id",         "unit_id",    "version",    "deleted", "created_by",
                 "created_at", "updated_by", "updated_at", "stamps",  "extra"};
    sql.indexed = {kUnitSlot};
    for (const FieldDef* f : sql.fields) {
      // (A 33rd reference and beyond would be written by every update: one bit each.)
      if (has_index(*f) && sql.indexed.size() < 32)
        sql.indexed.push_back(static_cast<int>(sql.names.size()));
      sql.names.push_back("\"" + f->name + "\"");
    }
    std::string columns, params, updates;
    for (int slot = 0; slot < static_cast<int>(sql.names.size()); ++slot) {
      columns += (slot ? ", " : "") + sql.names[slot];
      params += (slot ? ", ?" : "?") + std::to_string(slot + 1);
      sql.insert.slots.push_back(slot);
      if (!fixed_after_insert(slot))
        updates +=
            (updates.empty() ? "" : ", ") + sql.names[slot] + " = excluded." + sql.names[slot];
    }
    sql.select = "SELECT " + columns + " FROM " + sql.table + " WHERE id = ?1";
    sql.insert.sql = "INSERT INTO " + sql.table + " (" + columns + ") VALUES (" + params + ")";
    sql.upsert = {sql.insert.sql + " ON CONFLICT (id) DO UPDATE SET " + updates, sql.insert.slots};
    sql_.emplace(e.name, std::move(sql));
  }
}

const RowStore::RowWrite& RowStore::EntitySql::update(unsigned changed) const {
  auto it = updates.find(changed);
  if (it != updates.end()) return it->second;
  RowWrite write;
  std::string set;
  for (int slot = 1; slot < static_cast<int>(names.size()); ++slot) {
    if (fixed_after_insert(slot)) continue;
    const auto index = std::find(indexed.begin(), indexed.end(), slot);
    if (index != indexed.end() && !(changed & (1u << (index - indexed.begin())))) continue;
    write.slots.push_back(slot);
    set += (set.empty() ? "" : ", ") + names[slot] + " = ?" + std::to_string(write.slots.size());
  }
  write.slots.push_back(0);
  write.sql =
      "UPDATE " + table + " SET " + set + " WHERE id = ?" + std::to_string(write.slots.size());
  return updates.emplace(changed, std::move(write)).first->second;
}

const RowStore::EntitySql& RowStore::sql_for(std::string_view entity) const {
  auto it = sql_.find(entity);
  if (it == sql_.end())
    throw Error(ErrorDomain::model, "unknown_entity", "unknown entity " + std::string(entity));
  return it->second;
}

void RowStore::keep_batch_rows(bool on) {
  keep_batch_rows_ = on;
  batch_rows_.clear();
}

std::optional<Row> RowStore::find(std::string_view entity, std::string_view id) const {
  if (!keep_batch_rows_) return read(entity, id);
  std::string key = cache_key(entity, id);
  auto it = batch_rows_.find(key);
  if (it == batch_rows_.end()) it = batch_rows_.emplace(std::move(key), read(entity, id)).first;
  return it->second;
}

std::optional<Row> RowStore::read(std::string_view entity, std::string_view id) const {
  const EntitySql& sql = sql_for(entity);
  Statement& st = db_.prepare_cached(sql.select);
  st.bind(1, id);
  if (!st.step()) {
    st.reset();
    return std::nullopt;
  }
  Row row;
  row.entity = std::string(entity);
  row.id = st.column_text(0);
  row.unit_id = st.column_text(1);
  row.version = st.column_int64(2);
  row.deleted = st.column_int64(3) != 0;
  row.created_by = st.column_text(4);
  row.created_at = st.column_text(5);
  row.updated_by = st.column_text(6);
  row.updated_at = st.column_text(7);
  row.stamps = st.column_json(8);
  row.extra = st.column_json(9);
  int column = kSystemColumnCount;
  for (const FieldDef* f : sql.fields) {
    // A NULL column is a value only if some op wrote it (cleared it); otherwise it is absent.
    if (!st.is_null(column)) {
      row.values[f->name] = read_value(st, column, *f);
    } else if (row.stamps.contains(f->name)) {
      row.values[f->name] = nullptr;
    }
    ++column;
  }
  if (sql.entity->field("unit_id")) row.values["unit_id"] = row.unit_id;
  st.reset();
  return row;
}

void RowStore::bind_slot(Statement& st, int param, int slot, const Row& row, const EntitySql& sql) {
  switch (slot) {
    case 0: return st.bind(param, row.id);
    case 1: return st.bind(param, row.unit_id);
    case 2: return st.bind(param, row.version);
    case 3: return st.bind(param, row.deleted ? 1 : 0);
    case 4: return st.bind(param, row.created_by);
    case 5: return st.bind(param, row.created_at);
    case 6: return st.bind(param, row.updated_by);
    case 7: return st.bind(param, row.updated_at);
    case 8: return st.bind(param, row.stamps);
    case 9: return st.bind(param, row.extra);
    default: {
      const FieldDef& f = *sql.fields[static_cast<std::size_t>(slot - kSystemColumnCount)];
      auto it = row.values.find(f.name);
      return bind_value(st, param, f, it == row.values.end() ? Json(nullptr) : *it);
    }
  }
}

void RowStore::write_row(const Row& row, const EntitySql& sql, const RowWrite& write) {
  Statement& st = db_.prepare_cached(write.sql);
  for (std::size_t i = 0; i < write.slots.size(); ++i)
    bind_slot(st, static_cast<int>(i + 1), write.slots[i], row, sql);
  st.run();
}

unsigned RowStore::changed_indexed(const EntitySql& sql, const Row& before, const Row& after) {
  unsigned changed = 0;
  for (std::size_t k = 0; k < sql.indexed.size(); ++k) {
    const int slot = sql.indexed[k];
    bool differs = false;
    if (slot == kUnitSlot) {
      differs = before.unit_id != after.unit_id;
    } else {
      const std::string& name =
          sql.fields[static_cast<std::size_t>(slot - kSystemColumnCount)]->name;
      auto b = before.values.find(name);
      auto a = after.values.find(name);
      const bool b_null = b == before.values.end() || b->is_null();
      const bool a_null = a == after.values.end() || a->is_null();
      differs = b_null != a_null || (!a_null && *a != *b);
    }
    if (differs) changed |= 1u << k;
  }
  return changed;
}

void RowStore::put(const Row& row) {
  const EntitySql& sql = sql_for(row.entity);
  // The unit the row had (change_index holds the unit of every stored row).
  std::optional<std::string> old_unit;
  const std::string key = keep_batch_rows_ ? cache_key(row.entity, row.id) : std::string();
  auto known = keep_batch_rows_ ? batch_rows_.find(key) : batch_rows_.end();
  if (known != batch_rows_.end()) {
    // The stored row is known: insert a new one, or update only the indexed columns that
    // change (SQLite rewrites the index entry of every column a SET names, even unchanged).
    if (known->second) {
      old_unit = known->second->unit_id;
      write_row(row, sql, sql.update(changed_indexed(sql, *known->second, row)));
    } else {
      write_row(row, sql, sql.insert);
    }
  } else {
    if (tracking_ == ChangeTracking::kept) {
      Statement& previous =
          db_.prepare_cached("SELECT unit_id FROM change_index WHERE entity = ?1 AND row_id = ?2");
      previous.bind(1, row.entity);
      previous.bind(2, row.id);
      if (previous.step()) old_unit = previous.column_text(0);
      previous.reset();
    }
    write_row(row, sql, sql.upsert);
  }

  if (tracking_ == ChangeTracking::kept) track_change(row, old_unit);
  if (keep_batch_rows_) batch_rows_.insert_or_assign(key, row);
}

void RowStore::track_change(const Row& row, const std::optional<std::string>& old_unit) {
  Statement& change = db_.prepare_cached(
      "INSERT INTO change_index (entity, row_id, unit_id, version) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (entity, row_id) DO UPDATE SET unit_id = excluded.unit_id,"
      " version = excluded.version");
  change.bind(1, row.entity);
  change.bind(2, row.id);
  change.bind(3, row.unit_id);
  change.bind(4, row.version);
  change.run();

  if (old_unit && *old_unit != row.unit_id) {
    Statement& exit = db_.prepare_cached(
        "INSERT INTO scope_exits (entity, row_id, old_unit_id, new_unit_id, version)"
        " VALUES (?1, ?2, ?3, ?4, ?5)");
    exit.bind(1, row.entity);
    exit.bind(2, row.id);
    exit.bind(3, *old_unit);
    exit.bind(4, row.unit_id);
    exit.bind(5, row.version);
    exit.run();
  }
}

int RowStore::move_dependents(const Row& parent, std::int64_t version) {
  std::vector<std::pair<std::string, std::string>> owned;  // (entity, id)
  for (const auto& e : model_.entities()) {
    if (e.scope.parent_entity != parent.entity) continue;
    Statement st = db_.prepare("SELECT id FROM " + table_name(e) + " WHERE \"" + e.scope.via +
                               "\" = ?1 AND unit_id <> ?2");
    st.bind(1, parent.id);
    st.bind(2, parent.unit_id);
    while (st.step()) owned.emplace_back(e.name, st.column_text(0));
  }
  std::vector<std::string> targets = {parent.id};
  for (const auto& [entity, id] : owned) targets.push_back(id);
  if (model_.entity("conflict")) {
    Statement& conflicts =
        db_.prepare_cached("SELECT id FROM entity_conflict WHERE row_id = ?1 AND unit_id <> ?2");
    for (const auto& target : targets) {
      conflicts.bind(1, target);
      conflicts.bind(2, parent.unit_id);
      std::vector<std::string> ids;
      while (conflicts.step()) ids.push_back(conflicts.column_text(0));
      conflicts.reset();
      for (auto& id : ids) owned.emplace_back("conflict", std::move(id));
    }
  }
  for (const auto& [entity, id] : owned) {
    Row row = find(entity, id).value();
    row.unit_id = parent.unit_id;
    if (row.values.contains("unit_id")) row.values["unit_id"] = parent.unit_id;
    row.version = version;
    put(row);
  }
  return static_cast<int>(owned.size());
}

}  // namespace fieldsync::sqlite
