#pragma once
// A small blocking HTTP client for tests, over libcurl. Connect timeout 5 s, total 30 s; never
// uses a proxy; never sends "Expect: 100-continue".
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace fieldsync::testing {

using Headers = std::map<std::string, std::string>;

struct HttpResult {
  long status = 0;
  std::string body;
  Headers headers;  // lower-case names

  // The body parsed as JSON; throws nlohmann::json::parse_error when it is not.
  nlohmann::json json() const { return nlohmann::json::parse(body); }
  std::string header(const std::string& lower_case_name) const;  // "" when absent
};

// Transport failures (refused, reset, timeout) throw std::runtime_error naming the curl error.
// One client per thread.
class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult get(const std::string& url, const Headers& headers = {});
  HttpResult post(const std::string& url, const std::string& body, const Headers& headers = {});
  // Sends body with "Transfer-Encoding: chunked" and no Content-Length.
  HttpResult post_chunked(const std::string& url, const std::string& body,
                          const Headers& headers = {});
  // Any method; body sent with Content-Length unless chunked.
  HttpResult request(const std::string& method, const std::string& url, const std::string* body,
                     const Headers& headers, bool chunked = false);

 private:
  void* curl_;  // CURL*
};

}  // namespace fieldsync::testing
