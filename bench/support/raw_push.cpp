#include "raw_push.h"

#include "fieldsync/core/op_codec.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/sqlite/op_applier.h"

namespace fieldsync::bench {
namespace {

std::filesystem::path created(const std::filesystem::path& path) {
  sqlite::open_store(path, server::embedded_model(), server::store_options());
  return path;
}

}  // namespace

RawPushStore::RawPushStore(const std::filesystem::path& path) : db_(created(path), "FULL") {}

RawStatement& RawPushStore::statement(const std::string& sql) {
  auto& slot = statements_[sql];
  if (!slot) slot = std::make_unique<RawStatement>(db_.handle(), sql);
  return *slot;
}

std::vector<RawPushStore::RawOp> RawPushStore::prepare(const std::vector<Op>& ops) {
  std::vector<RawOp> out;
  for (const Op& op : ops) {
    const Json stamp = {{"dev", op.device_id},
                        {"hlc", op.hlc.to_string()},
                        {"op", op.op_id},
                        {"usr", op.user_id},
                        {"ver", 0}};
    Json stamps = Json::object();
    for (const auto& [name, value] : op.fields.items()) stamps[name] = stamp;
    out.push_back(
        {&op, encode_op(op).dump(), op.kind == OpKind::create ? stamps.dump() : stamp.dump()});
  }
  return out;
}

void RawPushStore::apply(const std::vector<RawOp>& ops, const std::string& unit_id) {
  db_.exec("BEGIN IMMEDIATE");
  for (const RawOp& raw : ops) {
    const Op& op = *raw.op;
    const std::int64_t seq = ++seq_;
    const std::string table = "entity_" + op.entity;
    statement(
        "INSERT INTO op_log (seq, op_id, device_id, user_id, entity, row_id, kind, hlc,"
        " base_version, schema_version, op_json, outcome, outcome_json, received_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, 'accepted',"
        " '{\"op_id\":\"' || ?2 || '\",\"seq\":' || ?1 || ',\"status\":\"accepted\"}', ?11)")
        .bind(1, seq)
        .bind(2, op.op_id)
        .bind(3, op.device_id)
        .bind(4, op.user_id)
        .bind(5, op.entity)
        .bind(6, op.id)
        .bind(7, to_string(op.kind))
        .bind(8, op.hlc.to_string())
        .bind(9, op.base_version)
        .bind(10, raw.op_json)
        .bind(11, "2026-11-26T08:00:00.000Z")
        .run();
    std::string columns, values, sets, paths;
    int param = 4;
    for (const auto& [name, value] : op.fields.items()) {
      if (name == "unit_id") continue;
      columns += ", \"" + name + "\"";
      values += ", ?" + std::to_string(++param);
      sets += "\"" + name + "\" = ?" + std::to_string(param) + ", ";
      paths += ", '$." + name + "', json(?4)";
    }
    const bool create = op.kind == OpKind::create;
    RawStatement& row =
        create ? statement("INSERT INTO " + table +
                           " (id, version, unit_id, stamps, created_by, created_at, updated_by,"
                           " updated_at" +
                           columns + ") VALUES (?1, ?2, ?3, ?4, '', '', '', ''" + values + ")")
               : statement("UPDATE " + table + " SET " + sets + "stamps = json_set(stamps" + paths +
                           "), version = ?2 WHERE id = ?1");
    row.bind(1, op.id).bind(2, seq).bind(3, unit_id).bind(4, raw.stamps_json);
    param = 4;
    for (const auto& [name, value] : op.fields.items())
      if (name != "unit_id")
        row.bind(++param, value.is_string() ? value.get<std::string>() : value.dump());
    row.run();
    (create ? statement("INSERT INTO change_index (entity, row_id, unit_id, version)"
                        " VALUES (?1, ?2, ?3, ?4)")
            : statement("UPDATE change_index SET version = ?4"
                        " WHERE entity = ?1 AND row_id = ?2"))
        .bind(1, op.entity)
        .bind(2, op.id)
        .bind(3, unit_id)
        .bind(4, seq)
        .run();
  }
  db_.exec("COMMIT");
}

}  // namespace fieldsync::bench
