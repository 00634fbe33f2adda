#pragma once
// The credentials table: one password hash per user, found by login or user id.
#include <optional>
#include <string>
#include <string_view>

#include "fieldsync/server/password.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::server::detail {

struct Credential {
  std::string user_id;
  std::string login;
  PasswordHash password;
  std::string updated_at;
};

// REQUIRES: `db` is an open store and outlives this object; one thread at a time.
class CredentialStore {
 public:
  explicit CredentialStore(sqlite::Database& db) : db_(db) {}

  std::optional<Credential> find_by_login(std::string_view login) const;
  bool login_taken(std::string_view login) const;
  // Throws Error(storage, "constraint") when the user or the login already has a row.
  void insert(const Credential& credential);
  void set_password(std::string_view user_id, const PasswordHash& password,
                    const std::string& updated_at);
  void erase(std::string_view user_id);
  bool empty() const;

 private:
  sqlite::Database& db_;
};

}  // namespace fieldsync::server::detail
