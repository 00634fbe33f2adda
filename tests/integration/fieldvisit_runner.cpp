#include "fieldvisit_runner.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "child_process.h"

extern char** environ;

namespace fieldsync::testing {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The current environment without FIELDVISIT_* variables, plus `extra`.
std::vector<std::string> environment_with(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    if (text.starts_with("FIELDVISIT_")) continue;
    env.push_back(text);
  }
  for (const auto& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
}

}  // namespace

CommandResult run_fieldvisit(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env,
                             std::chrono::milliseconds timeout) {
  const TempDir temp;
  const auto out_path = temp.path() / "stdout.log";
  const auto err_path = temp.path() / "stderr.log";

  std::vector<std::string> all{FIELDVISIT_BIN};
  all.insert(all.end(), args.begin(), args.end());
  const pid_t pid = spawn_child(all, {-1, out_path}, {-1, err_path}, environment_with(env));

  CommandResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      result.exit_status = exit_code_of(status);
      break;
    }
    if (done < 0 && errno != EINTR)
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      reap_child(pid);
      result.exit_status = -1;
      break;
    }
    std::this_thread::sleep_for(5ms);
  }
  result.out = slurp(out_path);
  result.err = slurp(err_path);
  return result;
}

}  // namespace fieldsync::testing
