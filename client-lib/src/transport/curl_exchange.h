#pragma once
// One libcurl easy handle and one attempt at an exchange on it. Private to the transport.
#include <memory>
#include <string>

#include "fieldsync/client/curl_transport.h"

namespace fieldsync::client::transport {

// Contract: configured once from CurlOptions (TLS, timeouts, protocols, compression, the cancel
// hook); perform() reuses the handle, so its connection cache keeps connections alive between
// calls. perform() makes exactly one attempt: it returns whatever response arrived (any status)
// or throws Error(transport, code). Not thread-safe.
class CurlExchange {
 public:
  explicit CurlExchange(const CurlOptions& options);
  ~CurlExchange();
  CurlExchange(const CurlExchange&) = delete;
  CurlExchange& operator=(const CurlExchange&) = delete;

  HttpResponse perform(const HttpRequest& request);
  long connections_opened() const { return connections_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  long connections_ = 0;
};

}  // namespace fieldsync::client::transport
