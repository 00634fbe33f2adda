#include "fieldsync/server/password.h"

#include <doctest/doctest.h>

#include "../core/fakes.h"
#include "fieldsync/core/error.h"
#include "fieldsync/server/auth_policy.h"

namespace fieldsync::server {
namespace {

using fieldsync::testing::SeededRandom;

constexpr int kFast = 1000;

std::vector<std::uint8_t> bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

TEST_CASE("a hashed password verifies with the right password and not with a wrong one") {
  SeededRandom random(1);
  const PasswordHash stored = hash_password("correct horse", random, kFast);
  CHECK(verify_password("correct horse", stored));
  CHECK_FALSE(verify_password("correct hors", stored));
  CHECK_FALSE(verify_password("Correct horse", stored));
  CHECK_FALSE(verify_password("", stored));
}

TEST_CASE("a hash has a 16-byte random salt, a 32-byte hash and records its KDF and cost") {
  SeededRandom random(2);
  const PasswordHash a = hash_password("same", random, kFast);
  const PasswordHash b = hash_password("same", random, kFast);
  CHECK(a.kdf == "pbkdf2-sha256");
  CHECK(a.iterations == kFast);
  CHECK(a.salt.size() == 16);
  CHECK(a.hash.size() == 32);
  CHECK(a.salt != b.salt);  // a fresh salt each time
  CHECK(a.hash != b.hash);
}

TEST_CASE("tampering with the salt, the hash or the iteration count fails verification") {
  SeededRandom random(3);
  const PasswordHash stored = hash_password("secret", random, kFast);
  PasswordHash salt = stored;
  salt.salt[0] ^= 1;
  CHECK_FALSE(verify_password("secret", salt));
  PasswordHash hash = stored;
  hash.hash[31] ^= 0x80;
  CHECK_FALSE(verify_password("secret", hash));
  PasswordHash cost = stored;
  cost.iterations += 1;
  CHECK_FALSE(verify_password("secret", cost));
  PasswordHash kdf = stored;
  kdf.kdf = "md5";
  CHECK_FALSE(verify_password("secret", kdf));
  PasswordHash shortened = stored;
  shortened.hash.pop_back();
  CHECK_FALSE(verify_password("secret", shortened));
}

TEST_CASE("a hash verifies under its own recorded cost whatever the current default") {
  SeededRandom random(4);
  const PasswordHash old_cost = hash_password("kept", random, 2000);
  const PasswordHash new_cost = hash_password("kept", random, 3000);
  CHECK(old_cost.iterations == 2000);
  CHECK(new_cost.iterations == 3000);
  CHECK(verify_password("kept", old_cost));
  CHECK(verify_password("kept", new_cost));
}

TEST_CASE("the KDF is PBKDF2-HMAC-SHA256 (RFC 7914 test vector)") {
  // PBKDF2-HMAC-SHA256(P = "passwd", S = "salt", c = 1), first 32 bytes.
  PasswordHash known;
  known.iterations = 1;
  known.salt = bytes("salt");
  known.hash = from_hex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
  CHECK(verify_password("passwd", known));
  CHECK_FALSE(verify_password("passwe", known));
}

TEST_CASE("the default cost is OWASP 2023's 600,000 iterations and fewer than one is refused") {
  CHECK(kDefaultPasswordIterations == 600'000);
  CHECK(AuthPolicy{}.password_iterations == 600'000);
  SeededRandom random(5);
  CHECK_THROWS_AS(hash_password("x", random, 0), Error);
  PasswordHash zero = hash_password("x", random, kFast);
  zero.iterations = 0;
  CHECK_FALSE(verify_password("x", zero));
}

}  // namespace
}  // namespace fieldsync::server
