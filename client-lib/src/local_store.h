#pragma once
// The device's SQLite file with everything the library keeps in it: the replica (view and
// confirmed copies), the outbox and the device state. Opened with synchronous=FULL, so a
// committed write survives a power cut, not only a crash of the app.
#include <filesystem>
#include <string>

#include "device_state.h"
#include "fieldsync/core/model.h"
#include "fieldsync/sqlite/database.h"
#include "outbox.h"
#include "replica.h"

namespace fieldsync::client {

// Not movable: the parts hold references to `db`.
class LocalStore {
 public:
  // `vfs`: the SQLite VFS to open the file through (empty: the default).
  LocalStore(const std::filesystem::path& path, const Model& model, const std::string& vfs = {});
  LocalStore(const LocalStore&) = delete;
  LocalStore& operator=(const LocalStore&) = delete;

  sqlite::Database db;
  Replica replica;
  Outbox outbox;
  DeviceState state;
};

// Deletes `path` and its -wal, -shm and -journal companions (those that exist). Throws
// Error{storage, "wipe_failed"} naming a file that exists but could not be removed.
// REQUIRES: no connection to the file is open.
void delete_database_files(const std::filesystem::path& path);

}  // namespace fieldsync::client
