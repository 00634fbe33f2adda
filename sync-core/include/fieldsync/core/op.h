#pragma once
// An operation: one change made by one user on one device to one row. The unit of sync.
// op_id is the idempotency key: the same op applied twice has the effect of applying it once.
//
// How `fields` carries a value depends on the field's merge policy (see docs/protocol.md):
//   lww, flag, workflow  the new value (null clears a field that is not required)
//   set                  {"add": [...], "remove": [...]} (either may be omitted)
//   append               an array of new items; existing items are never changed
//   counter              an integer increment (the initial value on create)
// A resolve op (entity "conflict") carries {"resolution": <value>, "resolution_note": "..."}.
#include <cstdint>
#include <string>

#include "fieldsync/core/hlc.h"
#include "fieldsync/core/model.h"
#include "fieldsync/core/op_kind.h"

namespace fieldsync {

struct Op {
  std::string op_id;      // UUIDv7 made by the device
  std::string device_id;  // UUID of the device that made it
  std::string user_id;    // UUID of the signed-in user
  std::string entity;     // an entity name of the model
  std::string id;         // the row's UUID
  OpKind kind = OpKind::update;
  Json fields = Json::object();
  Hlc hlc;                        // the device's HLC when it made the op
  std::int64_t base_version = 0;  // the row version the writer had seen (0: none)
  int schema_version = 1;         // the model version the device runs
  std::int64_t workflow_gen = 0;  // reopens the writer had seen; a reopen carries seen + 1

  bool operator==(const Op&) const = default;
};

}  // namespace fieldsync
