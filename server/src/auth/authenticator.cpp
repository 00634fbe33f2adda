#include "fieldsync/server/auth.h"

#include <algorithm>
#include <cctype>

#include "auth/credential_store.h"
#include "auth/directory_writer.h"
#include "auth/login_throttle.h"
#include "auth/time_text.h"
#include "auth/token.h"
#include "auth/token_store.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/server/server_identity.h"
#include "fieldsync/sqlite/transaction.h"

namespace fieldsync::server {
namespace {

using detail::LoginThrottle;
using detail::TokenStore;

constexpr std::size_t kMaxDeviceNameChars = 200;  // a model "string"

[[noreturn]] void refuse(std::string code, std::string message) {
  throw Error(ErrorDomain::auth, std::move(code), std::move(message));
}

[[noreturn]] void bad_credentials() {
  refuse("bad_credentials", "wrong login or password");
}

std::size_t utf8_chars(std::string_view text) {
  std::size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// A hash no password matches (its bytes are random), at the current cost: verifying against it
// takes as long as verifying a real user's password.
PasswordHash dummy_hash(RandomSource& random, int iterations) {
  PasswordHash dummy;
  dummy.iterations = iterations;
  dummy.salt.resize(kPasswordSaltBytes);
  dummy.hash.resize(kPasswordHashBytes);
  random.fill(dummy.salt);
  random.fill(dummy.hash);
  return dummy;
}

void check_device(const std::string& device_id, std::string_view device_name) {
  if (!is_uuid(device_id) || device_id == server_device_id())
    refuse("invalid_device_id", "the device id must be a UUID made by the device");
  if (utf8_chars(device_name) > kMaxDeviceNameChars)
    refuse("invalid_device_name",
           "the device name is longer than " + std::to_string(kMaxDeviceNameChars) + " characters");
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::int64_t seconds_rounded_up(std::int64_t ms) {
  return std::max<std::int64_t>(1, (ms + 999) / 1000);
}

}  // namespace

ThrottledError::ThrottledError(std::int64_t retry_after_seconds)
    : Error(ErrorDomain::auth, "throttled",
            "too many failed sign-ins; try again in " + std::to_string(retry_after_seconds) +
                " seconds"),
      retry_after_seconds_(retry_after_seconds) {}

Authenticator::Authenticator(sqlite::Database& db, const Model& model, RandomSource& random,
                             AuthPolicy policy)
    : db_(db), model_(model), random_(random), policy_(policy), directory_(db) {}

LoginResult Authenticator::login(const LoginRequest& request, std::int64_t now_ms) {
  const std::string device_id = lower_case(request.device_id);
  check_device(device_id, request.device_name);
  LoginThrottle throttle(db_, policy_.max_failures, policy_.failure_window_ms);
  if (const std::int64_t wait = throttle.wait_ms(request.login, device_id, now_ms); wait > 0)
    throw ThrottledError(seconds_rounded_up(wait));

  const std::optional<UserRecord> user = check_password(request.login, request.password);
  if (!user) {
    throttle.record_failure(request.login, device_id, now_ms);
    bad_credentials();
  }
  if (user->disabled)
    refuse("user_disabled", "this user is disabled; the device must remove its local data");
  enrol_device(*user, device_id, request.device_name, now_ms);

  LoginResult result{detail::new_token(random_), user->id, user->unit_id, user->role,
                     now_ms + policy_.token_ttl_ms};
  sqlite::Transaction tx(db_);
  throttle.clear(request.login);
  TokenStore tokens(db_);
  tokens.prune_expired_before(now_ms - policy_.expired_token_retention_ms);
  tokens.insert({detail::token_hash(result.token), user->id, device_id, now_ms,
                 result.expires_at_ms, std::nullopt});
  tx.commit();
  return result;
}

std::optional<UserRecord> Authenticator::check_password(std::string_view login,
                                                        std::string_view password) {
  const std::optional<detail::Credential> credential =
      detail::CredentialStore(db_).find_by_login(login);
  if (!credential) {
    // Same cost as a real check, so response time does not tell which logins exist.
    static_cast<void>(verify_password(password, dummy_hash(random_, policy_.password_iterations)));
    return std::nullopt;
  }
  if (!verify_password(password, credential->password)) return std::nullopt;
  return directory_.user_by_id(credential->user_id);
}

void Authenticator::enrol_device(const UserRecord& user, const std::string& device_id,
                                 std::string_view device_name, std::int64_t now_ms) {
  detail::DirectoryWriter writer(db_, model_, random_);
  const std::string seen_at = detail::utc_text(now_ms);
  if (const std::optional<DeviceRecord> device = directory_.device(device_id)) {
    if (device->user_id != user.id)
      refuse("device_mismatch", "this device is enrolled to another user");
    if (device->revoked)
      refuse("device_revoked", "this device was revoked; it must remove its local data");
    Json changes = {{"last_seen_at", seen_at}};
    if (device->unit_id != user.unit_id) changes["unit_id"] = user.unit_id;
    if (!device_name.empty() && device->name != device_name) changes["name"] = device_name;
    writer.update(writer.find("device", device_id).value(), std::move(changes), user.id, now_ms);
    return;
  }
  Json fields = {{"user_id", user.id},
                 {"unit_id", user.unit_id},
                 {"revoked", false},
                 {"last_seen_at", seen_at}};
  if (!device_name.empty()) fields["name"] = device_name;
  writer.create("device", device_id, std::move(fields), user.id, now_ms);
}

Session Authenticator::authenticate(std::string_view token, std::int64_t now_ms) {
  if (token.empty()) refuse("token_missing", "sign in first: no token was given");
  if (!detail::looks_like_token(token)) refuse("token_invalid", "this token is not valid");
  const std::string hash = detail::token_hash(token);
  const std::optional<detail::TokenRecord> record = TokenStore(db_).find(hash);
  if (!record || !detail::same_hash(record->token_hash, hash))
    refuse("token_invalid", "this token is not valid");

  const std::optional<DeviceRecord> device = directory_.device(record->device_id);
  if (device && device->revoked)
    refuse("device_revoked", "this device was revoked; it must remove its local data");
  const std::optional<UserRecord> user = directory_.user_by_id(record->user_id);
  if (!user || user->disabled)
    refuse("user_disabled", "this user is disabled; the device must remove its local data");
  if (!device || device->user_id != user->id || record->revoked_at)
    refuse("token_invalid", "this token is not valid; sign in again");
  if (now_ms >= record->expires_at)
    refuse("token_expired", "this token has expired; sign in again");
  return {user->id, record->device_id, user->unit_id, user->role, user->login, record->expires_at};
}

void Authenticator::logout(std::string_view token, std::int64_t now_ms) {
  if (token.empty()) refuse("token_missing", "no token was given");
  if (!detail::looks_like_token(token)) refuse("token_invalid", "this token is not valid");
  const std::string hash = detail::token_hash(token);
  TokenStore tokens(db_);
  const std::optional<detail::TokenRecord> record = tokens.find(hash);
  if (!record || !detail::same_hash(record->token_hash, hash))
    refuse("token_invalid", "this token is not valid");
  tokens.revoke(hash, now_ms);
}

}  // namespace fieldsync::server
