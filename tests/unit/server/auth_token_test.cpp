#include <doctest/doctest.h>

#include "auth_fixture.h"

namespace fieldsync::server::testing {
namespace {

struct TokenFixture : ServerFixture {
  std::string unit_a = admin.add_unit("Unit A", "unit", "Plant").id;
  UserRecord wang = add_user("wang", "Plant/Unit A");
  LoginResult w1 = login("wang", "w1");
};

TEST_CASE_FIXTURE(TokenFixture, "a token is accepted until it expires") {
  clock.set(w1.expires_at_ms - 1);
  CHECK(auth.authenticate(w1.token, clock.now_ms()).user_id == wang.id);
  clock.set(w1.expires_at_ms);
  CHECK(auth_error(w1.token) == "token_expired");
  // Signing in again gives a token that works.
  CHECK(auth.authenticate(login("wang", "w1").token, clock.now_ms()).user_id == wang.id);
}

TEST_CASE_FIXTURE(TokenFixture, "missing, malformed and unknown tokens are refused") {
  CHECK(auth_error("") == "token_missing");
  CHECK(auth_error("not a token") == "token_invalid");
  CHECK(auth_error(std::string(43, 'A')) == "token_invalid");  // well-formed, never issued
  std::string altered = w1.token;
  altered[0] = altered[0] == 'A' ? 'B' : 'A';
  CHECK(auth_error(altered) == "token_invalid");
  CHECK(auth_error(w1.token) == "<none>");
}

TEST_CASE_FIXTURE(TokenFixture, "a revoked device is told to wipe, and cannot sign in again") {
  const LoginResult w2 = login("wang", "w2");
  admin.revoke_device(device_id("w1"));
  CHECK(auth_error(w1.token) == "device_revoked");
  CHECK(login_error("wang", "w1") == "device_revoked");
  CHECK(auth_error(w2.token) == "<none>");  // the user's other device is unaffected
  CHECK(query_int(db, "SELECT COUNT(*) FROM tokens WHERE device_id = '" + device_id("w1") +
                          "' AND revoked_at IS NULL") == 0);
  CHECK(query_int(db, "SELECT revoked FROM entity_device WHERE id = '" + device_id("w1") + "'") ==
        1);
}

TEST_CASE_FIXTURE(TokenFixture, "a disabled user is told to wipe, and cannot sign in again") {
  admin.disable_user("wang");
  CHECK(auth_error(w1.token) == "user_disabled");
  CHECK(login_error("wang", "w1") == "user_disabled");
  CHECK(query_int(db, "SELECT COUNT(*) FROM tokens WHERE user_id = '" + wang.id +
                          "' AND revoked_at IS NULL") == 0);
}

TEST_CASE_FIXTURE(TokenFixture, "logout revokes only that token") {
  const LoginResult w2 = login("wang", "w2");
  auth.logout(w1.token, clock.now_ms());
  CHECK(auth_error(w1.token) == "token_invalid");
  CHECK(auth_error(w2.token) == "<none>");
  CHECK_NOTHROW(auth.logout(w1.token, clock.now_ms()));  // signing out twice is fine
  CHECK(error_code([&] { auth.logout("", clock.now_ms()); }) == "token_missing");
  CHECK(error_code([&] { auth.logout(std::string(43, 'z'), clock.now_ms()); }) == "token_invalid");
}

TEST_CASE_FIXTURE(TokenFixture, "a session carries the user's current unit and role") {
  const std::string unit_b = admin.add_unit("Unit B", "unit", "Plant").id;
  db.exec("UPDATE entity_user SET unit_id = '" + unit_b + "', role = 'unit_reviewer' WHERE id = '" +
          wang.id + "'");
  const Session session = auth.authenticate(w1.token, clock.now_ms());
  CHECK(session.unit_id == unit_b);
  CHECK(session.role == "unit_reviewer");
}

TEST_CASE_FIXTURE(TokenFixture, "only the token's hash is stored: the token is nowhere on disk") {
  const std::string hash =
      query_text(db, "SELECT token_hash FROM tokens WHERE device_id = '" + device_id("w1") + "'");
  CHECK(hash.size() == 64);
  CHECK(hash != w1.token);
  const std::filesystem::path file = store_path(data);
  auto on_disk = [&] {
    std::string bytes = file_bytes(file);
    for (const char* suffix : {"-wal", "-shm", "-journal"})
      bytes += file_bytes(file.string() + suffix);
    return bytes;
  };
  for (const char* when : {"in the WAL", "after a checkpoint"}) {
    INFO(when);
    const std::string bytes = on_disk();
    REQUIRE(bytes.size() > 4096);
    CHECK(bytes.find(hash) != std::string::npos);  // the search does find what is there
    CHECK(bytes.find(w1.token) == std::string::npos);
    CHECK(bytes.find("pw-wang") == std::string::npos);  // nor the passwords
    CHECK(bytes.find(kAdminPassword) == std::string::npos);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    admin.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
}

}  // namespace
}  // namespace fieldsync::server::testing
