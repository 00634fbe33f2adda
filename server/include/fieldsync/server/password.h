#pragma once
// Password hashing for sign-in: PBKDF2-HMAC-SHA256 (OpenSSL) with a random 16-byte salt and a
// 32-byte hash. A stored hash records its KDF and iteration count, so hashes made under an
// older default still verify after the default is raised.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fieldsync/core/clock.h"

namespace fieldsync::server {

// OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
inline constexpr int kDefaultPasswordIterations = 600'000;
inline constexpr std::size_t kPasswordSaltBytes = 16;
inline constexpr std::size_t kPasswordHashBytes = 32;
inline constexpr std::string_view kPbkdf2Sha256 = "pbkdf2-sha256";

struct PasswordHash {
  std::string kdf = std::string(kPbkdf2Sha256);
  int iterations = 0;
  std::vector<std::uint8_t> salt;
  std::vector<std::uint8_t> hash;

  bool operator==(const PasswordHash&) const = default;
};

// Hashes `password` with a fresh salt from `random`. Throws Error(internal, "bad_iterations")
// unless iterations >= 1, Error(internal, "kdf_failed") if OpenSSL fails.
PasswordHash hash_password(std::string_view password, RandomSource& random,
                           int iterations = kDefaultPasswordIterations);

// True when `password` hashes to stored.hash under stored.salt and stored.iterations. The
// comparison takes the same time wherever the bytes differ (CRYPTO_memcmp). False, without
// running the KDF, for a hash this code cannot have made (unknown kdf, iterations < 1, a hash
// not kPasswordHashBytes long).
bool verify_password(std::string_view password, const PasswordHash& stored);

}  // namespace fieldsync::server
