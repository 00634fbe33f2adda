#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fieldsync/core/error.h"
#include "fieldsync/core/op_codec.h"
#include "fieldsync/core/validation.h"
#include "fieldsync/sqlite/embedded_schema.h"
#include "fuzz_targets.h"

namespace fieldsync::fuzz {

void invariant_broken(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

int op_codec(const std::uint8_t* data, std::size_t size) {
  static const Model model = Model::from_json(Json::parse(sqlite::embedded_model_json()));
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Op op;
  try {
    op = decode_op_text(text);
  } catch (const Error& e) {
    if (e.code().empty()) invariant_broken("a codec error without a code");
    return 0;
  }
  const Json wire = encode_op(op);
  if (!(decode_op(wire) == op)) invariant_broken("decode_op(encode_op(op)) != op");
  // op_codec.h: for every accepted document, encode_op(decode_op(doc)) == doc.
  if (wire != Json::parse(text)) invariant_broken("encode_op(decode_op(doc)) != doc");
  for (const Problem& p : validate_op(model, op, nullptr, Author::device))
    if (p.code.empty()) invariant_broken("a validation problem without a code");
  return 0;
}

}  // namespace fieldsync::fuzz
