#include "http/body_framing.h"

#include <charconv>
#include <cstdint>

namespace fieldsync::server::http {
namespace {

bool method_needs_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

BodyFraming check_body_framing(std::string_view method,
                               const std::optional<std::string>& content_length,
                               bool has_transfer_encoding, std::size_t max_body_bytes) {
  BodyFraming framing;
  if (has_transfer_encoding || (!content_length && method_needs_body(method))) {
    framing.refusal = ApiResponse::error(
        411, "length_required",
        "send the request body with a Content-Length header (chunked bodies are not accepted)");
    return framing;
  }
  if (!content_length) return framing;

  const std::string& text = *content_length;
  const bool digits_only =
      !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits_only) {
    framing.refusal =
        ApiResponse::error(400, "bad_request", "the Content-Length header is not a number");
    return framing;
  }
  std::uint64_t length = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), length);
  if (result.ec != std::errc()) length = UINT64_MAX;  // more digits than fit: over any cap
  if (length > max_body_bytes) {
    framing.refusal =
        ApiResponse::error(413, "body_too_large",
                           "the request body (Content-Length " + text + ") is over the limit of " +
                               std::to_string(max_body_bytes) + " bytes");
    return framing;
  }
  framing.content_length = static_cast<std::size_t>(length);
  return framing;
}

}  // namespace fieldsync::server::http
