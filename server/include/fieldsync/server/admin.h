#pragma once
// Administration of a server's data directory, as used by the `fieldsync-server` admin
// commands: creating the store, and managing units, users and devices in it.
//
// Every change to a unit, user or device is an op of the server's authority (device
// server_device_id(), user system_user_id()) applied through the OpApplier, so versions, the
// change index and sync see it like any other change. Every input is checked before anything
// is written: a refused call changes nothing. Errors are fieldsync::Error:
//   storage/not_initialised       no store in the data directory (run init)
//   storage/already_initialised   init on a data directory that already has a store
//   validation/empty_password     an empty password
//   validation/invalid_name       an empty unit name, one containing '/', or an empty login
//                                 or display name, or one too long
//   validation/invalid_kind       a unit kind the model does not have
//   validation/invalid_role       a role the model does not have
//   validation/unknown_unit       no unit with that id or name path
//   validation/ambiguous_unit     several units match the name path (use the id)
//   validation/unit_exists        a sibling unit already has that name
//   validation/login_taken        another user has that login
//   validation/unknown_user       no user with that login
//   validation/unknown_device     no device with that id
//   internal/op_rejected          the op applier refused a change the checks let through
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "fieldsync/core/clock.h"
#include "fieldsync/core/model.h"
#include "fieldsync/server/directory.h"
#include "fieldsync/server/password.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::server {

// The model compiled into the binary (schema/model.json), loaded once.
const Model& embedded_model();

// DIR/fieldsync.db.
std::filesystem::path store_path(const std::filesystem::path& data_dir);

// How every server connection opens the store: WAL with synchronous=FULL, so a push is
// answered only once its commit is on disk and an acknowledged op survives a power cut, not
// only a crash of the process (the tablet never sends an acknowledged op again).
sqlite::OpenOptions store_options();

struct InitOptions {
  std::string unit_name = "Plant";
  std::string unit_kind = "plant";  // "plant" or "bureau"
  std::string admin_login = "admin";
  std::string admin_display_name = "Administrator";
  int password_iterations = kDefaultPasswordIterations;
};

struct InitResult {
  std::filesystem::path store;
  std::string root_unit_id;
  std::string admin_user_id;
};

// Creates the data directory (owner-only permissions) if missing, the store in it, a root
// unit and the first admin user with `admin_password`. Refuses (already_initialised) when the
// directory already holds a store with units or users, without touching it. On any failure
// after the store file was created, the file is removed again.
InitResult init_store(const std::filesystem::path& data_dir, std::string_view admin_password,
                      const InitOptions& options, WallClock& clock, RandomSource& random);

// A unit with its depth in the tree (0 for a root), as listed by Admin::unit_tree().
struct UnitTreeEntry {
  UnitRecord unit;
  int depth = 0;
};

struct NewUser {
  std::string login;
  std::string display_name;
  std::string role;
  std::string unit;  // a unit id or a name path from a root ("Plant/Unit 3/Team 2")
};

struct DeviceListing {
  DeviceRecord device;
  std::string user_login;  // empty if the user row is missing
  std::string unit_name;   // empty if the unit row is missing
};

// The admin operations on one initialised store. Not copyable or movable.
// REQUIRES: clock and random outlive the object; one thread at a time.
class Admin {
 public:
  // Opens DIR/fieldsync.db. Throws storage/not_initialised when there is none.
  Admin(const std::filesystem::path& data_dir, WallClock& clock, RandomSource& random,
        int password_iterations = kDefaultPasswordIterations);
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;

  // Adds a unit under `parent` (an id or a name path; empty: a new root).
  UnitRecord add_unit(std::string_view name, std::string_view kind, std::string_view parent);
  // Every unit, depth first from the roots, siblings by name.
  std::vector<UnitTreeEntry> unit_tree() const;
  // The unit `ref` names: a unit id, or a '/'-separated path of names from a root.
  UnitRecord resolve_unit(std::string_view ref) const;

  UserRecord add_user(const NewUser& user, std::string_view password);
  // Disables the user and revokes their tokens; their devices are told to wipe. Disabling a
  // disabled user changes nothing.
  void disable_user(std::string_view login);
  // Sets a new password, revokes the user's tokens (their devices must sign in again, without
  // wiping) and clears their failed sign-ins.
  void reset_password(std::string_view login, std::string_view password);

  std::vector<DeviceListing> list_devices() const;
  // Marks the device revoked and revokes its tokens; it is told to wipe on its next call.
  // Revoking a revoked device changes nothing.
  void revoke_device(std::string_view device_id);

  sqlite::Database& database() { return db_; }
  const Directory& directory() const { return directory_; }

 private:
  WallClock& clock_;
  RandomSource& random_;
  int password_iterations_;
  sqlite::Database db_;
  Directory directory_;
};

}  // namespace fieldsync::server
