#pragma once
// The HTTP API's requests and responses as plain values. The cpprestsdk edge converts to and
// from these, so everything behind it (routing, auth, the sync service) knows nothing of the
// HTTP library and can be driven in tests without sockets.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fieldsync::server {

struct ApiRequest {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // "/v1/sync/pull", no query string
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // raw bytes, already capped by the edge
  std::string remote_address;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;                            // serialised body
  std::map<std::string, std::string> headers;  // extra headers (e.g. Retry-After)

  static ApiResponse json(int status, const nlohmann::json& body);
  // {"error":{"code":code,"message":message}} (+ "problems" when given).
  static ApiResponse error(int status, const std::string& code, const std::string& message,
                           const nlohmann::json& details = nullptr);
};

// Anything that answers API requests. REQUIRES of implementations: thread-safe, never throws
// (a failure is an error response).
class ApiHandler {
 public:
  virtual ~ApiHandler() = default;
  virtual ApiResponse handle(const ApiRequest& request) = 0;
  // The HTTP edge answered `request` with `status` itself, before any handler saw it (a body
  // over the cap, no Content-Length, overload, shutdown): for counting. Never throws.
  virtual void refused(const ApiRequest& request, int status) noexcept {
    static_cast<void>(request);
    static_cast<void>(status);
  }
};

}  // namespace fieldsync::server
