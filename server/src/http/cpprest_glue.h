#pragma once
// Conversions between cpprestsdk's request/response and the API's plain values. Only files in
// server/src/http/ may include this header (it pulls in cpprestsdk).
#include <optional>

#include <cpprest/http_listener.h>

#include "fieldsync/server/api_types.h"

namespace fieldsync::server::http {

// Fills everything of out but the body: method, path (no query, not percent-decoded), decoded
// query parameters, lower-case header names, the peer's address. Returns a 400 response when the
// query string is malformed.
std::optional<ApiResponse> describe_request(const web::http::http_request& request,
                                            ApiRequest& out);

// The HTTP response for response; close_connection adds "Connection: close".
web::http::http_response to_http_response(const ApiResponse& response, bool close_connection);

// Reads the request body asynchronously and throws it away, a block at a time. cpprestsdk reads
// every body into memory and writes a response only once the body is complete; a body the edge
// refuses is drained this way so that it never accumulates.
void discard_body(const web::http::http_request& request);

}  // namespace fieldsync::server::http
