#include <optional>
#include <string_view>

#include "fieldsync/core/error.h"
#include "fieldsync/core/model.h"
#include "fieldsync/sqlite/op_applier.h"
#include "fuzz_targets.h"

namespace fieldsync::fuzz {

int model_loader(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Json document = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return 0;
  std::optional<Model> model;
  try {
    model.emplace(Model::from_json(document));
  } catch (const Error& e) {
    if (e.code().empty()) invariant_broken("a model error without a code");
    return 0;
  }
  if (model->schema_version() < 1) invariant_broken("a model with schema_version < 1 loaded");
  for (const EntityDef& entity : model->entities())
    if (model->entity(entity.name) != &entity) invariant_broken("entity lookup disagrees");
  // Names from the model become SQL identifiers: every model it accepts must make its tables
  // (an exception escaping here is a finding).
  sqlite::open_store(":memory:", *model);
  return 0;
}

}  // namespace fieldsync::fuzz
