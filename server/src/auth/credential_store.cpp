#include "auth/credential_store.h"

namespace fieldsync::server::detail {

std::optional<Credential> CredentialStore::find_by_login(std::string_view login) const {
  sqlite::Statement& st = db_.prepare_cached(
      "SELECT user_id, login, kdf, iterations, salt, hash, updated_at FROM credentials"
      " WHERE login = ?1");
  st.bind(1, login);
  std::optional<Credential> found;
  if (st.step()) {
    found = Credential{st.column_text(0),
                       st.column_text(1),
                       {st.column_text(2), static_cast<int>(st.column_int64(3)), st.column_blob(4),
                        st.column_blob(5)},
                       st.column_text(6)};
  }
  st.reset();
  return found;
}

bool CredentialStore::login_taken(std::string_view login) const {
  sqlite::Statement& st = db_.prepare_cached("SELECT 1 FROM credentials WHERE login = ?1");
  st.bind(1, login);
  const bool taken = st.step();
  st.reset();
  return taken;
}

void CredentialStore::insert(const Credential& c) {
  sqlite::Statement& st = db_.prepare_cached(
      "INSERT INTO credentials (user_id, login, kdf, iterations, salt, hash, updated_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  st.bind(1, c.user_id);
  st.bind(2, c.login);
  st.bind(3, c.password.kdf);
  st.bind(4, c.password.iterations);
  st.bind(5, c.password.salt);
  st.bind(6, c.password.hash);
  st.bind(7, c.updated_at);
  st.run();
}

void CredentialStore::set_password(std::string_view user_id, const PasswordHash& password,
                                   const std::string& updated_at) {
  sqlite::Statement& st = db_.prepare_cached(
      "UPDATE credentials SET kdf = ?2, iterations = ?3, salt = ?4, hash = ?5, updated_at = ?6"
      " WHERE user_id = ?1");
  st.bind(1, user_id);
  st.bind(2, password.kdf);
  st.bind(3, password.iterations);
  st.bind(4, password.salt);
  st.bind(5, password.hash);
  st.bind(6, updated_at);
  st.run();
}

void CredentialStore::erase(std::string_view user_id) {
  sqlite::Statement& st = db_.prepare_cached("DELETE FROM credentials WHERE user_id = ?1");
  st.bind(1, user_id);
  st.run();
}

bool CredentialStore::empty() const {
  sqlite::Statement& st = db_.prepare_cached("SELECT 1 FROM credentials LIMIT 1");
  const bool any = st.step();
  st.reset();
  return !any;
}

}  // namespace fieldsync::server::detail
