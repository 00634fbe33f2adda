#include "fieldsync/server/server_app.h"

#include "fieldsync/core/error.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/sqlite/op_applier.h"

namespace fieldsync::server {
namespace {

sqlite::Database open_initialised(const std::filesystem::path& data_dir) {
  const auto path = store_path(data_dir);
  if (!std::filesystem::exists(path))
    throw Error(ErrorDomain::storage, "not_initialised",
                "no FieldSync store in " + data_dir.string() +
                    "; run `fieldsync-server init --data " + data_dir.string() + "` first");
  return sqlite::open_store(path, embedded_model(), store_options());
}

}  // namespace

ServerApp::ServerApp(const std::filesystem::path& data_dir, WallClock& wall, RandomSource& random,
                     AuthPolicy policy, std::int64_t urgent_report_threshold_ms)
    : db_(open_initialised(data_dir)),
      checkpoints_(db_, store_options()),
      sign_in_db_(sqlite::Database::open(store_path(data_dir), store_options())),
      sign_in_(sign_in_db_, embedded_model(), random, policy),
      auth_(db_, embedded_model(), random, policy),
      sync_(db_, embedded_model(), wall),
      review_(db_, wall, urgent_report_threshold_ms),
      router_(sign_in_, auth_, sync_, metrics_, wall, store_path(data_dir), review_) {
  sync_.set_urgent_report_threshold_ms(urgent_report_threshold_ms);
}

}  // namespace fieldsync::server
