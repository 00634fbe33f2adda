#pragma once
// How the tablet library talks to the server: one HTTP exchange at a time. The real transport
// is libcurl (curl_transport.h); tests plug in one that calls the server's router in-process
// or drops, duplicates and delays exchanges on purpose.
#include <chrono>
#include <map>
#include <string>

namespace fieldsync::client {

struct HttpRequest {
  std::string method;  // "GET" or "POST"
  std::string path;    // "/v1/sync/pull?cursor=12&limit=500" (path and query, no host)
  std::map<std::string, std::string> headers;  // e.g. "Authorization", "Content-Type"
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// REQUIRES of implementations: send() either returns the server's response (any status) or
// throws fieldsync::Error{ErrorDomain::transport, code} when no response arrived (codes:
// "unreachable", "timeout", "tls", "cancelled", "network"). A transport may retry on its own
// only where the request cannot have been applied twice or is idempotent (every FieldSync
// request is: pushes are deduplicated by op_id).
class Transport {
 public:
  virtual ~Transport() = default;
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

}  // namespace fieldsync::client
