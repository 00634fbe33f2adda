#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "fieldsync/core/error.h"
#include "fieldsync/core/op_codec.h"
#include "fieldsync/server/json_body.h"
#include "fieldsync/server/sync_service.h"
#include "fieldsync/sqlite/embedded_schema.h"
#include "fieldsync/sqlite/op_applier.h"
#include "fuzz_targets.h"

namespace fieldsync::fuzz {
namespace {

// The ids the seed corpus uses: a plant, Unit A under it, and a field leader of Unit A signed in
// on one device.
constexpr const char* kPlant = "01930000-0000-7000-8000-0000000000a0";
constexpr const char* kUnitA = "01930000-0000-7000-8000-0000000000a1";
constexpr const char* kLeader = "01930000-0000-7000-8000-0000000000b1";
constexpr const char* kDevice = "01930000-0000-7000-8000-0000000000c1";
constexpr const char* kSystem = "01930000-0000-7000-8000-000000000001";

// A wall clock fixed at 2026-11-26T08:00:00Z, so stamps in the corpus stay "now".
class FixedClock final : public WallClock {
 public:
  std::int64_t now_ms() override { return 1'764'144'000'000; }
};

// A server store in a temporary directory, removed at exit, with the plant, Unit A and the
// leader in it.
struct Store {
  Store()
      : model(Model::from_json(Json::parse(sqlite::embedded_model_json()))),
        dir(make_dir()),
        db(sqlite::open_store(dir / "fieldsync.db", model)),
        service(db, model, clock) {
    sqlite::OpApplier applier(db, model);
    std::int64_t counter = 0;
    const auto server_op = [&](const char* entity, const char* id, Json fields) {
      Op op;
      op.op_id = "01930000-0000-7000-8000-00000000f0" + std::to_string(10 + counter);
      op.device_id = kSystem;
      op.user_id = kSystem;
      op.entity = entity;
      op.id = id;
      op.kind = OpKind::create;
      op.fields = std::move(fields);
      op.hlc = Hlc{clock.now_ms(), static_cast<std::uint32_t>(counter++)};
      return op;
    };
    const auto answers = applier.apply_batch(
        {server_op("unit", kPlant, {{"name", "Plant"}, {"kind", "plant"}}),
         server_op("unit", kUnitA, {{"name", "Unit A"}, {"kind", "unit"}, {"parent_id", kPlant}}),
         server_op("user", kLeader,
                   {{"unit_id", kUnitA},
                    {"login", "leader_a"},
                    {"display_name", "Leader A"},
                    {"role", "field_leader"}})},
        nullptr, "2026-11-26T08:00:00.000Z", Author::server);
    for (const auto& a : answers)
      if (a.status != sqlite::OpStatus::accepted) invariant_broken("the fuzz store did not set up");
    caller.user_id = kLeader;
    caller.device_id = kDevice;
    caller.role = server::Role::field_leader;
    caller.unit_id = kUnitA;
    caller.units = {kUnitA};
  }
  ~Store() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  static std::filesystem::path make_dir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "fieldsync-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) invariant_broken("mkdtemp failed");
    return pattern;
  }

  FixedClock clock;
  Model model;
  std::filesystem::path dir;
  sqlite::Database db;
  server::SyncService service;
  server::Access caller;
};

}  // namespace

int push_body(const std::uint8_t* data, std::size_t size) {
  static Store store;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Json body;
  try {
    body = server::parse_json_body(text);
  } catch (const Error& e) {
    if (e.code() != "invalid_json" && e.code() != "duplicate_member")
      invariant_broken("parse_json_body threw an unexpected code");
    return 0;
  }
  Json answer;
  try {
    answer = store.service.push(store.caller, body);
  } catch (const Error& e) {
    if (e.code() != "bad_request" && e.code() != "batch_too_large")
      invariant_broken("push threw an unexpected code");
    return 0;
  }
  static const std::set<std::string> kStatuses = {"accepted", "conflict", "duplicate", "rejected"};
  const Json& results = answer.at("results");
  if (results.size() != body.at("ops").size()) invariant_broken("not one answer per op");
  for (const Json& r : results)
    if (!r.is_object() || !kStatuses.count(r.value("status", "")))
      invariant_broken("an answer without a known status");
  // The answer must be writable as the HTTP edge writes it.
  (void)answer.dump(-1, ' ', false, Json::error_handler_t::replace);
  return 0;
}

}  // namespace fieldsync::fuzz
