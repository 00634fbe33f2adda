#pragma once
// Rows of the entity tables, read and written whole. On the server every write also keeps the
// change index (what pull scans by version) and, when a row changes unit, records the scope
// exit so that devices of the old unit learn to drop it.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fieldsync/core/merge.h"
#include "fieldsync/core/model.h"
#include "fieldsync/core/row.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::sqlite {

// Whether row writes keep change_index and scope_exits, which the server's pull reads. A
// tablet's replica reads neither (its pull cursor is the server's), so it does not write them.
enum class ChangeTracking { kept, none };

// REQUIRES: ensure_entity_tables(db, model) and the bookkeeping migrations have run; `db` and
// `model` outlive the store; one thread at a time. Reads see uncommitted writes of the
// enclosing transaction, as the merge of a batch needs.
class RowStore final : public RowReader {
 public:
  RowStore(Database& db, const Model& model, ChangeTracking tracking = ChangeTracking::kept);

  std::optional<Row> find(std::string_view entity, std::string_view id) const override;

  // Inserts or replaces the row. Throws Error{model, unknown_entity} for an entity the model
  // does not have.
  void put(const Row& row);

  // Moves every row owned through `parent` (children whose scope is via the parent, and the
  // conflict records of the parent and of those children) to the parent's unit, stamping them
  // with `version`. Returns how many rows moved.
  int move_dependents(const Row& parent, std::int64_t version);

  // While a batch holds its transaction, rows read or written are kept in memory, so an op
  // that touches a row again (a visit on a new case, the office flags of a case, a conflict
  // record) does not read and re-parse it. Only OpApplier::apply_batch turns this on, for a
  // transaction that either commits whole or rolls back whole (turning it off forgets them).
  void keep_batch_rows(bool on);

 private:
  // A statement writing a row: its SQL and, for each parameter in order, the column slot
  // bound to it (0..9 the system columns id..extra, then the model's columns).
  struct RowWrite {
    std::string sql;
    std::vector<int> slots;
  };
  struct EntitySql {
    const EntityDef* entity = nullptr;
    std::string table;
    std::vector<const FieldDef*> fields;  // column_fields(entity)
    std::vector<std::string> names;       // quoted column name of every slot
    std::vector<int> indexed;             // slots an index holds: unit_id, then references
    std::string select;
    RowWrite insert;  // a row known to be new
    RowWrite upsert;  // a row that may exist
    // UPDATE of a known row by which `indexed` columns change (bit k: indexed[k]); the
    // unchanged ones are left out of the SET, so their indexes are not rewritten.
    const RowWrite& update(unsigned changed) const;
    mutable std::map<unsigned, RowWrite> updates;
  };
  const EntitySql& sql_for(std::string_view entity) const;
  std::optional<Row> read(std::string_view entity, std::string_view id) const;
  static void bind_slot(Statement& st, int param, int slot, const Row& row, const EntitySql& sql);
  static unsigned changed_indexed(const EntitySql& sql, const Row& before, const Row& after);
  void write_row(const Row& row, const EntitySql& sql, const RowWrite& write);
  // The change_index entry of a written row, and its scope exit when its unit changed.
  void track_change(const Row& row, const std::optional<std::string>& old_unit);

  Database& db_;
  const Model& model_;
  ChangeTracking tracking_;
  std::map<std::string, EntitySql, std::less<>> sql_;
  bool keep_batch_rows_ = false;
  // (entity, '\0', id) -> the row, or nullopt when it does not exist.
  mutable std::unordered_map<std::string, std::optional<Row>> batch_rows_;
};

}  // namespace fieldsync::sqlite
