#pragma once
// The materialised state of one row of an entity, as stored by the client and the server.
//
// `values` holds each field's current value in its read form (a set as a sorted array, an
// append list as its ordered entries, a counter as its total). `stamps` holds, per field, what
// the merge needs to stay order-independent (see merge.h): the HLC, device, op and version of
// the last write, set element stamps, counter parts, workflow generation. `extra` keeps
// fields from a newer model verbatim so they are never dropped.
#include <cstdint>
#include <string>

#include "fieldsync/core/model.h"

namespace fieldsync {

struct Row {
  std::string entity;
  std::string id;
  std::string unit_id;       // owning unit: decides who may see the row
  std::int64_t version = 0;  // server sequence of its last accepted change
  bool deleted = false;      // tombstone
  Json values = Json::object();
  Json stamps = Json::object();
  Json extra = Json::object();
  std::string created_by;  // user id
  std::string created_at;  // HLC text of the creating op
  std::string updated_by;
  std::string updated_at;

  bool operator==(const Row&) const = default;
};

// Lossless JSON form, used on the wire (pull, snapshot) and in tests.
Json row_to_json(const Row& row);
// Throws Error{codec} on a malformed row document.
Row row_from_json(const Json& doc);

}  // namespace fieldsync
