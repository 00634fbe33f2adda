#pragma once
// A store on a real SQLite file with the real model, and a dump of everything in it, for
// tests that must show an operation changed nothing.
#include <string>

#include "../core/merge_fixture.h"
#include "fieldsync/sqlite/op_applier.h"
#include "temp_dir.h"

namespace fieldsync::sqlite::testing {

using fieldsync::testing::real_model;

// Every row of every table, in a stable order, as text.
inline std::string dump_database(Database& db) {
  std::string out;
  Statement tables = db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence'"
      " ORDER BY name");
  while (tables.step()) {
    const std::string table = tables.column_text(0);
    out += "== " + table + "\n";
    Statement rows = db.prepare("SELECT * FROM \"" + table + "\" ORDER BY 1");
    while (rows.step()) {
      for (int c = 0; c < rows.column_count(); ++c)
        out += (rows.is_null(c) ? std::string("NULL") : rows.column_text(c)) + "|";
      out += "\n";
    }
  }
  return out;
}

struct StoreFixture {
  TempDir dir;
  Database db = open_store(dir.file("store.db"), real_model());
  OpApplier applier{db, real_model()};

  std::vector<OpResult> apply(const std::vector<Op>& ops, OpGate* gate = nullptr) {
    return applier.apply_batch(ops, gate, "2026-11-26T08:00:00Z");
  }
  OpResult apply(const Op& op, OpGate* gate = nullptr) {
    return apply(std::vector<Op>{op}, gate).at(0);
  }
};

}  // namespace fieldsync::sqlite::testing
