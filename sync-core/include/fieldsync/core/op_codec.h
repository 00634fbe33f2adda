#pragma once
// The JSON wire form of an Op (docs/protocol.md, "Op format"):
//
//   {"op_id": "<uuid>", "device_id": "<uuid>", "user_id": "<uuid>", "entity": "case",
//    "id": "<uuid>", "kind": "create|update|delete|reopen|resolve", "fields": {...},
//    "hlc": "WWWWWWWWWWWWW-CCCC", "base_version": 0, "schema_version": 1, "workflow_gen": 0}
//
// Every member is required; no other member is allowed. The codec checks structure and types
// only; whether the op fits the model is validate_op's job (validation.h).
#include <string_view>

#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"

namespace fieldsync {

// The wire form of `op`, all eleven members. decode_op(encode_op(op)) == op for any op that
// decode_op would accept.
Json encode_op(const Op& op);

// Decodes a wire op. Pure: `doc` is never modified. On any problem throws
// Error{ErrorDomain::codec, <code of the first problem>, <summary>, problems} listing EVERY
// problem found (field path, code, message); codes are listed in docs/protocol.md. For every
// accepted doc, encode_op(decode_op(doc)) == doc.
Op decode_op(const Json& doc);

// Parses `text` as JSON and decodes it. Text over kMaxOpBytes is refused before parsing
// (too_large); text that is not JSON gives invalid_json, an object with a repeated member
// name gives duplicate_member. Throws only fieldsync::Error.
Op decode_op_text(std::string_view text);

}  // namespace fieldsync
