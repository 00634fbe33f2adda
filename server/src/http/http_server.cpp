#include "fieldsync/server/http_server.h"

#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "http/body_framing.h"
#include "http/cpprest_glue.h"
#include "http/free_port.h"
#include "http/handler_pool.h"
#include "http/network_threads.h"
#include "http/request_tracker.h"

namespace fieldsync::server {
namespace {

using web::http::http_request;
using web::http::experimental::listener::http_listener;

constexpr int kFreePortAttempts = 5;
constexpr int kSettleRounds = 3;
constexpr std::chrono::milliseconds kSettleTimeout{2000};

// What the request callbacks share with HttpServer. Callbacks hold it by shared_ptr because
// cpprestsdk may run a continuation after the listener closed.
struct EdgeState {
  EdgeState(ApiHandler& api_handler, const HttpLimits& edge_limits)
      : handler(api_handler),
        limits(edge_limits),
        tracker(edge_limits.max_requests_in_flight),
        pool(edge_limits.handler_threads) {}

  ApiHandler& handler;
  const HttpLimits limits;
  http::RequestTracker tracker;
  http::HandlerPool pool;
};
using State = std::shared_ptr<EdgeState>;

ApiResponse internal_error() {
  return ApiResponse::error(500, "internal_error", "the server failed to handle the request");
}

ApiResponse shutting_down() {
  return ApiResponse::error(503, "shutting_down", "the server is shutting down; retry later");
}

// Answers request. When tracked, the request leaves the tracker once the response is written or
// failed. Never throws.
void send(const State& state, const http_request& request, ApiResponse response, bool tracked) {
  if (response.status < 100 || response.status > 599) {
    spdlog::error("handler answered {} {} with invalid status {}", request.method(),
                  request.request_uri().path(), response.status);
    response = internal_error();
  }
  try {
    request.reply(http::to_http_response(response, state->tracker.shutting_down()))
        .then([state, tracked](pplx::task<void> written) {
          try {
            written.get();  // complete here: get() does not block
          } catch (...) {
            // the peer went away before the response was written
          }
          if (tracked) state->tracker.leave();
        });
  } catch (const std::exception& e) {
    spdlog::debug("could not answer {} {}: {}", request.method(), request.request_uri().path(),
                  e.what());
    if (tracked) state->tracker.leave();
  }
}

// On a handler thread.
void run_handler(const State& state, const http_request& request, const ApiRequest& api) {
  ApiResponse response;
  try {
    response = state->handler.handle(api);
  } catch (const std::exception& e) {
    spdlog::error("handler failed on {} {}: {}", api.method, api.path, e.what());
    response = internal_error();
  } catch (...) {
    spdlog::error("handler failed on {} {}: unknown exception", api.method, api.path);
    response = internal_error();
  }
  spdlog::debug("{} {} -> {}", api.method, api.path, response.status);
  send(state, request, std::move(response), true);
}

// A continuation on a cpprestsdk thread, once the whole body arrived. Never throws.
void on_body(const State& state, const http_request& request, std::shared_ptr<ApiRequest> api,
             pplx::task<std::vector<unsigned char>> body) {
  try {
    try {
      const std::vector<unsigned char> bytes = body.get();  // complete: does not block
      api->body.assign(bytes.begin(), bytes.end());
    } catch (const std::exception& e) {
      spdlog::debug("{} {}: body not received: {}", api->method, api->path, e.what());
      send(state, request, ApiResponse::error(400, "bad_request", "the body could not be read"),
           true);
      return;
    }
    const bool queued =
        state->pool.submit([state, request, api] { run_handler(state, request, *api); });
    if (!queued) send(state, request, shutting_down(), true);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", api->method, api->path, e.what());
    send(state, request, internal_error(), true);
  }
}

// The edge's own answer, before any handler: counted by the handler, the body left unread.
void refuse(const State& state, const http_request& request, const ApiRequest& api,
            ApiResponse response) {
  state->handler.refused(api, response.status);
  http::discard_body(request);
  send(state, request, std::move(response), false);
}

// On a cpprestsdk thread, once the request line and headers are in: decides from them alone and
// returns at once; the body is read and handled by continuations.
void on_request(const State& state, const http_request& request) {
  auto api = std::make_shared<ApiRequest>();
  auto refusal = http::describe_request(request, *api);

  const auto length = api->headers.find("content-length");
  const auto framing = http::check_body_framing(
      api->method,
      length == api->headers.end() ? std::nullopt : std::optional<std::string>(length->second),
      api->headers.contains("transfer-encoding"), state->limits.max_body_bytes);
  if (framing.refusal) refusal = framing.refusal;
  if (refusal) {
    spdlog::debug("{} {} refused: {}", api->method, api->path, refusal->status);
    refuse(state, request, *api, std::move(*refusal));
    return;
  }

  switch (state->tracker.try_enter()) {
    case http::RequestTracker::Admission::kShuttingDown:
      refuse(state, request, *api, shutting_down());
      return;
    case http::RequestTracker::Admission::kOverloaded: {
      auto busy = ApiResponse::error(503, "overloaded", "too many requests at once; retry later");
      busy.headers["Retry-After"] = "1";
      refuse(state, request, *api, std::move(busy));
      return;
    }
    case http::RequestTracker::Admission::kAdmitted: break;
  }
  spdlog::debug("{} {} admitted", api->method, api->path);
  try {
    request.extract_vector().then(
        [state, request, api](pplx::task<std::vector<unsigned char>> body) {
          on_body(state, request, api, std::move(body));
        });
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", api->method, api->path, e.what());
    send(state, request, internal_error(), true);
  }
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ListenAddress address, ApiHandler& handler, const HttpLimits& limits)
      : address_(std::move(address)), state_(std::make_shared<EdgeState>(handler, limits)) {}

  ~Impl() { stop(); }

  void start() {
    const std::lock_guard lock(mutex_);
    if (phase_ != Phase::kNew) throw std::logic_error("HttpServer::start() called twice");
    http::size_network_threads(kNetworkThreads);
    const bool any_port = address_.port == 0;
    for (int attempt = 1;; ++attempt) {
      ListenAddress target = address_;
      if (any_port) target.port = http::find_free_port(address_.host);
      try {
        listener_ = open_listener(target);
        address_ = target;
        phase_ = Phase::kRunning;
        return;
      } catch (const std::exception& e) {
        // With port 0, someone may have taken the free port first: try another one.
        if (any_port && attempt < kFreePortAttempts) continue;
        throw std::runtime_error("cannot listen on " + target.to_string() + ": " + e.what());
      }
    }
  }

  // cpprestsdk's http_listener::close() (asio listener, 2.10; http_server_asio.cpp and
  // http_server_api.cpp) unregisters the listener. Only when it was the process's last listener
  // does cpprestsdk stop its server: it closes the acceptor, then closes every open connection at
  // once (socket cancel/shutdown/close) and marks a request not yet answered as answered with 500,
  // which can no longer reach the peer; close() then waits until those connections are torn
  // down. (While other listeners remain, the acceptor and connections stay open and cpprestsdk
  // answers later requests on this port with a bare 404.) Either way close() does not let
  // requests in flight finish. So stop() first refuses new requests (503, Connection: close),
  // waits for the admitted requests to be answered (up to shutdown_grace), and only then calls
  // close(). Last, it lets cpprestsdk's threads finish tearing the closed connections down (see
  // settle_network_threads).
  void stop() {
    const std::lock_guard lock(mutex_);
    if (phase_ == Phase::kStopped) return;
    const bool was_running = phase_ == Phase::kRunning;
    phase_ = Phase::kStopped;
    auto& tracker = state_->tracker;
    tracker.begin_shutdown();
    if (was_running) {
      const auto grace = state_->limits.shutdown_grace;
      if (const auto in_flight = tracker.in_flight(); in_flight > 0) {
        spdlog::info("shutting down: waiting up to {} ms for {} request(s) in flight",
                     grace.count(), in_flight);
      }
      if (!tracker.wait_idle(grace)) {
        spdlog::warn("shutting down: {} request(s) still in flight after {} ms; closing them",
                     tracker.in_flight(), grace.count());
      }
      try {
        listener_->close().wait();  // on the caller's thread, never a network thread
      } catch (const std::exception& e) {
        spdlog::warn("closing the listener: {}", e.what());
      }
      listener_.reset();
    }
    state_->pool.shutdown();  // waits for handlers still running
    if (was_running) http::settle_network_threads(kSettleRounds, kSettleTimeout);
  }

  const ListenAddress& address() const { return address_; }

 private:
  enum class Phase { kNew, kRunning, kStopped };

  std::unique_ptr<http_listener> open_listener(const ListenAddress& target) {
    auto listener = std::make_unique<http_listener>("http://" + target.to_string() + "/");
    const State state = state_;
    auto callback = [state](http_request request) {
      try {
        on_request(state, request);
      } catch (const std::exception& e) {
        spdlog::error("request refused: {}", e.what());
        send(state, request, internal_error(), false);
      }
    };
    listener->support(callback);
    // Without these, cpprestsdk answers OPTIONS and TRACE itself (TRACE echoes the request).
    listener->support(web::http::methods::OPTIONS, callback);
    listener->support(web::http::methods::TRCE, callback);
    listener->open().wait();  // on the caller's thread, never a network thread
    return listener;
  }

  std::mutex mutex_;
  Phase phase_ = Phase::kNew;
  ListenAddress address_;
  State state_;
  std::unique_ptr<http_listener> listener_;
};

HttpServer::HttpServer(std::string_view listen, ApiHandler& handler, HttpLimits limits)
    : impl_(std::make_unique<Impl>(ListenAddress::parse(listen), handler, limits)) {}

HttpServer::~HttpServer() = default;

void HttpServer::start() {
  impl_->start();
}
void HttpServer::stop() {
  impl_->stop();
}
std::string HttpServer::host() const {
  return impl_->address().host;
}
std::uint16_t HttpServer::port() const {
  return impl_->address().port;
}
std::string HttpServer::base_url() const {
  return "http://" + impl_->address().to_string();
}

}  // namespace fieldsync::server
