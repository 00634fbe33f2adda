#pragma once
// The `fieldsync-server` admin subcommands over a data directory:
//   init --data DIR [--unit-name NAME] [--unit-kind plant|bureau] [--admin-login LOGIN]
//   unit add --data DIR --name N --kind K [--parent ID|PATH]
//   unit list --data DIR
//   user add --data DIR --login L --name N --role R --unit ID|PATH
//   user disable --data DIR --login L
//   user reset-password --data DIR --login L
//   device list --data DIR
//   device revoke --data DIR --id ID
// Passwords come from FIELDSYNC_ADMIN_PASSWORD (init) or FIELDSYNC_USER_PASSWORD (user add,
// reset-password), else from a prompt with echo off; they are never printed or logged. The
// commands that hash one (init, user add, reset-password) take --password-iterations N.
#include <ostream>

#include <CLI/CLI.hpp>

#include "fieldsync/core/clock.h"
#include "fieldsync/server/password.h"

namespace fieldsync::server::cli {

// What the commands print to and take time and randomness from.
struct AdminConsole {
  std::ostream& out;
  std::ostream& err;
  WallClock& clock;
  RandomSource& random;
  int password_iterations = kDefaultPasswordIterations;
};

// Registers the subcommands on `app`. When one of them runs (its callback, during
// app.parse()), it sets exit_code: 0 done, 1 it failed (a message naming the problem on
// stderr), 2 its input was unusable (no or empty password). Command-line errors are CLI11
// parse errors, left to the caller (exit code 2). REQUIRES: exit_code outlives app.
void add_admin_commands(CLI::App& app, int& exit_code);
// The same, printing to and taking time and randomness from `console`, which must outlive app.
void add_admin_commands(CLI::App& app, int& exit_code, AdminConsole& console);

}  // namespace fieldsync::server::cli
