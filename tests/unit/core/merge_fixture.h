#pragma once
// Shared setup for merge tests: the real model, a case created at version 1, and a helper
// that builds ops as a device would.
#include <string>

#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/core/uuid.h"
#include "memory_store.h"

namespace fieldsync::testing {

inline const Model& real_model() {
  static const Model model = Model::load_file(std::string(FIELDSYNC_SCHEMA_DIR) + "/model.json");
  return model;
}

inline std::string test_id(const std::string& name) {
  return make_uuid_from_name("test/" + name);
}

inline const std::string kUnit = test_id("unit-a");
inline const std::string kOtherUnit = test_id("unit-b");
inline const std::string kCase = test_id("case-1");
inline const std::string kLeader = test_id("leader");

inline Op make_op(OpKind kind, const std::string& entity, const std::string& id, Json fields,
                  const std::string& device, std::int64_t ms, std::int64_t base_version = 0) {
  static int counter = 0;
  Op op;
  op.op_id = test_id("op-" + std::to_string(++counter));
  op.device_id = test_id(device);
  op.user_id = test_id("user-" + device);
  op.entity = entity;
  op.id = id;
  op.kind = kind;
  op.fields = std::move(fields);
  op.hlc = Hlc{ms, 0};
  op.base_version = base_version;
  return op;
}

inline Op case_update(Json fields, const std::string& device, std::int64_t ms,
                      std::int64_t base_version = 1) {
  return make_op(OpKind::update, "case", kCase, std::move(fields), device, ms, base_version);
}

// The op that creates kCase in unit kUnit, made by device "d0" at ms 1000.
inline const Op& case_create_op() {
  static const Op create = make_op(OpKind::create, "case", kCase,
                                   {{"unit_id", kUnit},
                                    {"title", "Housing allocation cut-off"},
                                    {"channel", "visit"},
                                    {"status", "received"},
                                    {"received_at", "2026-11-20T09:00:00Z"},
                                    {"responsible_leader_id", kLeader},
                                    {"handling_path", "solve_quickly"},
                                    {"subjects", {{"add", {"housing_allocation"}}}},
                                    {"notes", {"met at the gate"}}},
                                   "d0", 1000);
  return create;
}

// A store holding kCase, created at version 1.
inline MemoryStore store_with_case() {
  MemoryStore store(real_model());
  store.apply(case_create_op());
  return store;
}

}  // namespace fieldsync::testing
