#include "fieldsync/core/uuid.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <string>

#include "fieldsync/core/error.h"

namespace fieldsync {
namespace {

using UuidBytes = std::array<std::uint8_t, 16>;

constexpr std::int64_t kMaxUnixMs = (std::int64_t{1} << 48) - 1;
constexpr char kHexDigits[] = "0123456789abcdef";

bool is_dash_position(std::size_t i) {
  return i == 8 || i == 13 || i == 18 || i == 23;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Sets the version nibble (byte 6) and the RFC 9562 variant bits 10 (byte 8).
void set_version_and_variant(UuidBytes& bytes, std::uint8_t version) {
  bytes[6] = static_cast<std::uint8_t>((version << 4) | (bytes[6] & 0x0F));
  bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3F));
}

std::string to_text(const UuidBytes& bytes) {
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHexDigits[bytes[i] >> 4]);
    text.push_back(kHexDigits[bytes[i] & 0x0F]);
  }
  return text;
}

}  // namespace

std::string make_uuid_v7(std::int64_t unix_ms, RandomSource& random) {
  if (unix_ms < 0 || unix_ms > kMaxUnixMs) {
    throw Error(ErrorDomain::internal, "uuid_time_out_of_range",
                "UUIDv7 needs a timestamp in [0, 2^48) ms, got " + std::to_string(unix_ms));
  }
  UuidBytes bytes{};
  random.fill(std::span<std::uint8_t>(bytes).subspan(6));
  for (std::size_t i = 0; i < 6; ++i) {
    bytes[i] = static_cast<std::uint8_t>(unix_ms >> (8 * (5 - i)));
  }
  set_version_and_variant(bytes, 7);
  return to_text(bytes);
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_dash_position(i) ? text[i] != '-' : !is_hex(text[i])) return false;
  }
  return true;
}

std::string make_uuid_from_name(std::string_view name) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (EVP_Digest(name.data(), name.size(), digest.data(), &digest_size, EVP_sha256(), nullptr) !=
          1 ||
      digest_size < 16) {
    throw Error(ErrorDomain::internal, "hash_failed", "OpenSSL could not compute SHA-256");
  }
  UuidBytes bytes{};
  std::copy_n(digest.begin(), bytes.size(), bytes.begin());
  set_version_and_variant(bytes, 8);
  return to_text(bytes);
}

}  // namespace fieldsync
