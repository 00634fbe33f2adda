#include "replica.h"

#include "fieldsync/core/error.h"
#include "fieldsync/sqlite/entity_tables.h"

namespace fieldsync::client {

Replica::Replica(sqlite::Database& db, const Model& model)
    : db_(db), model_(model), rows_(db, model, sqlite::ChangeTracking::none) {}

std::optional<Row> Replica::find(std::string_view entity, std::string_view id) const {
  if (!model_.entity(entity)) return std::nullopt;
  return rows_.find(entity, id);
}

bool Replica::has_local_changes(std::string_view entity, std::string_view id) const {
  sqlite::Statement& st =
      db_.prepare_cached("SELECT 1 FROM replica_confirmed WHERE entity = ?1 AND row_id = ?2");
  st.bind(1, entity);
  st.bind(2, id);
  const bool found = st.step();
  st.reset();
  return found;
}

std::int64_t Replica::confirmed_version(std::string_view entity, std::string_view id) const {
  sqlite::Statement& st = db_.prepare_cached(
      "SELECT row_json FROM replica_confirmed WHERE entity = ?1 AND row_id = ?2");
  st.bind(1, entity);
  st.bind(2, id);
  if (st.step()) {
    const Json confirmed = st.column_json(0);
    st.reset();
    return confirmed.is_object() ? confirmed.value("version", std::int64_t{0}) : 0;
  }
  st.reset();
  auto row = find(entity, id);
  return row ? row->version : 0;
}

void Replica::keep_confirmed(std::string_view entity, std::string_view id) {
  if (has_local_changes(entity, id)) return;  // the first copy is the confirmed one
  auto row = find(entity, id);
  sqlite::Statement& st = db_.prepare_cached(
      "INSERT INTO replica_confirmed (entity, row_id, row_json) VALUES (?1, ?2, ?3)");
  st.bind(1, entity);
  st.bind(2, id);
  if (row) {
    st.bind(3, row_to_json(*row));
  } else {
    st.bind(3, nullptr);
  }
  st.run();
}

void Replica::apply_local(const Op& op) {
  std::optional<Row> current = find(op.entity, op.id);
  MergeResult merged = merge_op(model_, op, current, 0, rows_);
  for (const Row& row : merged.writes) {
    const std::optional<Row> before =
        &row == &merged.writes.front() ? current : find(row.entity, row.id);
    if (before && *before == row) continue;  // lost the merge: nothing to show
    keep_confirmed(row.entity, row.id);
    rows_.put(row);
  }
}

void Replica::restore_confirmed() {
  std::vector<std::pair<std::string, std::string>> keys;
  std::vector<Json> copies;
  {
    sqlite::Statement st = db_.prepare("SELECT entity, row_id, row_json FROM replica_confirmed");
    while (st.step()) {
      keys.emplace_back(st.column_text(0), st.column_text(1));
      copies.push_back(st.column_json(2));
    }
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (copies[i].is_null()) {
      erase_view_row(keys[i].first, keys[i].second);
    } else {
      rows_.put(row_from_json(copies[i]));
    }
  }
  db_.exec("DELETE FROM replica_confirmed");
}

void Replica::put_server_row(const Row& row) {
  if (!model_.entity(row.entity)) return;  // an entity of a newer model: nothing shows it
  auto current = rows_.find(row.entity, row.id);
  if (current && current->version > row.version) return;  // a stale copy: keep the newer
  rows_.put(row);
}

void Replica::drop_server_row(std::string_view entity, std::string_view id) {
  if (!model_.entity(entity)) return;
  erase_view_row(entity, id);
}

void Replica::erase_view_row(std::string_view entity, std::string_view id) {
  const EntityDef& def = model_.require_entity(entity);
  sqlite::Statement& row =
      db_.prepare_cached("DELETE FROM " + sqlite::table_name(def) + " WHERE id = ?1");
  row.bind(1, id);
  row.run();
}

}  // namespace fieldsync::client
