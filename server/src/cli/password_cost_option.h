#pragma once
// `--password-iterations N`: the PBKDF2 cost of the password hashes a command writes (init,
// user add, user reset-password) or of serve's dummy check against an unknown login. Every
// stored hash records its own count, so hashes of different costs verify side by side. The
// default is the production cost; tests and benchmarks lower it to sign in quickly.
#include <CLI/CLI.hpp>

#include "fieldsync/server/password.h"

namespace fieldsync::server::cli {

inline void add_password_cost_option(CLI::App* command, int& iterations) {
  command
      ->add_option("--password-iterations", iterations,
                   "PBKDF2-SHA256 iterations of new password hashes; lower it only for tests")
      ->type_name("N")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000'000));
}

}  // namespace fieldsync::server::cli
