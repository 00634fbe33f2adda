// The real fieldsync-server process, spoken to over loopback HTTP: the edge's own answers, the
// bootstrap routes, signals and exit codes.
#include <signal.h>

#include <string>

#include <doctest/doctest.h>

#include "http_client.h"
#include "raw_connection.h"
#include "server_process.h"

namespace fieldsync::testing {
namespace {

void check_error(const HttpResult& result, long status, const std::string& code) {
  CHECK(result.status == status);
  CHECK(result.header("content-type") == "application/json");
  const auto body = result.json();
  CHECK(body.at("error").at("code") == code);
  CHECK(body.at("error").at("message").is_string());
}

// One server for the cases that only read its answers: starting one costs more than they do.
ServerProcess& shared_server() {
  static ServerProcess server;
  return server;
}

}  // namespace

TEST_CASE("healthz answers 200 with JSON") {
  ServerProcess& server = shared_server();
  HttpClient client;
  const auto result = client.get(server.base_url() + "/healthz");
  CHECK(result.status == 200);
  CHECK(result.header("content-type") == "application/json");
  CHECK(result.json() == nlohmann::json{{"status", "ok"}});
}

TEST_CASE("an unknown route answers 404 with a JSON error") {
  ServerProcess& server = shared_server();
  HttpClient client;
  check_error(client.get(server.base_url() + "/v1/nothing-here"), 404, "not_found");
}

TEST_CASE("a known route with the wrong method answers 405 naming the allowed one") {
  ServerProcess& server = shared_server();
  HttpClient client;
  const auto result = client.post(server.base_url() + "/healthz", "{}");
  check_error(result, 405, "method_not_allowed");
  CHECK(result.header("allow") == "GET");
  check_error(client.get(server.base_url() + "/v1/sync/push"), 405, "method_not_allowed");
}

TEST_CASE("a body over --max-body is refused with 413 before it reaches a handler") {
  ServerProcess server({"--max-body", "1024"});
  HttpClient client;
  check_error(client.post(server.base_url() + "/v1/sync/push", std::string(1025, 'x')), 413,
              "body_too_large");
  check_error(client.post(server.base_url() + "/v1/sync/push", std::string(1 << 20, 'x')), 413,
              "body_too_large");
  // At the cap the request goes through to the router, which wants JSON.
  check_error(client.post(server.base_url() + "/v1/sync/push", std::string(1024, 'x')), 415,
              "unsupported_media_type");
  // The server still serves after refusing.
  CHECK(client.get(server.base_url() + "/healthz").status == 200);
}

TEST_CASE("a chunked POST without Content-Length is refused with 411") {
  ServerProcess& server = shared_server();
  HttpClient client;
  check_error(client.post_chunked(server.base_url() + "/v1/sync/push", R"({"ops":[]})"), 411,
              "length_required");
}

TEST_CASE("SIGTERM and SIGINT stop the server with exit status 0") {
  for (int signal_number : {SIGTERM, SIGINT}) {
    CAPTURE(signal_number);
    ServerProcess server;
    HttpClient client;
    REQUIRE(client.get(server.base_url() + "/healthz").status == 200);
    server.send_signal(signal_number);
    const auto status = server.wait_exit(10s);
    REQUIRE(status.has_value());
    CHECK_MESSAGE(*status == 0, server.stderr_text());
    CHECK(server.stderr_text().find("stopped") != std::string::npos);
  }
}

TEST_CASE("a request in flight when SIGTERM arrives still gets its answer") {
  ServerProcess server({}, {"--log-level", "debug"});
  RawConnection connection(server.port());
  // Headers and half the body: the edge admits the request and waits for the rest.
  connection.send(
      "POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 10\r\n\r\n{\"ops\":");
  REQUIRE(server.wait_for_stderr("POST /v1/sync/push admitted"));

  server.send_signal(SIGTERM);
  REQUIRE(server.wait_for_stderr("request(s) in flight"));
  CHECK(!server.wait_exit(0ms).has_value());  // still draining

  connection.send("[]}");
  const std::string response = connection.read_response(10s);
  CHECK(response.rfind("HTTP/1.1 401", 0) == 0);  // answered by the router: no token sent
  CHECK(response.find("Connection: close") != std::string::npos);
  CHECK(response.find(R"({"error":{"code":"token_missing")") != std::string::npos);

  const auto status = server.wait_exit(10s);
  REQUIRE(status.has_value());
  CHECK(*status == 0);
}

TEST_CASE("--help exits 0 on the app and on serve") {
  const auto app = run_server_command({"--help"});
  CHECK(app.exit_status == 0);
  CHECK(app.out.find("serve") != std::string::npos);
  const auto serve = run_server_command({"serve", "--help"});
  CHECK(serve.exit_status == 0);
  CHECK(serve.out.find("--listen") != std::string::npos);
  CHECK(serve.out.find("--max-body") != std::string::npos);
}

TEST_CASE("usage errors exit 2") {
  const TempDir data;
  CHECK(run_server_command({"--no-such-option"}).exit_status == 2);
  CHECK(run_server_command({}).exit_status == 2);         // no subcommand
  CHECK(run_server_command({"serve"}).exit_status == 2);  // no --data
  CHECK(run_server_command({"serve", "--data", data.path().string(), "--bogus"}).exit_status == 2);
  const auto bad_listen =
      run_server_command({"serve", "--data", data.path().string(), "--listen", "nope"});
  CHECK(bad_listen.exit_status == 2);
  CHECK(bad_listen.err.find("HOST:PORT") != std::string::npos);
  CHECK(run_server_command({"serve", "--data", data.path().string(), "--max-body", "0"})
            .exit_status == 2);
}

TEST_CASE("runtime failures exit 1 with a message on stderr") {
  const TempDir data;
  SUBCASE("the port is taken") {
    ServerProcess first;
    const auto second =
        run_server_command({"serve", "--data", first.data_dir().string(), "--listen",
                            "127.0.0.1:" + std::to_string(first.port())});
    CHECK(second.exit_status == 1);
    CHECK(second.err.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())) !=
          std::string::npos);
    CHECK(second.out.find("listening") == std::string::npos);
  }
  SUBCASE("the data directory does not exist") {
    const auto result = run_server_command(
        {"serve", "--data", (data.path() / "missing").string(), "--listen", "127.0.0.1:0"});
    CHECK(result.exit_status == 1);
    CHECK(result.err.find("data directory") != std::string::npos);
  }
}

}  // namespace fieldsync::testing
