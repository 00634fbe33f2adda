#include "case_history.h"

#include <algorithm>
#include <map>
#include <set>

namespace fieldsync::client {
namespace {

// The entries of one row's stamps, grouped by the op that wrote them.
void add_stamp_entries(const Row& row, const std::set<std::string>& own_ops,
                       std::vector<HistoryEntry>& out) {
  std::map<std::string, HistoryEntry> by_op;
  auto note = [&](const Json& meta, const std::string& field, std::int64_t version) {
    if (!meta.is_object() || !meta.contains("op") || !meta["op"].is_string()) return;
    const std::string op = meta["op"];
    if (own_ops.count(op)) return;
    HistoryEntry& e = by_op[op];
    if (e.op_id.empty()) {
      e.op_id = op;
      e.hlc = meta.value("hlc", "");
      e.device_id = meta.value("dev", "");
      e.user_id = meta.value("usr", "");
      e.entity = row.entity;
      e.row_id = row.id;
      e.source = "stamps";
      e.version = version;
      e.state = "confirmed";  // another device's write reaches this one only from the server
    }
    if (std::find(e.fields.begin(), e.fields.end(), field) == e.fields.end())
      e.fields.push_back(field);
  };
  if (row.stamps.is_object())
    for (const auto& [field, meta] : row.stamps.items())
      if (meta.is_object()) note(meta, field, meta.value("ver", std::int64_t{0}));
  // Append lists keep every entry's writer, not only the last one.
  if (row.values.is_object())
    for (const auto& [field, value] : row.values.items()) {
      if (!value.is_array()) continue;
      for (const Json& entry : value) {
        if (!entry.is_object() || !entry.contains("op") || !entry.contains("dev")) continue;
        Json meta = {{"op", entry["op"]},
                     {"hlc", entry.value("hlc", "")},
                     {"dev", entry["dev"]},
                     {"usr", entry.value("usr", "")}};
        note(meta, field, 0);
      }
    }
  for (auto& [op, entry] : by_op) {
    std::sort(entry.fields.begin(), entry.fields.end());
    out.push_back(std::move(entry));
  }
}

}  // namespace

std::vector<HistoryEntry> case_history(const std::vector<Row>& rows, const Outbox& outbox) {
  std::vector<std::pair<std::string, std::string>> keys;
  for (const Row& row : rows) keys.emplace_back(row.entity, row.id);
  std::vector<HistoryEntry> out;
  std::set<std::string> own_ops;
  for (const OutboxEntry& e : outbox.for_rows(keys)) {
    HistoryEntry h;
    h.hlc = e.op.hlc.to_string();
    h.device_id = e.op.device_id;
    h.user_id = e.op.user_id;
    h.op_id = e.op.op_id;
    h.entity = e.op.entity;
    h.row_id = e.op.id;
    h.kind = std::string(to_string(e.op.kind));
    for (const auto& [name, value] : e.op.fields.items()) h.fields.push_back(name);
    h.values = e.op.fields;
    h.source = "outbox";
    h.state = std::string(to_string(e.state));
    h.version = e.seq;
    own_ops.insert(h.op_id);
    out.push_back(std::move(h));
  }
  for (const Row& row : rows) add_stamp_entries(row, own_ops, out);
  std::stable_sort(out.begin(), out.end(), [](const HistoryEntry& a, const HistoryEntry& b) {
    return std::tie(a.hlc, a.device_id, a.op_id) < std::tie(b.hlc, b.device_id, b.op_id);
  });
  return out;
}

}  // namespace fieldsync::client
