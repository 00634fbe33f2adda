#include "auth/directory_writer.h"

#include "auth/time_text.h"
#include "fieldsync/core/hlc.h"
#include "fieldsync/core/op.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/server/server_identity.h"
#include "fieldsync/sqlite/op_applier.h"
#include "fieldsync/sqlite/row_store.h"

namespace fieldsync::server::detail {
namespace {

constexpr std::string_view kStampKey = "server_hlc";

// A wall clock that always reads the time it was given.
class FixedWallClock final : public WallClock {
 public:
  explicit FixedWallClock(std::int64_t ms) : ms_(ms) {}
  std::int64_t now_ms() override { return ms_; }

 private:
  std::int64_t ms_;
};

std::string describe(const Op& op, const std::vector<Problem>& problems) {
  std::string text = "the store refused the server's " + std::string(to_string(op.kind)) + " of " +
                     op.entity + " " + op.id + ":";
  for (const Problem& p : problems) text += " " + p.field + ": " + p.message + " (" + p.code + ");";
  return text;
}

}  // namespace

Hlc next_server_stamp(sqlite::Database& db, std::int64_t now_ms) {
  FixedWallClock wall(now_ms);
  HlcClock clock(wall);
  sqlite::Statement& read = db.prepare_cached("SELECT value FROM sync_state WHERE key = ?1");
  read.bind(1, kStampKey);
  if (read.step())
    if (auto last = Hlc::parse(read.column_text(0))) clock.restore(*last);
  read.reset();
  const Hlc stamp = clock.now();
  sqlite::Statement& write = db.prepare_cached(
      "INSERT INTO sync_state (key, value) VALUES (?1, ?2)"
      " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  write.bind(1, kStampKey);
  write.bind(2, stamp.to_string());
  write.run();
  return stamp;
}

std::int64_t DirectoryWriter::create(std::string_view entity, std::string_view id, Json fields,
                                     std::string_view author, std::int64_t now_ms) {
  Op op;
  op.entity = entity;
  op.id = id;
  op.kind = OpKind::create;
  op.fields = std::move(fields);
  op.user_id = author;
  return apply(std::move(op), now_ms);
}

std::int64_t DirectoryWriter::update(const Row& current, Json fields, std::string_view author,
                                     std::int64_t now_ms) {
  Op op;
  op.entity = current.entity;
  op.id = current.id;
  op.kind = OpKind::update;
  op.fields = std::move(fields);
  op.user_id = author;
  op.base_version = current.version;
  return apply(std::move(op), now_ms);
}

std::optional<Row> DirectoryWriter::find(std::string_view entity, std::string_view id) {
  return sqlite::RowStore(db_, model_).find(entity, id);
}

std::int64_t DirectoryWriter::apply(Op op, std::int64_t now_ms) {
  op.op_id = make_uuid_v7(now_ms, random_);
  op.device_id = server_device_id();
  op.schema_version = model_.schema_version();
  op.hlc = next_server_stamp(db_, now_ms);
  sqlite::OpApplier applier(db_, model_);
  const std::vector<sqlite::OpResult> results =
      applier.apply_batch({op}, nullptr, utc_text(now_ms), Author::server);
  const sqlite::OpResult& result = results.at(0);
  if (result.status != sqlite::OpStatus::accepted)
    throw Error(ErrorDomain::internal, "op_rejected", describe(op, result.problems),
                result.problems);
  return result.seq;
}

}  // namespace fieldsync::server::detail
