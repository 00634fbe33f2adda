#include "auth/token_store.h"

namespace fieldsync::server::detail {

void TokenStore::insert(const TokenRecord& t) {
  sqlite::Statement& st = db_.prepare_cached(
      "INSERT INTO tokens (token_hash, user_id, device_id, created_at, expires_at, revoked_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  st.bind(1, t.token_hash);
  st.bind(2, t.user_id);
  st.bind(3, t.device_id);
  st.bind(4, t.created_at);
  st.bind(5, t.expires_at);
  st.bind(6, t.revoked_at);
  st.run();
}

std::optional<TokenRecord> TokenStore::find(std::string_view token_hash) const {
  sqlite::Statement& st = db_.prepare_cached(
      "SELECT token_hash, user_id, device_id, created_at, expires_at, revoked_at FROM tokens"
      " WHERE token_hash = ?1");
  st.bind(1, token_hash);
  std::optional<TokenRecord> found;
  if (st.step()) {
    found = TokenRecord{st.column_text(0),  st.column_text(1),  st.column_text(2),
                        st.column_int64(3), st.column_int64(4), st.column_optional_int64(5)};
  }
  st.reset();
  return found;
}

int TokenStore::revoke_where(const char* sql, std::string_view key, std::int64_t now_ms) {
  sqlite::Statement& st = db_.prepare_cached(sql);
  st.bind(1, key);
  st.bind(2, now_ms);
  st.run();
  return static_cast<int>(db_.changes());
}

int TokenStore::revoke(std::string_view token_hash, std::int64_t now_ms) {
  return revoke_where(
      "UPDATE tokens SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL", token_hash,
      now_ms);
}

int TokenStore::revoke_user(std::string_view user_id, std::int64_t now_ms) {
  return revoke_where("UPDATE tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
                      user_id, now_ms);
}

int TokenStore::revoke_device(std::string_view device_id, std::int64_t now_ms) {
  return revoke_where(
      "UPDATE tokens SET revoked_at = ?2 WHERE device_id = ?1 AND revoked_at IS NULL", device_id,
      now_ms);
}

void TokenStore::prune_expired_before(std::int64_t cutoff_ms) {
  sqlite::Statement& st = db_.prepare_cached("DELETE FROM tokens WHERE expires_at < ?1");
  st.bind(1, cutoff_ms);
  st.run();
}

}  // namespace fieldsync::server::detail
