#include "fieldsync/client/curl_transport.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "fieldsync/core/error.h"
#include "transport/curl_exchange.h"

namespace fieldsync::client {
namespace {

using std::chrono::milliseconds;

// How often the default backoff wait looks at the cancel hook.
constexpr milliseconds kCancelPollSlice{20};

bool starts_with_scheme(const std::string& url) {
  const auto lower_prefix = [&](std::string_view prefix) {
    if (url.size() <= prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
    }
    return true;
  };
  return lower_prefix("http://") || lower_prefix("https://");
}

std::optional<milliseconds> retry_after_of(const HttpResponse& response) {
  if (response.status != 429 && response.status != 503) return std::nullopt;
  const auto it = response.headers.find("retry-after");
  if (it == response.headers.end()) return std::nullopt;
  return parse_retry_after(it->second, std::chrono::system_clock::now());
}

}  // namespace

class CurlTransport::Impl {
 public:
  explicit Impl(CurlOptions options)
      : options_(std::move(options)), exchange_(options_), random_(std::random_device{}()) {}

  HttpResponse send(const HttpRequest& request) {
    const int max_attempts = std::max(1, options_.retry.max_attempts);
    last_attempts_ = 0;
    for (int attempt = 1;; ++attempt) {
      throw_if_cancelled(request, "before sending");
      last_attempts_ = attempt;
      std::optional<milliseconds> retry_after;
      try {
        HttpResponse response = exchange_.perform(request);
        if (!is_retryable_status(response.status) || attempt == max_attempts) return response;
        retry_after = retry_after_of(response);
      } catch (const Error& e) {
        if (e.domain() != ErrorDomain::transport || !is_retryable_transport_error(e.code())) {
          throw;
        }
        if (attempt == max_attempts) {
          if (attempt == 1) throw;
          throw Error(ErrorDomain::transport, e.code(),
                      e.message() + " [after " + std::to_string(attempt) + " attempts]");
        }
      }
      wait(retry_delay(options_.retry, attempt - 1, draw(), retry_after), request);
    }
  }

  CurlOptions options_;
  transport::CurlExchange exchange_;
  int last_attempts_ = 0;

 private:
  bool cancelled() const { return options_.cancelled && options_.cancelled(); }

  void throw_if_cancelled(const HttpRequest& request, const char* when) const {
    if (cancelled()) {
      throw Error(ErrorDomain::transport, "cancelled",
                  request.method + " " + options_.base_url + request.path + ": cancelled " + when);
    }
  }

  void wait(milliseconds delay, const HttpRequest& request) {
    if (options_.retry.sleep) {
      options_.retry.sleep(delay);
    } else {
      const auto deadline = std::chrono::steady_clock::now() + delay;
      for (auto now = std::chrono::steady_clock::now(); now < deadline;
           now = std::chrono::steady_clock::now()) {
        throw_if_cancelled(request, "while waiting to retry");
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(kCancelPollSlice, deadline - now));
      }
    }
    throw_if_cancelled(request, "while waiting to retry");
  }

  double draw() {
    if (options_.retry.random01) return options_.retry.random01();
    return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
  }

  std::mt19937_64 random_;
};

CurlTransport::CurlTransport(CurlOptions options) {
  if (!starts_with_scheme(options.base_url)) {
    throw Error(ErrorDomain::client, "invalid_options",
                "server URL must start with http:// or https://: \"" + options.base_url + "\"");
  }
  impl_ = std::make_unique<Impl>(std::move(options));
}

CurlTransport::~CurlTransport() = default;

HttpResponse CurlTransport::send(const HttpRequest& request) {
  return impl_->send(request);
}

const CurlOptions& CurlTransport::options() const {
  return impl_->options_;
}

long CurlTransport::connections_opened() const {
  return impl_->exchange_.connections_opened();
}

int CurlTransport::last_attempts() const {
  return impl_->last_attempts_;
}

}  // namespace fieldsync::client
