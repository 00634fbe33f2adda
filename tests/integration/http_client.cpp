#include "http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace fieldsync::testing {
namespace {

constexpr long kConnectTimeoutMs = 5'000;
constexpr long kTotalTimeoutMs = 30'000;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* headers = static_cast<Headers*>(user);
  const std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();  // a new response (after a 1xx) starts
  } else if (const auto colon = line.find(':'); colon != std::string::npos) {
    (*headers)[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return size * count;
}

struct ChunkedSource {
  const std::string* body;
  std::size_t offset = 0;
};

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* source = static_cast<ChunkedSource*>(user);
  const std::size_t n = std::min(size * count, source->body->size() - source->offset);
  std::copy_n(source->body->data() + source->offset, n, buffer);
  source->offset += n;
  return n;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

std::string HttpResult::header(const std::string& lower_case_name) const {
  const auto found = headers.find(lower_case_name);
  return found == headers.end() ? std::string() : found->second;
}

HttpClient::HttpClient() {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResult HttpClient::get(const std::string& url, const Headers& headers) {
  return request("GET", url, nullptr, headers);
}

HttpResult HttpClient::post(const std::string& url, const std::string& body,
                            const Headers& headers) {
  return request("POST", url, &body, headers);
}

HttpResult HttpClient::post_chunked(const std::string& url, const std::string& body,
                                    const Headers& headers) {
  return request("POST", url, &body, headers, true);
}

HttpResult HttpClient::request(const std::string& method, const std::string& url,
                               const std::string* body, const Headers& headers, bool chunked) {
  auto* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);
  HttpResult result;
  ChunkedSource source{body};

  std::unique_ptr<curl_slist, SlistDeleter> header_list;
  auto add_header = [&](const std::string& line) {
    curl_slist* grown = curl_slist_append(header_list.get(), line.c_str());
    if (grown == nullptr) throw std::runtime_error("curl_slist_append failed");
    (void)header_list.release();
    header_list.reset(grown);
  };
  add_header("Expect:");
  if (chunked) add_header("Transfer-Encoding: chunked");
  for (const auto& [name, value] : headers) add_header(name + ": " + value);

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, kTotalTimeoutMs);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  if (body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    if (chunked) {
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt(curl, CURLOPT_READDATA, &source);
    } else {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    }
  }
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method != "GET" && method != "POST") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  } else if (method == "GET" && body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "GET");
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list.get());

  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    throw std::runtime_error(method + " " + url + ": " + curl_easy_strerror(code));
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

}  // namespace fieldsync::testing
