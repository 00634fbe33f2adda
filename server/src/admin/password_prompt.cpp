#include "admin/password_prompt.h"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace fieldsync::server::cli {
namespace {

// Turns terminal echo off for its lifetime (the newline the user types is still echoed).
class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::string prompt(const std::string& text) {
  std::cerr << text << std::flush;
  std::string line;
  {
    EchoOff quiet;
    if (!std::getline(std::cin, line)) throw UsageError("no password was entered");
  }
  return line;
}

}  // namespace

std::string read_password(const char* env_var, const std::string& whose, bool confirm) {
  if (const char* value = std::getenv(env_var)) {
    if (*value == '\0')
      throw UsageError(std::string(env_var) + " is empty; an empty password is refused");
    return value;
  }
  if (!isatty(STDIN_FILENO))
    throw UsageError("no password: set " + std::string(env_var) + " or run on a terminal");
  std::string password = prompt("Password for " + whose + ": ");
  if (password.empty()) throw UsageError("an empty password is refused");
  if (confirm && prompt("Repeat the password: ") != password)
    throw UsageError("the two passwords differ; nothing was changed");
  return password;
}

}  // namespace fieldsync::server::cli
