#include "fieldsync/server/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <limits>

#include "fieldsync/core/error.h"

namespace fieldsync::server {
namespace {

std::vector<std::uint8_t> pbkdf2_sha256(std::string_view password,
                                        const std::vector<std::uint8_t>& salt, int iterations) {
  if (password.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error(ErrorDomain::internal, "kdf_failed", "password too long to hash");
  std::vector<std::uint8_t> out(kPasswordHashBytes);
  const int ok = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                                   static_cast<int>(salt.size()), iterations, EVP_sha256(),
                                   static_cast<int>(out.size()), out.data());
  if (ok != 1) throw Error(ErrorDomain::internal, "kdf_failed", "PKCS5_PBKDF2_HMAC failed");
  return out;
}

}  // namespace

PasswordHash hash_password(std::string_view password, RandomSource& random, int iterations) {
  if (iterations < 1)
    throw Error(ErrorDomain::internal, "bad_iterations",
                "password hashing needs at least 1 iteration, not " + std::to_string(iterations));
  PasswordHash result;
  result.iterations = iterations;
  result.salt.resize(kPasswordSaltBytes);
  random.fill(result.salt);
  result.hash = pbkdf2_sha256(password, result.salt, iterations);
  return result;
}

bool verify_password(std::string_view password, const PasswordHash& stored) {
  if (stored.kdf != kPbkdf2Sha256 || stored.iterations < 1 ||
      stored.hash.size() != kPasswordHashBytes)
    return false;
  const std::vector<std::uint8_t> computed =
      pbkdf2_sha256(password, stored.salt, stored.iterations);
  return CRYPTO_memcmp(computed.data(), stored.hash.data(), computed.size()) == 0;
}

}  // namespace fieldsync::server
