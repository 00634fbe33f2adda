#pragma once
// Where admin commands get a password: an environment variable, else a prompt on the
// terminal with echo off. The password is never printed or logged.
#include <stdexcept>
#include <string>

namespace fieldsync::server::cli {

// The command line (or its environment) does not give what the command needs: exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The value of `env_var` when set; otherwise, when stdin is a terminal, asks on stderr with
// echo off (twice when `confirm`, to catch typos). Throws UsageError for an empty password, a
// mismatch, end of input, or no terminal and no variable.
std::string read_password(const char* env_var, const std::string& whose, bool confirm);

}  // namespace fieldsync::server::cli
