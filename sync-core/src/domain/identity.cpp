// Normalised petitioner identities (typology.h).
#include <cstdint>

#include "fieldsync/core/domain/typology.h"

namespace fieldsync::domain {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Trimmed, inner runs of whitespace made one space, ASCII lowercased.
std::string normalise_name(std::string_view raw) {
  const std::string folded = fold_full_width(raw);
  std::string out;
  bool pending_space = false;
  for (char c : folded) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(ascii_lower(c));
  }
  return out;
}

std::string normalise_id_number(std::string_view raw) {
  std::string out;
  for (char c : fold_full_width(raw))
    if (!is_space(c) && c != '-') out.push_back(ascii_upper(c));
  return out;
}

std::string digits_of(std::string_view raw) {
  std::string out;
  for (char c : fold_full_width(raw))
    if (c >= '0' && c <= '9') out.push_back(c);
  return out;
}

}  // namespace

std::string fold_full_width(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(in[i]);
    // Three-byte UTF-8 sequences 1110xxxx 10xxxxxx 10xxxxxx hold U+3000 and U+FF01..U+FF5E.
    if ((b0 & 0xF0) == 0xE0 && i + 2 < in.size()) {
      const auto b1 = static_cast<unsigned char>(in[i + 1]);
      const auto b2 = static_cast<unsigned char>(in[i + 2]);
      if ((b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80) {
        const std::uint32_t cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
        if (cp == 0x3000) {
          out.push_back(' ');
          i += 2;
          continue;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
          out.push_back(static_cast<char>(cp - 0xFEE0));
          i += 2;
          continue;
        }
      }
    }
    out.push_back(static_cast<char>(b0));
  }
  return out;
}

std::string identity_key(const PetitionerFacts& p) {
  const std::string id = normalise_id_number(p.id_number);
  if (!id.empty()) return "id:" + id;
  const std::string name = normalise_name(p.name);
  const std::string phone = digits_of(p.phone);
  if (name.empty() || phone.empty()) return {};
  return "name:" + name + "|phone:" + phone;
}

}  // namespace fieldsync::domain
