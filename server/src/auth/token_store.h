#pragma once
// The tokens table: hashes of issued session tokens, with their user, device and lifetime.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fieldsync/sqlite/database.h"

namespace fieldsync::server::detail {

struct TokenRecord {
  std::string token_hash;
  std::string user_id;
  std::string device_id;
  std::int64_t created_at = 0;  // ms since the Unix epoch
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> revoked_at;
};

// REQUIRES: `db` is an open store and outlives this object; one thread at a time.
class TokenStore {
 public:
  explicit TokenStore(sqlite::Database& db) : db_(db) {}

  void insert(const TokenRecord& token);
  std::optional<TokenRecord> find(std::string_view token_hash) const;
  // Each sets revoked_at = now on the live tokens it covers and returns how many.
  int revoke(std::string_view token_hash, std::int64_t now_ms);
  int revoke_user(std::string_view user_id, std::int64_t now_ms);
  int revoke_device(std::string_view device_id, std::int64_t now_ms);
  // Deletes tokens that expired before `cutoff_ms`.
  void prune_expired_before(std::int64_t cutoff_ms);

 private:
  int revoke_where(const char* sql, std::string_view key, std::int64_t now_ms);

  sqlite::Database& db_;
};

}  // namespace fieldsync::server::detail
