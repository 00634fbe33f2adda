#pragma once
// Session tokens: 32 random bytes as unpadded base64url (43 characters), and the SHA-256 the
// store keeps instead of the token.
#include <string>
#include <string_view>

#include "fieldsync/core/clock.h"

namespace fieldsync::server::detail {

inline constexpr std::size_t kTokenBytes = 32;
inline constexpr std::size_t kTokenChars = 43;

std::string new_token(RandomSource& random);
// Lower-case hex SHA-256 of the token text (64 characters).
std::string token_hash(std::string_view token);
// True when `text` has the shape of a token this server issues.
bool looks_like_token(std::string_view text);
// Compares two hashes without an early exit (CRYPTO_memcmp); false when lengths differ.
bool same_hash(std::string_view a, std::string_view b);

}  // namespace fieldsync::server::detail
