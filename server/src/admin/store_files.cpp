#include "fieldsync/server/admin.h"
#include "fieldsync/sqlite/embedded_schema.h"

namespace fieldsync::server {

const Model& embedded_model() {
  static const Model model = Model::from_json(Json::parse(sqlite::embedded_model_json()));
  return model;
}

std::filesystem::path store_path(const std::filesystem::path& data_dir) {
  return data_dir / "fieldsync.db";
}

sqlite::OpenOptions store_options() {
  sqlite::OpenOptions options;
  options.synchronous = sqlite::Synchronous::full;
  return options;
}

}  // namespace fieldsync::server
