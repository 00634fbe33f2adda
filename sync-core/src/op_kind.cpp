#include "fieldsync/core/op_kind.h"

namespace fieldsync {

std::string_view to_string(OpKind kind) {
  switch (kind) {
    case OpKind::create: return "create";
    case OpKind::update: return "update";
    case OpKind::remove: return "delete";
    case OpKind::reopen: return "reopen";
    case OpKind::resolve: return "resolve";
  }
  return "update";
}

std::optional<OpKind> op_kind_from_string(std::string_view text) {
  for (OpKind k :
       {OpKind::create, OpKind::update, OpKind::remove, OpKind::reopen, OpKind::resolve}) {
    if (to_string(k) == text) return k;
  }
  return std::nullopt;
}

}  // namespace fieldsync
