// Admin: adding and disabling users, resetting passwords.
#include "admin/input_checks.h"
#include "auth/credential_store.h"
#include "auth/directory_writer.h"
#include "auth/login_throttle.h"
#include "auth/time_text.h"
#include "auth/token_store.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/server/auth_policy.h"
#include "fieldsync/server/server_identity.h"
#include "fieldsync/sqlite/transaction.h"

namespace fieldsync::server {
namespace {

UserRecord require_user(const Directory& directory, std::string_view login) {
  if (auto user = directory.user_by_login(login)) return *user;
  throw Error(ErrorDomain::validation, "unknown_user",
              "no user has the login '" + std::string(login) + "'");
}

}  // namespace

UserRecord Admin::add_user(const NewUser& user, std::string_view password) {
  const Model& model = embedded_model();
  detail::check_login(user.login);
  detail::check_display_name(user.display_name);
  detail::check_role(model, user.role);
  detail::check_password(password);
  const UnitRecord unit = resolve_unit(user.unit);
  detail::CredentialStore credentials(db_);
  if (credentials.login_taken(user.login) || directory_.user_by_login(user.login))
    throw Error(ErrorDomain::validation, "login_taken",
                "another user already has the login '" + user.login + "'");

  const std::int64_t now = clock_.now_ms();
  UserRecord record{
      make_uuid_v7(now, random_), user.login, user.display_name, user.role, unit.id, false};
  // The credential first: without its user row it opens nothing, and it is removed again if
  // the user row cannot be written.
  credentials.insert({record.id, record.login,
                      hash_password(password, random_, password_iterations_),
                      detail::utc_text(now)});
  try {
    detail::DirectoryWriter(db_, model, random_)
        .create("user", record.id,
                {{"unit_id", record.unit_id},
                 {"login", record.login},
                 {"display_name", record.display_name},
                 {"role", record.role},
                 {"disabled", false}},
                system_user_id(), now);
  } catch (...) {
    credentials.erase(record.id);
    throw;
  }
  return record;
}

void Admin::disable_user(std::string_view login) {
  const UserRecord user = require_user(directory_, login);
  if (user.disabled) return;
  const std::int64_t now = clock_.now_ms();
  detail::DirectoryWriter writer(db_, embedded_model(), random_);
  writer.update(writer.find("user", user.id).value(), {{"disabled", true}}, system_user_id(), now);
  detail::TokenStore(db_).revoke_user(user.id, now);
}

void Admin::reset_password(std::string_view login, std::string_view password) {
  detail::check_password(password);
  const UserRecord user = require_user(directory_, login);
  const std::int64_t now = clock_.now_ms();
  const PasswordHash hash = hash_password(password, random_, password_iterations_);
  detail::CredentialStore credentials(db_);
  sqlite::Transaction tx(db_);
  credentials.erase(user.id);
  credentials.insert({user.id, user.login, hash, detail::utc_text(now)});
  detail::TokenStore(db_).revoke_user(user.id, now);
  const AuthPolicy policy;
  detail::LoginThrottle(db_, policy.max_failures, policy.failure_window_ms).clear(user.login);
  tx.commit();
}

}  // namespace fieldsync::server
