#pragma once
// The HTTP edge: listens on one address and turns every HTTP request into an ApiRequest for an
// ApiHandler. This header does not expose the HTTP library (cpprestsdk).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fieldsync/server/api_types.h"
#include "fieldsync/server/limits.h"

namespace fieldsync::server {

// "HOST:PORT" as given on the command line. HOST is an IPv4 address or a host name (IPv6 is not
// supported by the edge); PORT 0 asks for a free port.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;

  // Throws std::invalid_argument naming what is wrong with text.
  static ListenAddress parse(std::string_view text);
  std::string to_string() const;  // "HOST:PORT"
};

// Contract:
// - start() binds and listens (throws std::runtime_error if it cannot); port() is then the real
//   port, also when 0 was asked for.
// - Each request becomes an ApiRequest: method, path without query (not percent-decoded),
//   percent-decoded query parameters (a duplicate or malformed one is a 400), lower-case header
//   names, the body bytes, the peer's address. handle() runs on the server's own handler threads,
//   never on a network thread, and may block.
// - Before any body is read: a request with Transfer-Encoding or a POST/PUT/PATCH without
//   Content-Length gets 411 length_required; a Content-Length over limits.max_body_bytes gets
//   413 body_too_large; more than limits.max_requests_in_flight requests at once get 503
//   overloaded. An exception from handle() becomes 500 internal_error (logged, not sent).
//   Every response the edge makes itself is {"error":{"code","message"}}.
// - stop() (also run by the destructor) answers new requests with 503 shutting_down, waits up
//   to limits.shutdown_grace for the requests in flight to be answered, then closes every
//   connection and returns once no handler runs any more. After stop(), the handler is never
//   called again, so it may be destroyed.
// - At most one HttpServer per host:port in a process (cpprestsdk shares listeners per process).
class HttpServer {
 public:
  // Throws std::invalid_argument when listen is not a valid "HOST:PORT".
  HttpServer(std::string_view listen, ApiHandler& handler, HttpLimits limits = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void start();
  void stop();

  std::string host() const;
  std::uint16_t port() const;    // the bound port once started
  std::string base_url() const;  // "http://HOST:PORT"

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fieldsync::server
