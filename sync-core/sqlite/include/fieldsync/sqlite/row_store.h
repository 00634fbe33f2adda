#pragma once
// Rows of the entity tables, read and written whole. Every write also keeps the change index
// (what pull scans by version) and, when a row changes unit, records the scope exit so that
// devices of the old unit learn to drop it.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fieldsync/core/merge.h"
#include "fieldsync/core/model.h"
#include "fieldsync/core/row.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::sqlite {

// REQUIRES: ensure_entity_tables(db, model) and the bookkeeping migrations have run; `db` and
// `model` outlive the store; one thread at a time. Reads see uncommitted writes of the
// enclosing transaction, as the merge of a batch needs.
class RowStore final : public RowReader {
 public:
  RowStore(Database& db, const Model& model);

  std::optional<Row> find(std::string_view entity, std::string_view id) const override;

  // Inserts or replaces the row. Throws Error{model, unknown_entity} for an entity the model
  // does not have.
  void put(const Row& row);

  // Moves every row owned through `parent` (children whose scope is via the parent, and the
  // conflict records of the parent and of those children) to the parent's unit, stamping them
  // with `version`. Returns how many rows moved.
  int move_dependents(const Row& parent, std::int64_t version);

 private:
  struct EntitySql {
    const EntityDef* entity;
    std::string select;
    std::string upsert;
  };
  const EntitySql& sql_for(std::string_view entity) const;

  Database& db_;
  const Model& model_;
  std::map<std::string, EntitySql, std::less<>> sql_;
};

}  // namespace fieldsync::sqlite
