#pragma once
// `fieldsync-server serve`: runs the HTTP API until SIGTERM or SIGINT, then stops cleanly.
#include <cstddef>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "fieldsync/server/limits.h"
#include "fieldsync/server/password.h"

namespace fieldsync::server::cli {

struct ServeOptions {
  std::string data_dir;
  std::string listen = "127.0.0.1:8080";
  std::size_t max_body_bytes = kMaxBodyBytes;
  std::int64_t token_ttl_seconds = 30 * 24 * 60 * 60;
  std::int64_t urgent_report_threshold_minutes = 120;
  int password_iterations = kDefaultPasswordIterations;  // of the dummy check (unknown login)
};

// Adds the subcommand and its options (bound to options) to app.
CLI::App* add_serve_command(CLI::App& app, ServeOptions& options);

// REQUIRES: SIGTERM and SIGINT are blocked in every thread (main() does it first). Prints
// "fieldsync-server listening on http://HOST:PORT" to stdout once listening, waits for one of
// those signals, stops the server. Returns the exit code: 0, or 1 (message on stderr).
int run_serve(const ServeOptions& options);

}  // namespace fieldsync::server::cli
