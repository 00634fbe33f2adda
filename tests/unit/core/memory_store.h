#pragma once
// An in-memory row store for merge tests: applies ops through merge_op, giving each applied
// op the next sequence number, as the server does.
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "fieldsync/core/merge.h"

namespace fieldsync::testing {

class MemoryStore final : public RowReader {
 public:
  explicit MemoryStore(const Model& model) : model_(model) {}

  std::optional<Row> find(std::string_view entity, std::string_view id) const override {
    auto it = rows_.find({std::string(entity), std::string(id)});
    if (it == rows_.end()) return std::nullopt;
    return it->second;
  }

  MergeResult apply(const Op& op) {
    MergeResult r = merge_op(model_, op, find(op.entity, op.id), ++seq_, *this);
    for (const auto& row : r.writes) rows_[{row.entity, row.id}] = row;
    return r;
  }

  Row row(const std::string& entity, const std::string& id) const {
    return find(entity, id).value();
  }
  const std::map<std::pair<std::string, std::string>, Row>& rows() const { return rows_; }
  std::int64_t seq() const { return seq_; }

 private:
  const Model& model_;
  std::map<std::pair<std::string, std::string>, Row> rows_;
  std::int64_t seq_ = 0;
};

}  // namespace fieldsync::testing
