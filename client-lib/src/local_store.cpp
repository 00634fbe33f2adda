#include "local_store.h"

#include <system_error>

#include "fieldsync/core/error.h"
#include "fieldsync/sqlite/op_applier.h"

namespace fieldsync::client {
namespace {

sqlite::Database open_replica(const std::filesystem::path& path, const Model& model,
                              const std::string& vfs) {
  sqlite::OpenOptions options;
  options.vfs = vfs;
  sqlite::Database db = sqlite::open_store(path, model, options);
  db.exec("PRAGMA synchronous = FULL");
  return db;
}

}  // namespace

LocalStore::LocalStore(const std::filesystem::path& path, const Model& model,
                       const std::string& vfs)
    : db(open_replica(path, model, vfs)), replica(db, model), outbox(db), state(db) {}

void delete_database_files(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::filesystem::path file = path.string() + suffix;
    std::error_code error;
    std::filesystem::remove(file, error);
    if (error)
      throw Error(ErrorDomain::storage, "wipe_failed",
                  "could not delete " + file.string() + ": " + error.message());
  }
}

}  // namespace fieldsync::client
