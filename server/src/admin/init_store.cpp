#include <system_error>

#include "admin/input_checks.h"
#include "auth/credential_store.h"
#include "auth/directory_writer.h"
#include "auth/time_text.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/server/server_identity.h"
#include "fieldsync/sqlite/op_applier.h"

namespace fieldsync::server {
namespace {

namespace fs = std::filesystem;

bool has_rows(sqlite::Database& db, const std::string& table) {
  sqlite::Statement exists =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  exists.bind(1, table);
  if (!exists.step()) return false;
  return db.prepare("SELECT 1 FROM \"" + table + "\" LIMIT 1").step();
}

// True when the store at `path` already has units, users or credentials. Opens it read-only,
// so looking changes nothing.
bool initialised(const fs::path& path) {
  sqlite::OpenOptions read_only;
  read_only.read_only = true;
  read_only.create = false;
  sqlite::Database db = sqlite::Database::open(path, read_only);
  return has_rows(db, "entity_unit") || has_rows(db, "entity_user") || has_rows(db, "credentials");
}

void remove_store_files(const fs::path& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    fs::remove(fs::path(path.string() + suffix), ignored);
}

void check(const InitOptions& options, std::string_view admin_password) {
  detail::check_password(admin_password);
  detail::check_unit_name(options.unit_name);
  if (options.unit_kind != "plant" && options.unit_kind != "bureau")
    throw Error(ErrorDomain::validation, "invalid_kind",
                "the root unit is a 'plant' or a 'bureau', not '" + options.unit_kind + "'");
  detail::check_login(options.admin_login);
  detail::check_display_name(options.admin_display_name);
}

InitResult populate(sqlite::Database& db, const fs::path& path, std::string_view admin_password,
                    const InitOptions& options, WallClock& clock, RandomSource& random) {
  const Model& model = embedded_model();
  const std::int64_t now = clock.now_ms();
  InitResult result{path, make_uuid_v7(now, random), make_uuid_v7(now, random)};
  detail::CredentialStore(db).insert(
      {result.admin_user_id, options.admin_login,
       hash_password(admin_password, random, options.password_iterations), detail::utc_text(now)});
  detail::DirectoryWriter writer(db, model, random);
  writer.create("unit", result.root_unit_id,
                {{"name", options.unit_name}, {"kind", options.unit_kind}}, system_user_id(), now);
  writer.create("user", result.admin_user_id,
                {{"unit_id", result.root_unit_id},
                 {"login", options.admin_login},
                 {"display_name", options.admin_display_name},
                 {"role", "admin"},
                 {"disabled", false}},
                system_user_id(), now);
  return result;
}

}  // namespace

InitResult init_store(const fs::path& data_dir, std::string_view admin_password,
                      const InitOptions& options, WallClock& clock, RandomSource& random) {
  check(options, admin_password);
  const fs::path path = store_path(data_dir);
  const bool existed = fs::exists(path);
  if (existed && initialised(path))
    throw Error(ErrorDomain::storage, "already_initialised",
                "the data directory " + data_dir.string() +
                    " already holds an initialised store; use the unit and user commands");
  if (!fs::exists(data_dir)) {
    fs::create_directories(data_dir);
    fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace);
  }
  try {
    sqlite::Database db = sqlite::open_store(path, embedded_model(), store_options());
    if (!existed)
      fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write,
                      fs::perm_options::replace);
    return populate(db, path, admin_password, options, clock, random);
  } catch (...) {
    if (!existed) remove_store_files(path);
    throw;
  }
}

}  // namespace fieldsync::server
