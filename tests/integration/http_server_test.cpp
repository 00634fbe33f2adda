// HttpServer in this process, with handlers the tests control: request conversion, the edge's
// refusals, overload, and what stop() does with requests in flight.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "fieldsync/server/http_server.h"
#include "http_client.h"

namespace fieldsync::testing {
namespace {

using namespace std::chrono_literals;
using server::ApiHandler;
using server::ApiRequest;
using server::ApiResponse;
using server::HttpLimits;
using server::HttpServer;
using server::ListenAddress;

// Records every request and answers with `response`.
class RecordingHandler : public ApiHandler {
 public:
  ApiResponse handle(const ApiRequest& request) override {
    const std::lock_guard lock(mutex_);
    requests_.push_back(request);
    return response;
  }
  std::vector<ApiRequest> requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
  }

  ApiResponse response = ApiResponse::json(200, {{"ok", true}});

 private:
  mutable std::mutex mutex_;
  std::vector<ApiRequest> requests_;
};

// Holds every request until release() (at most 30 s).
class GateHandler : public ApiHandler {
 public:
  ApiResponse handle(const ApiRequest&) override {
    std::unique_lock lock(mutex_);
    ++entered_;
    changed_.notify_all();
    if (!changed_.wait_for(lock, 30s, [this] { return released_; })) {
      return ApiResponse::error(500, "gate_timeout", "the test never released the gate");
    }
    return ApiResponse::json(200, {{"released", true}});
  }
  bool wait_entered(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return entered_ >= count; });
  }
  void release() {
    const std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int entered_ = 0;
  bool released_ = false;
};

// Releases a GateHandler on scope exit, so a failing check never leaves a handler blocked.
struct ReleaseOnExit {
  GateHandler& gate;
  ~ReleaseOnExit() { gate.release(); }
};

class ThrowingHandler : public ApiHandler {
 public:
  ApiResponse handle(const ApiRequest&) override { throw std::runtime_error("secret detail 42"); }
};

void check_error(const HttpResult& result, long status, const std::string& code) {
  CHECK(result.status == status);
  CHECK(result.header("content-type") == "application/json");
  CHECK(result.json().at("error").at("code") == code);
}

std::future<HttpResult> async_get(const std::string& url) {
  return std::async(std::launch::async, [url] { return HttpClient().get(url); });
}

}  // namespace

TEST_CASE("ListenAddress parses HOST:PORT") {
  const auto address = ListenAddress::parse("127.0.0.1:8080");
  CHECK(address.host == "127.0.0.1");
  CHECK(address.port == 8080);
  CHECK(address.to_string() == "127.0.0.1:8080");
  CHECK(ListenAddress::parse("localhost:0").port == 0);
  for (const char* bad : {"", "8080", ":8080", "host:", "host:65536", "host:-1", "host:80x",
                          "[::1]:8080", "::1:8080", "ho st:80"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(ListenAddress::parse(bad), std::invalid_argument);
  }
}

TEST_CASE("port 0 listens on a free port that port() reports") {
  RecordingHandler handler;
  HttpServer server("127.0.0.1:0", handler);
  server.start();
  CHECK(server.port() != 0);
  CHECK(server.base_url() == "http://127.0.0.1:" + std::to_string(server.port()));
  CHECK(HttpClient().get(server.base_url() + "/").status == 200);
}

TEST_CASE("a port in use makes start() throw") {
  // A listening socket of this process holds the port. (Not a second HttpServer: cpprestsdk
  // keeps one listener per host:port per process and a duplicate would tear down the first.)
  const int holder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(holder >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(holder, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(listen(holder, 1) == 0);
  socklen_t length = sizeof address;
  REQUIRE(getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length) == 0);

  RecordingHandler handler;
  HttpServer server("127.0.0.1:" + std::to_string(ntohs(address.sin_port)), handler);
  CHECK_THROWS_WITH_AS(server.start(), doctest::Contains("cannot listen on"), std::runtime_error);
  close(holder);
}

TEST_CASE("requests reach the handler as ApiRequest values") {
  RecordingHandler handler;
  HttpServer server("127.0.0.1:0", handler);
  server.start();
  HttpClient client;

  client.get(server.base_url() + "/v1/sync/pull?cursor=a%20b%2B&limit=5&flag",
             {{"X-Device-Id", "D1"}});
  const std::string binary("a\0b\xff", 4);
  client.post(server.base_url() + "/v1/sync/push", binary, {{"Content-Type", "application/json"}});
  client.request("OPTIONS", server.base_url() + "/v1/sync/push", nullptr, {});
  client.request("TRACE", server.base_url() + "/v1/sync/push", nullptr, {});

  const auto requests = handler.requests();
  REQUIRE(requests.size() == 4);
  const auto& get = requests[0];
  CHECK(get.method == "GET");
  CHECK(get.path == "/v1/sync/pull");
  CHECK(get.query ==
        std::map<std::string, std::string>{{"cursor", "a b+"}, {"limit", "5"}, {"flag", ""}});
  CHECK(get.headers.at("x-device-id") == "D1");
  CHECK(get.remote_address == "127.0.0.1");
  CHECK(get.body.empty());

  const auto& post = requests[1];
  CHECK(post.method == "POST");
  CHECK(post.body == binary);
  CHECK(post.headers.at("content-length") == "4");
  CHECK(post.headers.at("content-type") == "application/json");

  // cpprestsdk would answer these itself (TRACE echoing the request); the handler gets them.
  CHECK(requests[2].method == "OPTIONS");
  CHECK(requests[3].method == "TRACE");
}

TEST_CASE("the handler's response is sent as given") {
  RecordingHandler handler;
  handler.response.status = 201;
  handler.response.content_type = "text/plain";
  handler.response.body = "created";
  handler.response.headers["Retry-After"] = "7";
  HttpServer server("127.0.0.1:0", handler);
  server.start();
  const auto result = HttpClient().get(server.base_url() + "/x");
  CHECK(result.status == 201);
  CHECK(result.header("content-type") == "text/plain");
  CHECK(result.header("retry-after") == "7");
  CHECK(result.body == "created");
}

TEST_CASE("an exception from the handler becomes 500 without its text") {
  ThrowingHandler handler;
  HttpServer server("127.0.0.1:0", handler);
  server.start();
  const auto result = HttpClient().get(server.base_url() + "/x");
  check_error(result, 500, "internal_error");
  CHECK(result.body.find("secret") == std::string::npos);
}

TEST_CASE("malformed or repeated query parameters are refused with 400") {
  RecordingHandler handler;
  HttpServer server("127.0.0.1:0", handler);
  server.start();
  HttpClient client;
  check_error(client.get(server.base_url() + "/x?cursor=%zz"), 400, "bad_request");
  check_error(client.get(server.base_url() + "/x?limit=1&limit=2"), 400, "bad_request");
  CHECK(handler.requests().empty());
}

TEST_CASE("bodies are capped before they are read") {
  RecordingHandler handler;
  HttpLimits limits;
  limits.max_body_bytes = 100;
  HttpServer server("127.0.0.1:0", handler, limits);
  server.start();
  HttpClient client;
  check_error(client.post(server.base_url() + "/x", std::string(101, 'x')), 413, "body_too_large");
  check_error(client.post(server.base_url() + "/x", std::string(8 << 20, 'x')), 413,
              "body_too_large");
  check_error(client.post_chunked(server.base_url() + "/x", "small"), 411, "length_required");
  CHECK(handler.requests().empty());

  CHECK(client.post(server.base_url() + "/x", std::string(100, 'x')).status == 200);
  REQUIRE(handler.requests().size() == 1);
  CHECK(handler.requests()[0].body.size() == 100);
}

TEST_CASE("requests beyond max_requests_in_flight get 503 overloaded") {
  GateHandler gate;
  HttpLimits limits;
  limits.max_requests_in_flight = 1;
  HttpServer server("127.0.0.1:0", gate, limits);
  server.start();
  const ReleaseOnExit release{gate};

  auto held = async_get(server.base_url() + "/held");
  REQUIRE(gate.wait_entered(1));
  const auto refused = HttpClient().get(server.base_url() + "/x");
  check_error(refused, 503, "overloaded");
  CHECK(refused.header("retry-after") == "1");

  gate.release();
  REQUIRE(held.wait_for(10s) == std::future_status::ready);
  CHECK(held.get().status == 200);
}

TEST_CASE("stop() lets a request in flight finish and refuses new ones meanwhile") {
  GateHandler gate;
  HttpServer server("127.0.0.1:0", gate);
  server.start();
  const ReleaseOnExit release{gate};

  auto held = async_get(server.base_url() + "/held");
  REQUIRE(gate.wait_entered(1));
  auto stopped = std::async(std::launch::async, [&server] { server.stop(); });
  // stop() cannot return while the handler holds the request.
  CHECK(stopped.wait_for(300ms) == std::future_status::timeout);

  const auto refused = HttpClient().get(server.base_url() + "/new");
  check_error(refused, 503, "shutting_down");
  CHECK(refused.header("connection") == "close");

  gate.release();
  REQUIRE(held.wait_for(10s) == std::future_status::ready);
  const auto answered = held.get();
  CHECK(answered.status == 200);
  CHECK(answered.json() == nlohmann::json{{"released", true}});
  CHECK(answered.header("connection") == "close");
  CHECK(stopped.wait_for(10s) == std::future_status::ready);
}

TEST_CASE("after shutdown_grace, stop() closes connections still waiting for an answer") {
  GateHandler gate;
  HttpLimits limits;
  limits.shutdown_grace = 200ms;
  HttpServer server("127.0.0.1:0", gate, limits);
  server.start();
  const ReleaseOnExit release{gate};

  auto held = async_get(server.base_url() + "/held");
  REQUIRE(gate.wait_entered(1));
  auto stopped = std::async(std::launch::async, [&server] { server.stop(); });

  // cpprestsdk's listener close() drops the connection: the client gets no answer at all.
  REQUIRE(held.wait_for(10s) == std::future_status::ready);
  CHECK_THROWS_AS(held.get(), std::runtime_error);  // curl: "Server returned nothing"
  // stop() still waits for the handler that is running, so the handler may be destroyed after.
  CHECK(stopped.wait_for(300ms) == std::future_status::timeout);
  gate.release();
  CHECK(stopped.wait_for(10s) == std::future_status::ready);
}

}  // namespace fieldsync::testing
