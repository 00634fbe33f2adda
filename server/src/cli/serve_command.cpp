#include "cli/serve_command.h"

#include <signal.h>

#include <filesystem>
#include <iostream>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "cli/password_cost_option.h"
#include "fieldsync/core/clock.h"
#include "fieldsync/server/http_server.h"
#include "fieldsync/server/server_app.h"

namespace fieldsync::server::cli {
namespace {

// A CLI11 check: empty when text is a valid listen address, else why not.
std::string check_listen_address(const std::string& text) {
  try {
    ListenAddress::parse(text);
    return {};
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

int wait_for_shutdown_signal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int received = 0;
  while (sigwait(&signals, &received) != 0) {
  }
  return received;
}

}  // namespace

CLI::App* add_serve_command(CLI::App& app, ServeOptions& options) {
  auto* serve = app.add_subcommand("serve", "Serve the sync API over HTTP until SIGTERM/SIGINT");
  serve->add_option("--data", options.data_dir, "Data directory (must exist)")
      ->required()
      ->type_name("DIR");
  serve
      ->add_option("--listen", options.listen,
                   "Address to listen on; port 0 picks a free port (printed on stdout)")
      ->type_name("HOST:PORT")
      ->capture_default_str()
      ->check(CLI::Validator(check_listen_address, "", "listen address"));
  serve->add_option("--max-body", options.max_body_bytes, "Largest request body accepted")
      ->type_name("BYTES")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve->add_option("--token-ttl", options.token_ttl_seconds, "How long a sign-in token lasts")
      ->type_name("SECONDS")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve
      ->add_option("--urgent-report-threshold", options.urgent_report_threshold_minutes,
                   "An urgent report reaching the office later than this after it became known "
                   "is marked late")
      ->type_name("MINUTES")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  add_password_cost_option(serve, options.password_iterations);
  return serve;
}

int run_serve(const ServeOptions& options) {
  std::error_code error;
  if (!std::filesystem::is_directory(options.data_dir, error)) {
    std::cerr << "fieldsync-server: data directory '" << options.data_dir
              << "' does not exist or is not a directory\n";
    return 1;
  }

  HttpLimits limits;
  limits.max_body_bytes = options.max_body_bytes;
  try {
    SystemClock wall;
    SecureRandom random;
    AuthPolicy policy;
    policy.token_ttl_ms = options.token_ttl_seconds * 1000;
    policy.password_iterations = options.password_iterations;
    ServerApp app(options.data_dir, wall, random, policy,
                  options.urgent_report_threshold_minutes * 60 * 1000);
    HttpServer server(options.listen, app.handler(), limits);
    server.start();
    spdlog::info("serving data directory {}", options.data_dir);
    std::cout << "fieldsync-server listening on " << server.base_url() << std::endl;

    const int signal_number = wait_for_shutdown_signal();
    spdlog::info("received {}, stopping", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
    server.stop();
    spdlog::info("stopped");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "fieldsync-server: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace fieldsync::server::cli
