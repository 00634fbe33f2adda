#pragma once
// The edge's decision about a request body, made from the headers alone, before any of the body
// is read.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "fieldsync/server/api_types.h"

namespace fieldsync::server::http {

struct BodyFraming {
  std::optional<ApiResponse> refusal;  // set: answer this and do not read the body
  std::size_t content_length = 0;
};

// content_length is the raw Content-Length value (nullopt when absent). Refuses with 411
// length_required a request using Transfer-Encoding, or a POST/PUT/PATCH without Content-Length;
// with 400 bad_request a Content-Length that is not a decimal number; with 413 body_too_large a
// Content-Length over max_body_bytes.
BodyFraming check_body_framing(std::string_view method,
                               const std::optional<std::string>& content_length,
                               bool has_transfer_encoding, std::size_t max_body_bytes);

}  // namespace fieldsync::server::http
