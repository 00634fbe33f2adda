// fieldsync-server: the central FieldSync server. Exit codes: 0 success, 1 runtime failure
// (message on stderr), 2 usage error.
#include <signal.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "admin/admin_commands.h"
#include "cli/report_command.h"
#include "cli/serve_command.h"

namespace {

constexpr int kUsageError = 2;

// Before any thread exists, so that every thread inherits the mask and only sigwait() in the
// serve command receives these signals.
void block_shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a closed peer or stdout is an error code, not a kill
}

void set_up_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("fieldsync-server");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"FieldSync central server: serves the sync API to tablets", "fieldsync-server"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "Log level on stderr")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  fieldsync::server::cli::ServeOptions serve_options;
  auto* serve = fieldsync::server::cli::add_serve_command(app, serve_options);
  // Admin subcommands run during parse() and set the exit code.
  int admin_exit_code = kUsageError;
  fieldsync::server::cli::add_admin_commands(app, admin_exit_code);
  fieldsync::server::cli::add_report_command(app, admin_exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help or the error
    return code == 0 ? 0 : kUsageError;
  }

  set_up_logging(log_level);
  if (!serve->parsed()) return admin_exit_code;
  // Only now: an admin command's password prompt must still stop on Ctrl-C.
  block_shutdown_signals();
  return fieldsync::server::cli::run_serve(serve_options);
}
