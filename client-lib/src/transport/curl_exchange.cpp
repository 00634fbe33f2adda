#include "transport/curl_exchange.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <mutex>
#include <new>
#include <string>
#include <string_view>

#include "fieldsync/core/error.h"
#include "transport/curl_error.h"

namespace fieldsync::client::transport {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

bool has_line_break(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw Error(ErrorDomain::client, "invalid_options", "libcurl could not be initialised");
    }
  });
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void append(Slist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) throw std::bad_alloc();
  (void)list.release();
  list.reset(grown);
}

}  // namespace

struct CurlExchange::State {
  CURL* handle = nullptr;
  std::function<bool()> cancelled;
  std::string base_url;  // without a trailing '/'
  std::array<char, CURL_ERROR_SIZE> error{};
  // Filled by the callbacks during one perform().
  HttpResponse* response = nullptr;
  std::string last_header;  // for obsolete folded header lines
  bool cancel_seen = false;

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
    auto* state = static_cast<State*>(self);
    try {
      state->response->body.append(data, size * count);
      return size * count;
    } catch (...) {
      return 0;  // libcurl reports CURLE_WRITE_ERROR
    }
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
    auto* state = static_cast<State*>(self);
    try {
      state->add_header_line(std::string_view(data, size * count));
      return size * count;
    } catch (...) {
      return 0;
    }
  }

  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* state = static_cast<State*>(self);
    try {
      if (state->cancelled && state->cancelled()) state->cancel_seen = true;
    } catch (...) {
      state->cancel_seen = true;  // a hook that throws cannot say "go on"
    }
    return state->cancel_seen ? 1 : 0;
  }

  void add_header_line(std::string_view line) {
    auto& headers = response->headers;
    if (line.starts_with("HTTP/")) {  // a new response (after 1xx): forget the previous one
      headers.clear();
      last_header.clear();
      return;
    }
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      if (!last_header.empty()) headers[last_header] += " " + std::string(trim(line));
      return;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return;  // the blank line ending the headers
    std::string name = lower(trim(line.substr(0, colon)));
    const std::string_view value = trim(line.substr(colon + 1));
    auto [it, inserted] = headers.try_emplace(name, value);
    if (!inserted) it->second.append(", ").append(value);
    last_header = std::move(name);
  }

  template <typename T>
  void set(CURLoption option, T value, const char* what) {
    const CURLcode code = curl_easy_setopt(handle, option, value);
    if (code != CURLE_OK) {
      throw Error(ErrorDomain::client, "invalid_options",
                  std::string("libcurl refused ") + what + ": " + curl_easy_strerror(code));
    }
  }
};

CurlExchange::CurlExchange(const CurlOptions& options) : state_(std::make_unique<State>()) {
  global_init();
  State& s = *state_;
  s.handle = curl_easy_init();
  if (s.handle == nullptr) {
    throw Error(ErrorDomain::client, "invalid_options", "libcurl could not create a handle");
  }
  s.cancelled = options.cancelled;
  s.base_url = options.base_url;
  while (!s.base_url.empty() && s.base_url.back() == '/') s.base_url.pop_back();

  s.set(CURLOPT_NOSIGNAL, 1L, "CURLOPT_NOSIGNAL");
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0: the _STR forms; the bitmask forms are deprecated
  s.set(CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR");
  s.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https", "CURLOPT_REDIR_PROTOCOLS_STR");
#else
  s.set(CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS),
        "CURLOPT_PROTOCOLS");
  s.set(CURLOPT_REDIR_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS),
        "CURLOPT_REDIR_PROTOCOLS");
#endif
  s.set(CURLOPT_FOLLOWLOCATION, 0L, "CURLOPT_FOLLOWLOCATION");
  s.set(CURLOPT_ACCEPT_ENCODING, "", "CURLOPT_ACCEPT_ENCODING");  // every encoding libcurl knows
  s.set(CURLOPT_TCP_KEEPALIVE, 1L, "CURLOPT_TCP_KEEPALIVE");
  s.set(CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L, "CURLOPT_SSL_VERIFYPEER");
  s.set(CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L, "CURLOPT_SSL_VERIFYHOST");
  if (!options.ca_file.empty()) s.set(CURLOPT_CAINFO, options.ca_file.c_str(), "CURLOPT_CAINFO");
  s.set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()),
        "CURLOPT_CONNECTTIMEOUT_MS");
  s.set(CURLOPT_TIMEOUT_MS, static_cast<long>(options.request_timeout.count()),
        "CURLOPT_TIMEOUT_MS");
  s.set(CURLOPT_USERAGENT, options.user_agent.c_str(), "CURLOPT_USERAGENT");
  s.set(CURLOPT_ERRORBUFFER, s.error.data(), "CURLOPT_ERRORBUFFER");
  s.set(CURLOPT_WRITEFUNCTION, &State::on_body, "CURLOPT_WRITEFUNCTION");
  s.set(CURLOPT_WRITEDATA, static_cast<void*>(&s), "CURLOPT_WRITEDATA");
  s.set(CURLOPT_HEADERFUNCTION, &State::on_header, "CURLOPT_HEADERFUNCTION");
  s.set(CURLOPT_HEADERDATA, static_cast<void*>(&s), "CURLOPT_HEADERDATA");
  if (s.cancelled) {
    s.set(CURLOPT_XFERINFOFUNCTION, &State::on_progress, "CURLOPT_XFERINFOFUNCTION");
    s.set(CURLOPT_XFERINFODATA, static_cast<void*>(&s), "CURLOPT_XFERINFODATA");
    s.set(CURLOPT_NOPROGRESS, 0L, "CURLOPT_NOPROGRESS");
  }
}

CurlExchange::~CurlExchange() {
  if (state_ && state_->handle != nullptr) curl_easy_cleanup(state_->handle);
}

HttpResponse CurlExchange::perform(const HttpRequest& request) {
  State& s = *state_;
  const std::string url = s.base_url + request.path;
  if (!request.path.starts_with('/') || has_line_break(request.path)) {
    throw Error(ErrorDomain::client, "invalid_request",
                "request path must start with '/': \"" + request.path + "\"");
  }
  if (request.method.empty() || has_line_break(request.method) ||
      request.method.find(' ') != std::string::npos) {
    throw Error(ErrorDomain::client, "invalid_request", "bad HTTP method for " + url);
  }

  Slist headers;
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || name.find_first_of(": ") != std::string::npos || has_line_break(name) ||
        has_line_break(value)) {
      throw Error(ErrorDomain::client, "invalid_request", "bad header \"" + name + "\" for " + url);
    }
    if (lower(name) == "content-type") has_content_type = true;
    // "Name:" would remove the header in libcurl; "Name;" sends it with an empty value.
    append(headers, value.empty() ? name + ";" : name + ": " + value);
  }
  append(headers, "Expect:");                               // no 100-continue round trip
  if (!has_content_type) append(headers, "Content-Type:");  // no form-urlencoded default

  s.set(CURLOPT_URL, url.c_str(), "CURLOPT_URL");
  s.set(CURLOPT_HTTPHEADER, headers.get(), "CURLOPT_HTTPHEADER");
  s.set(CURLOPT_CUSTOMREQUEST, static_cast<const char*>(nullptr), "CURLOPT_CUSTOMREQUEST");
  if (request.method == "GET") {
    s.set(CURLOPT_HTTPGET, 1L, "CURLOPT_HTTPGET");
  } else if (request.method == "HEAD") {
    s.set(CURLOPT_NOBODY, 1L, "CURLOPT_NOBODY");
  } else {
    s.set(CURLOPT_POST, 1L, "CURLOPT_POST");
    s.set(CURLOPT_POSTFIELDS, request.body.data(), "CURLOPT_POSTFIELDS");
    s.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()),
          "CURLOPT_POSTFIELDSIZE_LARGE");
    if (request.method != "POST") {
      s.set(CURLOPT_CUSTOMREQUEST, request.method.c_str(), "CURLOPT_CUSTOMREQUEST");
    }
  }

  HttpResponse response;
  s.response = &response;
  s.last_header.clear();
  s.cancel_seen = false;
  s.error[0] = '\0';
  const CURLcode code = curl_easy_perform(s.handle);
  s.response = nullptr;
  // Nothing else may keep pointers into this call's request.
  curl_easy_setopt(s.handle, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  curl_easy_setopt(s.handle, CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));

  long connects = 0;
  if (curl_easy_getinfo(s.handle, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK) {
    connections_ += connects;
  }
  if (code != CURLE_OK) {
    const std::string_view error_code = s.cancel_seen ? "cancelled" : transport_error_code(code);
    const std::string detail = s.error[0] != '\0' ? s.error.data() : curl_easy_strerror(code);
    throw Error(ErrorDomain::transport, std::string(error_code),
                request.method + " " + url + ": " + std::string(error_code) + " (" + detail + ")");
  }
  long status = 0;
  curl_easy_getinfo(s.handle, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace fieldsync::client::transport
