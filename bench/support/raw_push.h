#pragma once
// The growth baseline: raw SQLite writing what a push writes for each op, with hand-written
// SQL into a store with the server's own tables and indexes: the op_log row, the entity row
// (an insert, or an UPDATE of the op's columns with the field's stamp set by json_set), and
// the change_index row, one transaction per batch, WAL with synchronous=FULL as the server.
// No validation, merge, JSON trees, office flags or answers: what any store keeping the latest
// row, its change index and the op log must write, so its cost as the store grows is the
// storage's own.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fieldsync/core/op.h"
#include "raw_sqlite.h"

namespace fieldsync::bench {

class RawPushStore {
 public:
  // Creates the store's tables and indexes (through open_store, untimed) at `path`.
  explicit RawPushStore(const std::filesystem::path& path);

  // One op's texts, made before the clock starts: its wire form and the stamps it writes
  // (all of a new row's, or the one of each field it updates).
  struct RawOp {
    const Op* op;
    std::string op_json, stamps_json;
  };
  static std::vector<RawOp> prepare(const std::vector<Op>& ops);
  // Writes the ops of a device of `unit_id` in one transaction.
  void apply(const std::vector<RawOp>& ops, const std::string& unit_id);

 private:
  RawStatement& statement(const std::string& sql);

  RawDb db_;
  std::int64_t seq_ = 0;
  std::map<std::string, std::unique_ptr<RawStatement>> statements_;
};

}  // namespace fieldsync::bench
