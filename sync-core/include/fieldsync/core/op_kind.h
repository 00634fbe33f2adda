#pragma once
// The kinds of operation a device can send. Stable names: they appear on the wire.
#include <optional>
#include <string_view>

namespace fieldsync {

enum class OpKind {
  create,   // a new row with its initial fields
  update,   // changes to some fields of an existing row
  remove,   // tombstones a row ("delete" on the wire)
  reopen,   // moves a workflow field back to a reopen state, with a reason
  resolve,  // decides an open conflict record
};

std::string_view to_string(OpKind kind);
std::optional<OpKind> op_kind_from_string(std::string_view text);

}  // namespace fieldsync
