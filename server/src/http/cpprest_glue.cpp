#include "http/cpprest_glue.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <memory>
#include <string>

#include "http/query_string.h"

namespace fieldsync::server::http {
namespace {

using Streambuf = concurrency::streams::streambuf<std::uint8_t>;
using Scratch = std::array<std::uint8_t, 16 * 1024>;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

void discard_next(Streambuf buffer, std::shared_ptr<Scratch> scratch) {
  buffer.getn(scratch->data(), scratch->size())
      .then([buffer, scratch](pplx::task<std::size_t> read) {
        std::size_t count = 0;
        try {
          count = read.get();  // a continuation's antecedent is complete: get() does not block
        } catch (...) {
          return;  // the peer went away; nothing left to drain
        }
        if (count == 0) return;
        try {
          discard_next(buffer, scratch);
        } catch (...) {
          // could not schedule the next read: the connection ends when the listener closes
        }
      });
}

}  // namespace

std::optional<ApiResponse> describe_request(const web::http::http_request& request,
                                            ApiRequest& out) {
  out.method = request.method();
  const web::uri& uri = request.request_uri();
  out.path = uri.path();
  out.remote_address = request.remote_address();
  out.headers.clear();
  for (const auto& [name, value] : request.headers()) out.headers[lower(name)] = value;
  out.query.clear();
  if (auto problem = parse_query(uri.query(), out.query)) {
    return ApiResponse::error(400, "bad_request", *problem);
  }
  return std::nullopt;
}

web::http::http_response to_http_response(const ApiResponse& response, bool close_connection) {
  web::http::http_response message(static_cast<web::http::status_code>(response.status));
  for (const auto& [name, value] : response.headers) message.headers().add(name, value);
  if (!response.body.empty()) {
    message.set_body(std::string(response.body), response.content_type);
  }
  if (close_connection) message.headers().add("Connection", "close");
  return message;
}

void discard_body(const web::http::http_request& request) {
  discard_next(request.body().streambuf(), std::make_shared<Scratch>());
}

}  // namespace fieldsync::server::http
