#include "fieldsync/server/admin.h"

#include "fieldsync/core/error.h"
#include "fieldsync/sqlite/op_applier.h"

namespace fieldsync::server {
namespace {

sqlite::Database open_initialised(const std::filesystem::path& data_dir) {
  const std::filesystem::path path = store_path(data_dir);
  if (!std::filesystem::exists(path))
    throw Error(ErrorDomain::storage, "not_initialised",
                "no store in " + data_dir.string() + "; run `fieldsync-server init --data " +
                    data_dir.string() + "` first");
  return sqlite::open_store(path, embedded_model(), store_options());
}

}  // namespace

Admin::Admin(const std::filesystem::path& data_dir, WallClock& clock, RandomSource& random,
             int password_iterations)
    : clock_(clock),
      random_(random),
      password_iterations_(password_iterations),
      db_(open_initialised(data_dir)),
      directory_(db_) {}

}  // namespace fieldsync::server
