#include "restartable_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "child_process.h"

namespace fieldsync::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kStartTimeout = 20s;
constexpr int kStartAttempts = 5;  // a port still held by the killed process is retried

// The child: stdout to `out_fd`, stderr appended to `log`.
pid_t spawn(const std::vector<std::string>& args, int out_fd, const std::filesystem::path& log) {
  std::vector<std::string> all{FIELDSYNC_SERVER_BIN};
  all.insert(all.end(), args.begin(), args.end());
  return spawn_child(all, {out_fd, {}}, {-1, log, true});
}

}  // namespace

RestartableServer::RestartableServer(std::filesystem::path data_dir, std::filesystem::path log_file,
                                     std::vector<std::string> global_args)
    : data_dir_(std::move(data_dir)),
      log_file_(std::move(log_file)),
      global_args_(std::move(global_args)) {}

RestartableServer::~RestartableServer() {
  try {
    stop();
  } catch (...) {
  }
}

void RestartableServer::start() {
  if (running()) throw std::logic_error("the server is already running");
  std::vector<std::string> args = global_args_;
  const std::string listen = "127.0.0.1:" + std::to_string(port_);
  for (const std::string& arg : {std::string("serve"), std::string("--data"), data_dir_.string(),
                                 std::string("--listen"), listen})
    args.push_back(arg);

  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_t pid = -1;
    try {
      pid = spawn(args, fds[1], log_file_);
    } catch (...) {
      close(fds[0]);
      close(fds[1]);
      throw;
    }
    close(fds[1]);
    const std::string url = read_listening_line(fds[0], Clock::now() + kStartTimeout).url;
    close(fds[0]);
    if (!url.empty()) {
      pid_ = pid;
      base_url_ = url;
      port_ = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
      return;
    }
    kill(pid, SIGKILL);
    reap_child(pid);
    std::this_thread::sleep_for(200ms);
  }
  throw std::runtime_error("fieldsync-server did not start on " + listen + "; its log:\n" +
                           log_text());
}

void RestartableServer::kill_now() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  reap_child(pid_);
  pid_ = -1;
}

int RestartableServer::stop() {
  if (!running()) return 0;
  kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + 10s;
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return exit_code_of(status);
    }
    std::this_thread::sleep_for(5ms);
  }
  kill(pid_, SIGKILL);
  const int status = reap_child(pid_);
  pid_ = -1;
  return status;
}

std::string RestartableServer::log_text() const {
  std::ifstream in(log_file_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace fieldsync::testing
