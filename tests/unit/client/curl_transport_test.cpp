// CurlTransport against real sockets on 127.0.0.1 (the project's HttpServer with scripted
// handlers, a closed port, an openssl TLS server), and the pure retry/backoff functions.
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "curl_test_support.h"
#include "fieldsync/client/curl_transport.h"
#include "fieldsync/client/retry_policy.h"
#include "fieldsync/core/error.h"

namespace fieldsync::testing {
namespace {

using namespace std::chrono_literals;
using client::CurlOptions;
using client::CurlTransport;
using client::HttpRequest;
using client::HttpResponse;
using client::RetryPolicy;
using curl::Scripted;
using curl::ScriptedServer;
using curl::status;
using curl::with_header;
using std::chrono::milliseconds;

CurlOptions options_for(std::string base_url) {
  CurlOptions options;
  options.base_url = std::move(base_url);
  return options;
}

// Options whose backoff waits are recorded instead of slept, with no jitter draw.
CurlOptions recorded_options(const std::string& base_url, std::vector<milliseconds>& waits) {
  CurlOptions options = options_for(base_url);
  options.retry.base_delay = 100ms;
  options.retry.max_delay = 10s;
  options.retry.sleep = [&waits](milliseconds wait) { waits.push_back(wait); };
  options.retry.random01 = [] { return 0.0; };
  return options;
}

HttpRequest get(std::string path) {
  return HttpRequest{"GET", std::move(path), {}, {}};
}

// Runs send() and returns the transport Error it throws (fails the test if it does not).
std::optional<Error> send_error(CurlTransport& transport, const HttpRequest& request) {
  try {
    const HttpResponse response = transport.send(request);
    FAIL_CHECK("expected an Error, got status " << response.status);
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Pure functions

TEST_CASE("backoff: exponential growth from base_delay, capped at max_delay") {
  RetryPolicy policy;
  policy.base_delay = 200ms;
  policy.max_delay = 30s;
  const std::array<milliseconds, 10> expected = {200ms,  400ms,   800ms,   1600ms, 3200ms,
                                                 6400ms, 12800ms, 25600ms, 30s,    30s};
  for (int retry = 0; retry < static_cast<int>(expected.size()); ++retry) {
    CHECK(client::backoff_delay(policy, retry, 0.0) == expected[static_cast<std::size_t>(retry)]);
  }
  CHECK(client::backoff_delay(policy, 1000, 0.0) == 30s);  // no overflow
  CHECK(client::backoff_delay(policy, std::numeric_limits<int>::max(), 0.0) == 30s);
  CHECK(client::backoff_delay(policy, -3, 0.0) == 200ms);
  policy.base_delay = 0ms;
  CHECK(client::backoff_delay(policy, 5, 0.0) == 0ms);
  policy.base_delay = 60s;  // a base above the cap is capped too
  CHECK(client::backoff_delay(policy, 0, 0.0) == 30s);
}

TEST_CASE("backoff: jitter keeps the wait within [d * (1 - jitter), d]") {
  RetryPolicy policy;  // jitter 0.5: "equal jitter"
  for (int retry = 0; retry < 12; ++retry) {
    const milliseconds full = client::backoff_delay(policy, retry, 0.0);
    for (double r = 0.0; r < 1.0; r += 0.0625) {
      const milliseconds wait = client::backoff_delay(policy, retry, r);
      CHECK(wait <= full);
      CHECK(wait.count() >= full.count() / 2);
    }
    CHECK(std::llabs(client::backoff_delay(policy, retry, 0.999).count() - full.count() / 2) <=
          full.count() / 500 + 1);
  }
  CHECK(client::backoff_delay(policy, 0, 0.5) == 150ms);  // 200 * (1 - 0.5 * 0.5)

  policy.jitter = 1.0;                                     // "full jitter"
  CHECK(client::backoff_delay(policy, 2, 0.75) == 200ms);  // 800 * 0.25
  CHECK(client::backoff_delay(policy, 2, 0.9999) <= 1ms);

  // Out-of-range draws and jitter are clamped; NaN counts as 0.
  policy.jitter = 0.5;
  CHECK(client::backoff_delay(policy, 0, 7.0) == 100ms);
  CHECK(client::backoff_delay(policy, 0, -1.0) == 200ms);
  CHECK(client::backoff_delay(policy, 0, std::nan("")) == 200ms);
  policy.jitter = 3.0;
  CHECK(client::backoff_delay(policy, 0, 1.0) == 0ms);
}

TEST_CASE("backoff: Retry-After raises the wait, never above max_delay") {
  RetryPolicy policy;
  policy.base_delay = 200ms;
  policy.max_delay = 5s;
  CHECK(client::retry_delay(policy, 0, 0.0, std::nullopt) == 200ms);
  CHECK(client::retry_delay(policy, 0, 0.0, 2000ms) == 2000ms);
  CHECK(client::retry_delay(policy, 0, 0.9, 2000ms) == 2000ms);  // jitter never undercuts it
  CHECK(client::retry_delay(policy, 3, 0.0, 100ms) == 1600ms);   // backoff already longer
  CHECK(client::retry_delay(policy, 0, 0.0, 60s) == 5s);
  CHECK(client::retry_delay(policy, 0, 0.0, 0ms) == 200ms);
}

TEST_CASE("backoff: Retry-After parsing, delta-seconds and the three HTTP-date forms") {
  using std::chrono::sys_days;
  const auto now = sys_days{std::chrono::year{2024} / std::chrono::March / 10} + 12h;
  CHECK(client::parse_retry_after("120", now) == 120'000ms);
  CHECK(client::parse_retry_after(" 2 ", now) == 2000ms);
  CHECK(client::parse_retry_after("0", now) == 0ms);
  CHECK(client::parse_retry_after("99999999999999999999999", now) ==
        milliseconds(1'000'000'000LL * 1000));  // saturates, no overflow
  CHECK_FALSE(client::parse_retry_after("", now));
  CHECK_FALSE(client::parse_retry_after("-1", now));
  CHECK_FALSE(client::parse_retry_after("1.5", now));
  CHECK_FALSE(client::parse_retry_after("soon", now));

  CHECK(client::parse_retry_after("Sun, 10 Mar 2024 12:01:30 GMT", now) == 90'000ms);
  CHECK(client::parse_retry_after("Sunday, 10-Mar-24 12:01:30 GMT", now) == 90'000ms);
  CHECK(client::parse_retry_after("Sun Mar 10 12:01:30 2024", now) == 90'000ms);
  CHECK(client::parse_retry_after("Mon, 11 Mar 2024 12:00:00 GMT", now) == 86'400'000ms);
  CHECK(client::parse_retry_after("Sat, 09 Mar 2024 12:00:00 GMT", now) == 0ms);  // past
  CHECK(client::parse_retry_after("Sat Mar  9 12:00:00 2024", now) == 0ms);
  CHECK_FALSE(client::parse_retry_after("Sun, 31 Feb 2024 12:00:00 GMT", now));
  CHECK_FALSE(client::parse_retry_after("Sun, 10 Mar 2024 25:00:00 GMT", now));
  CHECK_FALSE(client::parse_retry_after("Sun, 10 Foo 2024 12:00:00 GMT", now));
  CHECK_FALSE(client::parse_retry_after("Sun, 10 Mar 2024 12:00:00 CET", now));
  CHECK_FALSE(client::parse_retry_after("10 Mar 2024 12:00:00 GMT", now));
}

TEST_CASE("retry: which statuses and transport errors are retried") {
  for (int code : {429, 500, 502, 503, 504, 599}) CHECK(client::is_retryable_status(code));
  for (int code : {200, 204, 301, 304, 400, 401, 403, 404, 409, 413, 422, 600}) {
    CHECK_FALSE(client::is_retryable_status(code));
  }
  for (const char* code : {"unreachable", "timeout", "network"}) {
    CHECK(client::is_retryable_transport_error(code));
  }
  CHECK_FALSE(client::is_retryable_transport_error("cancelled"));
  CHECK_FALSE(client::is_retryable_transport_error("tls"));
}

// ---------------------------------------------------------------------------------------------
// Exchanges

TEST_CASE("curl: GET round trip, headers both ways, Accept-Encoding and User-Agent sent") {
  ScriptedServer server({{with_header(status(200, R"({"items":[1,2]})"), "X-Cursor", "12")}});
  CurlTransport transport(options_for(server.base_url()));
  HttpRequest request = get("/v1/sync/pull?cursor=12&limit=500");
  request.headers["Authorization"] = "Bearer abc";
  request.headers["X-Empty"] = "";

  const HttpResponse response = transport.send(request);
  CHECK(response.status == 200);
  CHECK(response.body == R"({"items":[1,2]})");
  CHECK(response.headers.at("x-cursor") == "12");
  CHECK(response.headers.at("content-type").find("application/json") == 0);
  CHECK(transport.last_attempts() == 1);

  const auto seen = server.handler.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].path == "/v1/sync/pull");
  CHECK(seen[0].query.at("cursor") == "12");
  CHECK(seen[0].query.at("limit") == "500");
  CHECK(seen[0].headers.at("authorization") == "Bearer abc");
  CHECK(seen[0].headers.at("x-empty").empty());
  CHECK(seen[0].headers.at("user-agent") == "fieldsync-client/0.1");
  const std::string& accepted = seen[0].headers.at("accept-encoding");
  CHECK(accepted.find("gzip") != std::string::npos);
  CHECK(accepted.find("deflate") != std::string::npos);
  CHECK_FALSE(seen[0].headers.contains("content-type"));
  CHECK(seen[0].body.empty());
}

TEST_CASE("curl: POST round trip sends the body, Content-Type and Content-Length, no Expect") {
  ScriptedServer server({{status(201, R"({"accepted":2})")}});
  CurlOptions options = options_for(server.base_url() + "/");  // a trailing '/' is fine
  options.user_agent = "fieldvisit/test";
  CurlTransport transport(options);
  std::string body = R"({"ops":[)";
  for (int i = 0; i < 3000; ++i) body += R"({"op_id":")" + std::to_string(i) + R"("},)";
  body += "{}]}";  // ~60 KB: above libcurl's old 100-continue threshold
  HttpRequest request{"POST", "/v1/sync/push", {{"Content-Type", "application/json"}}, body};

  const HttpResponse response = transport.send(request);
  CHECK(response.status == 201);
  CHECK(response.body == R"({"accepted":2})");

  // The same handle then sends a GET (no body) and a POST without Content-Type.
  CHECK(transport.send(get("/v1/healthz")).status == 201);
  CHECK(transport.send(HttpRequest{"POST", "/v1/x", {}, "raw"}).status == 201);

  const auto seen = server.handler.requests();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].path == "/v1/sync/push");
  CHECK(seen[0].body == body);
  CHECK(seen[0].headers.at("content-type") == "application/json");
  CHECK(seen[0].headers.at("content-length") == std::to_string(body.size()));
  CHECK(seen[0].headers.at("user-agent") == "fieldvisit/test");
  CHECK_FALSE(seen[0].headers.contains("expect"));
  CHECK(seen[1].method == "GET");
  CHECK(seen[1].body.empty());
  CHECK(seen[2].method == "POST");
  CHECK(seen[2].body == "raw");
  CHECK_FALSE(seen[2].headers.contains("content-type"));  // not libcurl's form default
}

TEST_CASE("curl: keep-alive reuses one connection for many exchanges") {
  ScriptedServer server({{status(200, "{}")}});
  CurlTransport transport(options_for(server.base_url()));
  for (int i = 0; i < 6; ++i) {
    HttpRequest request = i % 2 == 0 ? get("/v1/a") : HttpRequest{"POST", "/v1/b", {}, "{}"};
    CHECK(transport.send(request).status == 200);
  }
  CHECK(server.handler.count() == 6);
  CHECK(transport.connections_opened() == 1);

  SUBCASE("control: a server that closes every connection makes the counter grow") {
    ScriptedServer closing({{with_header(status(200, "{}"), "Connection", "close")}});
    CurlTransport fresh(options_for(closing.base_url()));
    for (int i = 0; i < 4; ++i) CHECK(fresh.send(get("/v1/a")).status == 200);
    CHECK(fresh.connections_opened() == 4);
  }
}

TEST_CASE("curl: a gzip-encoded response body is decoded") {
  // The edge does not compress on its own; this handler sends pre-compressed bytes
  // ("hello, compressed world", gzip) with Content-Encoding: gzip.
  const std::array<unsigned char, 43> gzipped = {
      0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9,
      0xd7, 0x51, 0x48, 0xce, 0xcf, 0x2d, 0x28, 0x4a, 0x2d, 0x2e, 0x4e, 0x4d, 0x51, 0x28, 0xcf,
      0x2f, 0xca, 0x49, 0x01, 0x00, 0x08, 0x9e, 0x34, 0x35, 0x17, 0x00, 0x00, 0x00};
  auto response = with_header(status(200, std::string(gzipped.begin(), gzipped.end())),
                              "Content-Encoding", "gzip");
  response.content_type = "text/plain";
  ScriptedServer server({{response}});
  CurlTransport transport(options_for(server.base_url()));
  const HttpResponse answer = transport.send(get("/v1/compressed"));
  CHECK(answer.status == 200);
  CHECK(answer.headers.at("content-encoding") == "gzip");
  CHECK(answer.body == "hello, compressed world");
}

// ---------------------------------------------------------------------------------------------
// Retries

TEST_CASE("retry: 503, 503, 200 takes three attempts and returns the 200") {
  ScriptedServer server({{status(503)}, {status(503)}, {status(200, R"({"ok":true})")}});
  std::vector<milliseconds> waits;
  CurlTransport transport(recorded_options(server.base_url(), waits));

  const HttpResponse response = transport.send(get("/v1/a"));
  CHECK(response.status == 200);
  CHECK(response.body == R"({"ok":true})");
  CHECK(server.handler.count() == 3);
  CHECK(transport.last_attempts() == 3);
  REQUIRE(waits.size() == 2);
  CHECK(waits[0] == 100ms);
  CHECK(waits[1] == 200ms);                    // base * 2^1
  CHECK(transport.connections_opened() == 1);  // retries reuse the connection
}

TEST_CASE("retry: jitter draws shorten each wait to d * (1 - jitter * r)") {
  ScriptedServer server({{status(502)}, {status(502)}, {status(502)}, {status(200)}});
  std::vector<milliseconds> waits;
  CurlOptions options = recorded_options(server.base_url(), waits);
  std::vector<double> draws = {0.5, 0.0, 1.0};
  std::size_t next = 0;
  options.retry.random01 = [&] { return draws.at(next++); };
  CurlTransport transport(options);
  CHECK(transport.send(get("/v1/a")).status == 200);
  CHECK(waits == std::vector<milliseconds>{75ms, 200ms, 200ms});  // 100*.75, 200*1, 400*.5
}

TEST_CASE("retry: 429 with Retry-After: 2 waits at least 2 s, capped at max_delay") {
  std::vector<milliseconds> waits;
  SUBCASE("below the cap") {
    ScriptedServer server({{with_header(status(429), "Retry-After", "2")}, {status(200)}});
    CurlTransport transport(recorded_options(server.base_url(), waits));
    CHECK(transport.send(get("/v1/a")).status == 200);
    REQUIRE(waits.size() == 1);
    CHECK(waits[0] >= 2000ms);
    CHECK(waits[0] <= 10s);
  }
  SUBCASE("above the cap") {
    ScriptedServer server({{with_header(status(429), "Retry-After", "120")}, {status(200)}});
    CurlOptions options = recorded_options(server.base_url(), waits);
    options.retry.max_delay = 1500ms;
    CurlTransport transport(options);
    CHECK(transport.send(get("/v1/a")).status == 200);
    CHECK(waits == std::vector<milliseconds>{1500ms});
  }
  SUBCASE("503 with an HTTP-date") {
    // Whole seconds only: a date 3 s ahead of the current second is 2..3 s away.
    const std::time_t at = std::time(nullptr) + 3;
    std::tm parts{};
    gmtime_r(&at, &parts);
    std::array<char, 64> date{};
    std::strftime(date.data(), date.size(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
    ScriptedServer server({{with_header(status(503), "Retry-After", date.data())}, {status(200)}});
    CurlTransport transport(recorded_options(server.base_url(), waits));
    CHECK(transport.send(get("/v1/a")).status == 200);
    REQUIRE(waits.size() == 1);
    CHECK(waits[0] >= 1500ms);
    CHECK(waits[0] <= 3000ms);
  }
  SUBCASE("ignored on other statuses") {
    ScriptedServer server({{with_header(status(500), "Retry-After", "120")}, {status(200)}});
    CurlTransport transport(recorded_options(server.base_url(), waits));
    CHECK(transport.send(get("/v1/a")).status == 200);
    CHECK(waits == std::vector<milliseconds>{100ms});
  }
}

TEST_CASE("retry: 400 and 404 are returned at once, one attempt, no wait") {
  for (int code : {400, 404, 401, 409}) {
    CAPTURE(code);
    ScriptedServer server({{status(code, R"({"error":{"code":"x"}})")}, {status(200)}});
    std::vector<milliseconds> waits;
    CurlTransport transport(recorded_options(server.base_url(), waits));
    const HttpResponse response = transport.send(HttpRequest{"POST", "/v1/a", {}, "{}"});
    CHECK(response.status == code);
    CHECK(response.body == R"({"error":{"code":"x"}})");
    CHECK(server.handler.count() == 1);
    CHECK(transport.last_attempts() == 1);
    CHECK(waits.empty());
  }
}

TEST_CASE("retry: 500 forever takes max_attempts attempts, then the 500 is returned") {
  ScriptedServer server({{status(500, R"({"error":{"code":"internal_error"}})")}});
  std::vector<milliseconds> waits;
  CurlOptions options = recorded_options(server.base_url(), waits);
  options.retry.max_attempts = 4;
  CurlTransport transport(options);
  const HttpResponse response = transport.send(get("/v1/a"));
  CHECK(response.status == 500);
  CHECK(response.body == R"({"error":{"code":"internal_error"}})");
  CHECK(server.handler.count() == 4);
  CHECK(transport.last_attempts() == 4);
  CHECK(waits == std::vector<milliseconds>{100ms, 200ms, 400ms});

  SUBCASE("max_attempts 1 means no retry") {
    options.retry.max_attempts = 1;
    waits.clear();
    CurlTransport once(options);
    CHECK(once.send(get("/v1/a")).status == 500);
    CHECK(once.last_attempts() == 1);
    CHECK(waits.empty());
  }
}

// ---------------------------------------------------------------------------------------------
// Failures without a response

TEST_CASE("curl: connection refused is Error(transport, unreachable) after every retry") {
  const std::uint16_t port = curl::closed_port();
  const std::string base_url = "http://127.0.0.1:" + std::to_string(port);
  std::vector<milliseconds> waits;
  CurlOptions options = recorded_options(base_url, waits);
  options.retry.max_attempts = 3;
  CurlTransport transport(options);
  const auto error = send_error(transport, get("/v1/sync/pull"));
  REQUIRE(error);
  CHECK(error->domain() == ErrorDomain::transport);
  CHECK(error->code() == "unreachable");
  CHECK(error->message().find(base_url + "/v1/sync/pull") != std::string::npos);
  CHECK(error->message().find("3 attempts") != std::string::npos);
  CHECK(transport.last_attempts() == 3);
  CHECK(waits == std::vector<milliseconds>{100ms, 200ms});
  CHECK(transport.connections_opened() == 0);
}

TEST_CASE("curl: a handler slower than request_timeout is Error(transport, timeout)") {
  ScriptedServer server({{status(200), 5s}});
  std::vector<milliseconds> waits;
  CurlOptions options = recorded_options(server.base_url(), waits);
  options.request_timeout = 300ms;
  options.retry.max_attempts = 2;
  CurlTransport transport(options);
  const auto start = std::chrono::steady_clock::now();
  const auto error = send_error(transport, get("/v1/slow"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(error);
  CHECK(error->domain() == ErrorDomain::transport);
  CHECK(error->code() == "timeout");
  CHECK(error->message().find("/v1/slow") != std::string::npos);
  CHECK(transport.last_attempts() == 2);  // a timeout is retried
  CHECK(waits.size() == 1);
  CHECK(elapsed >= 600ms);
  CHECK(elapsed < 2s);
  CHECK(server.handler.wait_for_requests(2, 2s));
}

TEST_CASE("curl: cancellation during a backoff wait stops promptly with cancelled") {
  ScriptedServer server({{status(503)}});
  std::atomic<bool> cancel{false};
  CurlOptions options = options_for(server.base_url());
  options.cancelled = [&cancel] { return cancel.load(); };

  SUBCASE("the default sleep polls the hook") {
    options.retry.base_delay = 10s;  // a wait the test would notice
    options.retry.max_delay = 10s;
    CurlTransport transport(options);
    std::thread canceller([&] {
      if (server.handler.wait_for_requests(1)) std::this_thread::sleep_for(200ms);
      cancel = true;
    });
    const auto start = std::chrono::steady_clock::now();
    const auto error = send_error(transport, get("/v1/a"));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    canceller.join();
    REQUIRE(error);
    CHECK(error->domain() == ErrorDomain::transport);
    CHECK(error->code() == "cancelled");
    CHECK(elapsed < 2s);
    CHECK(transport.last_attempts() == 1);
    CHECK(server.handler.count() == 1);
  }
  SUBCASE("an injected sleep: the hook is checked when it returns") {
    options.retry.sleep = [&cancel](milliseconds) { cancel = true; };
    CurlTransport transport(options);
    const auto error = send_error(transport, get("/v1/a"));
    REQUIRE(error);
    CHECK(error->code() == "cancelled");
    CHECK(server.handler.count() == 1);
  }
  SUBCASE("already cancelled: nothing is sent") {
    cancel = true;
    CurlTransport transport(options);
    const auto error = send_error(transport, get("/v1/a"));
    REQUIRE(error);
    CHECK(error->code() == "cancelled");
    CHECK(server.handler.count() == 0);
  }
}

TEST_CASE("curl: cancellation during a transfer aborts it with cancelled, not retried") {
  ScriptedServer server({{status(200), 5s}});
  std::atomic<bool> cancel{false};
  CurlOptions options = options_for(server.base_url());
  options.cancelled = [&cancel] { return cancel.load(); };
  options.retry.sleep = [](milliseconds) {};
  CurlTransport transport(options);
  std::thread canceller([&] {
    if (server.handler.wait_for_requests(1)) std::this_thread::sleep_for(100ms);
    cancel = true;
  });
  const auto start = std::chrono::steady_clock::now();
  const auto error = send_error(transport, get("/v1/slow"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  canceller.join();
  REQUIRE(error);
  CHECK(error->domain() == ErrorDomain::transport);
  CHECK(error->code() == "cancelled");
  CHECK(transport.last_attempts() == 1);
  CHECK(elapsed < 2500ms);
}

// ---------------------------------------------------------------------------------------------
// TLS

TEST_CASE("curl: TLS verification is on by default") {
  CHECK(CurlOptions{}.verify_tls);
  CHECK(CurlOptions{}.ca_file.empty());
  CHECK(CurlTransport(options_for("https://127.0.0.1:1")).options().verify_tls);
}

TEST_CASE("curl: https:// to a plain-HTTP server fails without a response, not retried") {
  ScriptedServer server({{status(200)}});
  CurlOptions options = options_for("https://127.0.0.1:" + std::to_string(server.port()));
  options.request_timeout = 2s;
  options.retry.sleep = [](milliseconds) {};
  CurlTransport transport(options);
  const auto error = send_error(transport, get("/v1/a"));
  REQUIRE(error);
  CHECK(error->domain() == ErrorDomain::transport);
  INFO("https to plain HTTP: " << error->code() << ": " << error->message());
  CHECK(error->code() == "tls");
  CHECK(transport.last_attempts() == 1);
  CHECK(server.handler.count() == 0);
}

TEST_CASE("curl: TLS against a self-signed server: refused by default, trusted via ca_file") {
  curl::TlsServer tls;
  if (!tls.available()) {
    MESSAGE("openssl s_server unavailable: real TLS verification not exercised");
    return;
  }
  const std::string url = "https://127.0.0.1:" + std::to_string(tls.port());
  CurlOptions options = options_for(url);
  options.retry.sleep = [](milliseconds) {};

  SUBCASE("default: the unknown issuer is refused with tls, once") {
    CurlTransport transport(options);
    const auto error = send_error(transport, get("/"));
    REQUIRE(error);
    CHECK(error->domain() == ErrorDomain::transport);
    CHECK(error->code() == "tls");
    CHECK(error->message().find(url) != std::string::npos);
    CHECK(transport.last_attempts() == 1);
  }
  SUBCASE("ca_file naming the certificate: verified, 200") {
    options.ca_file = tls.cert_file();
    CurlTransport transport(options);
    const HttpResponse response = transport.send(get("/"));
    CHECK(response.status == 200);
  }
  SUBCASE("ca_file trusted but the host name does not match: tls") {
    options.ca_file = tls.cert_file();
    options.base_url = "https://localhost:" + std::to_string(tls.port());
    CurlTransport transport(options);
    const auto error = send_error(transport, get("/"));
    REQUIRE(error);
    CHECK(error->code() == "tls");
  }
  SUBCASE("a missing ca_file: tls") {
    options.ca_file = "/nonexistent/fieldsync-ca.pem";
    CurlTransport transport(options);
    const auto error = send_error(transport, get("/"));
    REQUIRE(error);
    CHECK(error->code() == "tls");
  }
  SUBCASE("verify_tls = false, asked for explicitly: 200") {
    options.verify_tls = false;
    CurlTransport transport(options);
    CHECK(transport.send(get("/")).status == 200);
  }
}

// ---------------------------------------------------------------------------------------------
// Misuse

TEST_CASE("curl: bad options and malformed requests are client errors, nothing sent") {
  for (const char* url : {"", "127.0.0.1:8080", "ftp://127.0.0.1", "file:///etc/passwd"}) {
    CAPTURE(url);
    try {
      CurlTransport transport(options_for(url));
      FAIL_CHECK("accepted");
    } catch (const Error& e) {
      CHECK(e.domain() == ErrorDomain::client);
      CHECK(e.code() == "invalid_options");
    }
  }
  ScriptedServer server({{status(200)}});
  CurlTransport transport(options_for(server.base_url()));
  const std::vector<HttpRequest> bad = {
      get("v1/no-slash"),
      get("/v1/a\r\nX-Injected: 1"),
      HttpRequest{"GET", "/v1/a", {{"X-Bad", "a\r\nX-Injected: 1"}}, {}},
      HttpRequest{"GET", "/v1/a", {{"Bad Name", "x"}}, {}},
      HttpRequest{"", "/v1/a", {}, {}},
  };
  for (const auto& request : bad) {
    const auto error = send_error(transport, request);
    REQUIRE(error);
    CHECK(error->domain() == ErrorDomain::client);
    CHECK(error->code() == "invalid_request");
  }
  CHECK(server.handler.count() == 0);
}

}  // namespace
}  // namespace fieldsync::testing
