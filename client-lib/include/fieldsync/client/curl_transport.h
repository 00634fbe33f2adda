#pragma once
// The real Transport: HTTP(S) over libcurl, with retries (retry_policy.h). This header does not
// expose libcurl.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "fieldsync/client/retry_policy.h"
#include "fieldsync/client/transport.h"

namespace fieldsync::client {

struct CurlOptions {
  std::string base_url;    // "http://127.0.0.1:8080" or "https://sync.example.org"; no path needed
  std::string ca_file;     // PEM bundle to verify the server with; empty = the system's default
  bool verify_tls = true;  // certificate and host name checks; off only when asked for here
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{60'000};  // one attempt, connect included
  RetryPolicy retry;
  std::string user_agent = "fieldsync-client/0.1";
  // Optional. Polled during a transfer and during a backoff wait; once it returns true, send()
  // stops and throws Error(transport, "cancelled"). Called on the thread that runs send().
  std::function<bool()> cancelled;
};

// Contract:
// - The constructor checks base_url (http:// or https://, throws Error(client,
//   "invalid_options") otherwise) and creates ONE libcurl easy handle that every send() reuses,
//   so connections are kept alive and reused between exchanges. Only http and https are ever
//   spoken; redirects are not followed (a 3xx is returned like any status).
// - NOT thread-safe: one thread at a time may call send() (or the accessors). Use one
//   CurlTransport per thread if several are needed.
// - send() requests base_url + request.path (path must start with '/'; throws Error(client,
//   "invalid_request") otherwise, or when a header name or value holds CR/LF). GET sends no
//   body; any other method sends request.body with a Content-Length. Exactly the caller's
//   headers are sent, plus Host, User-Agent, Accept-Encoding (gzip/deflate, decoded here) and
//   Content-Length; libcurl's own Content-Type and Expect defaults are suppressed.
// - It returns the server's response (status, lower-case header names, decoded body) after the
//   retries of options.retry, or throws Error(transport, code) when no response came:
//   "unreachable" (could not resolve or connect), "timeout", "tls" (handshake or verification),
//   "cancelled", "network" (anything else). The message names the method, the URL and libcurl's
//   own explanation.
class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  HttpResponse send(const HttpRequest& request) override;

  const CurlOptions& options() const;
  // New connections opened since construction (libcurl's CURLINFO_NUM_CONNECTS summed over every
  // attempt): stays at 1 while keep-alive reuses one connection.
  long connections_opened() const;
  // Attempts made by the last send() (1 when it needed no retry).
  int last_attempts() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fieldsync::client
