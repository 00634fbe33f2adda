#pragma once
// Sign-in and session tokens for tablets.
//
// login() checks a password, enrols the device to the user on first sight (a device row made by
// a server-authority op, so it syncs like any row) and returns a fresh random token once; only
// the token's SHA-256 is stored. authenticate() turns a token back into the caller's session,
// or refuses it with a code the device acts on. Errors are fieldsync::Error, domain auth:
//   bad_credentials      wrong password or unknown login (indistinguishable, similar time)
//   throttled            too many failures for the login or the device (ThrottledError)
//   invalid_device_id    the device id is not a UUID, or is the server's own
//   invalid_device_name  the device name is longer than 200 characters
//   device_mismatch      the device is enrolled to another user
//   device_revoked       the device was revoked: it must wipe its local data
//   user_disabled        the user was disabled: the device must wipe its local data
//   token_missing        no token given
//   token_invalid        not a token the server issued, or signed out
//   token_expired        the token's lifetime is over: sign in again
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fieldsync/core/clock.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/model.h"
#include "fieldsync/server/auth_policy.h"
#include "fieldsync/server/directory.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::server {

struct LoginRequest {
  std::string login;
  std::string password;
  std::string device_id;    // UUID chosen by the tablet
  std::string device_name;  // shown to admins; used when the device is enrolled
};

struct LoginResult {
  std::string token;  // base64url of 32 random bytes; shown this once, never stored
  std::string user_id;
  std::string unit_id;
  std::string role;
  std::int64_t expires_at_ms = 0;
};

// Who is calling, as of this request (unit and role are read fresh, not from sign-in time).
struct Session {
  std::string user_id;
  std::string device_id;
  std::string unit_id;
  std::string role;
  std::string login;
  std::int64_t expires_at_ms = 0;
};

// Error(auth, "throttled") carrying how long to wait before trying again.
class ThrottledError final : public Error {
 public:
  explicit ThrottledError(std::int64_t retry_after_seconds);
  std::int64_t retry_after_seconds() const noexcept { return retry_after_seconds_; }

 private:
  std::int64_t retry_after_seconds_;
};

// Contract:
//  - a failed password check (or unknown login) is recorded against the login and the device;
//    once either has policy.max_failures within policy.failure_window_ms, login throws
//    ThrottledError without looking at the password, until enough failures leave the window;
//    a successful login clears the login's failures;
//  - unknown logins run the KDF against a dummy hash, so they take as long as wrong passwords;
//  - a token is accepted until it expires, is signed out, or its device is revoked or its user
//    disabled (these two answer device_revoked / user_disabled even for a signed-out token);
//  - time comes only from the now_ms arguments, randomness only from `random`.
// REQUIRES: `db` is an open store (open_store) for `model`; db, model and random outlive the
// authenticator; one thread at a time per connection (a server may run one authenticator per
// connection, e.g. one for slow logins and one for token checks).
class Authenticator {
 public:
  Authenticator(sqlite::Database& db, const Model& model, RandomSource& random,
                AuthPolicy policy = {});

  LoginResult login(const LoginRequest& request, std::int64_t now_ms);
  Session authenticate(std::string_view token, std::int64_t now_ms);
  // Revokes the token: it answers token_invalid from now on. Signing out twice is allowed.
  // Throws token_missing / token_invalid for a token the server never issued.
  void logout(std::string_view token, std::int64_t now_ms);

  const Directory& directory() const { return directory_; }
  const AuthPolicy& policy() const { return policy_; }

 private:
  // The user whose login and password these are, or nullopt (after the same KDF cost).
  std::optional<UserRecord> check_password(std::string_view login, std::string_view password);
  // Enrols the device to the user on first sight, else checks it is theirs and not revoked
  // and records that it was seen.
  void enrol_device(const UserRecord& user, const std::string& device_id,
                    std::string_view device_name, std::int64_t now_ms);

  sqlite::Database& db_;
  const Model& model_;
  RandomSource& random_;
  AuthPolicy policy_;
  Directory directory_;
};

}  // namespace fieldsync::server
