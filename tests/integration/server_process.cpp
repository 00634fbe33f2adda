#include "server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "child_process.h"
#include "password_cost.h"

extern char** environ;

namespace fieldsync::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kStartupTimeout = 10s;
constexpr auto kPollInterval = 5ms;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The exit status once pid ended before deadline, else nullopt.
std::optional<int> wait_until(pid_t pid, Clock::time_point deadline) {
  while (true) {
    int status = 0;
    const pid_t result = waitpid(pid, &status, WNOHANG);
    if (result == pid) return exit_code_of(status);
    if (result < 0 && errno != EINTR) {
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
}

int kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  return reap_child(pid);
}

// Starts the server binary with args. stdout goes to stdout_fd when >= 0, else to stdout_path;
// stderr to stderr_path.
pid_t spawn_server(const std::vector<std::string>& args, int stdout_fd,
                   const std::filesystem::path& stdout_path,
                   const std::filesystem::path& stderr_path) {
  std::vector<std::string> all{FIELDSYNC_SERVER_BIN};
  all.insert(all.end(), args.begin(), args.end());
  return spawn_child(all, {stdout_fd, stdout_path}, {-1, stderr_path});
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> serve_args,
                             std::vector<std::string> global_args)
    : data_dir_(temp_.path() / "data"), stderr_path_(temp_.path() / "stderr.log") {
  // An initialised store: a root unit "Plant" and the admin, password kAdminPassword.
  setenv("FIELDSYNC_ADMIN_PASSWORD", kAdminPassword, 1);
  const CommandResult init = run_server_command(
      {"init", "--data", data_dir_.string(), "--password-iterations", kTestPasswordIterationsArg},
      60s);
  if (init.exit_status != 0) throw std::runtime_error("fieldsync-server init failed: " + init.err);
  std::vector<std::string> args = std::move(global_args);
  for (const char* arg : {"serve", "--data", data_dir_.c_str(), "--listen", "127.0.0.1:0",
                          "--password-iterations", kTestPasswordIterationsArg}) {
    args.emplace_back(arg);
  }
  args.insert(args.end(), serve_args.begin(), serve_args.end());

  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  try {
    pid_ = spawn_server(args, pipe_fds[1], {}, stderr_path_);
  } catch (...) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    throw;
  }
  close(pipe_fds[1]);
  stdout_fd_ = pipe_fds[0];
  try {
    read_listening_line(kStartupTimeout);
  } catch (...) {
    if (!exit_status_) exit_status_ = kill_and_reap(pid_);
    close(stdout_fd_);
    throw;
  }
}

ServerProcess::~ServerProcess() {
  try {
    stop();
  } catch (...) {
    if (!exit_status_) kill_and_reap(pid_);
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

void ServerProcess::read_listening_line(std::chrono::milliseconds timeout) {
  const testing::ListeningLine line =
      testing::read_listening_line(stdout_fd_, Clock::now() + timeout);
  auto fail = [&](const std::string& why) {
    throw std::runtime_error("fieldsync-server " + why + "\nstdout:\n" + line.output +
                             "\nstderr:\n" + stderr_text());
  };
  if (line.failure == "timeout") fail("did not report listening within the startup timeout");
  if (line.failure == "closed") {
    exit_status_ = wait_until(pid_, Clock::now() + 2s);
    fail("exited before listening (status " +
         (exit_status_ ? std::to_string(*exit_status_) : std::string("unknown")) + ")");
  }
  if (!line.failure.empty()) fail(line.failure);
  const auto colon = line.url.rfind(':');
  if (colon == std::string::npos) fail("reported listening on " + line.url + ", without a port");
  base_url_ = line.url;
  port_ = static_cast<std::uint16_t>(std::stoi(line.url.substr(colon + 1)));
}

std::string ServerProcess::stderr_text() const {
  return read_file(stderr_path_);
}

bool ServerProcess::wait_for_stderr(std::string_view text,
                                    std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (stderr_text().find(text) == std::string::npos) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

void ServerProcess::send_signal(int signal_number) const {
  if (!exit_status_) kill(pid_, signal_number);
}

std::optional<int> ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (!exit_status_) exit_status_ = wait_until(pid_, Clock::now() + timeout);
  return exit_status_;
}

int ServerProcess::stop(std::chrono::milliseconds timeout) {
  if (exit_status_) return *exit_status_;
  kill(pid_, SIGTERM);
  if (auto status = wait_until(pid_, Clock::now() + timeout)) {
    exit_status_ = status;
    return *status;
  }
  kill_and_reap(pid_);
  exit_status_ = -1;
  return -1;
}

CommandResult run_server_command(const std::vector<std::string>& args,
                                 std::chrono::milliseconds timeout) {
  const TempDir temp;
  const auto out_path = temp.path() / "stdout.log";
  const auto err_path = temp.path() / "stderr.log";
  const pid_t pid = spawn_server(args, -1, out_path, err_path);
  CommandResult result;
  if (auto status = wait_until(pid, Clock::now() + timeout)) {
    result.exit_status = *status;
  } else {
    kill_and_reap(pid);
  }
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

}  // namespace fieldsync::testing
