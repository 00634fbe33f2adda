#pragma once
// Runs the real fieldsync-server binary (FIELDSYNC_SERVER_BIN) for integration tests.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "temp_dir.h"

namespace fieldsync::testing {

using namespace std::chrono_literals;

// The password of the "admin" user that ServerProcess's `init` creates.
inline constexpr const char* kAdminPassword = "integration-admin-secret";

// `fieldsync-server init --data <fresh temp dir>`, then
// `fieldsync-server [global_args] serve --data <that dir> --listen 127.0.0.1:0 [serve_args]`.
// The constructor returns once the server printed its "listening on" line (at most 10 s; else it
// throws std::runtime_error carrying the server's stderr). The destructor sends SIGTERM, waits up
// to 10 s, then SIGKILLs. stderr goes to a file readable with stderr_text().
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> serve_args = {},
                         std::vector<std::string> global_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& base_url() const { return base_url_; }  // "http://127.0.0.1:PORT"
  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

  std::string stderr_text() const;
  // Polls stderr until it contains text; false when timeout passed first.
  bool wait_for_stderr(std::string_view text, std::chrono::milliseconds timeout = 10s) const;

  void send_signal(int signal_number) const;
  // The exit status once the process ended within timeout (128 + N when killed by signal N);
  // nullopt when it is still running. Sends nothing.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  // SIGTERM, then waits up to timeout; SIGKILL after that (and returns -1). Returns the exit
  // status as wait_exit() does. Idempotent: later calls return the same status.
  int stop(std::chrono::milliseconds timeout = 10s);

 private:
  void read_listening_line(std::chrono::milliseconds timeout);

  TempDir temp_;
  std::filesystem::path data_dir_;
  std::filesystem::path stderr_path_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::optional<int> exit_status_;
  std::string base_url_;
  std::uint16_t port_ = 0;
};

// The result of running the binary to completion.
struct CommandResult {
  int exit_status = -1;  // 128 + N when killed by signal N; -1 when it timed out (then killed)
  std::string out;
  std::string err;
};

// Runs `fieldsync-server args...` with stdin from /dev/null, waits at most timeout.
CommandResult run_server_command(const std::vector<std::string>& args,
                                 std::chrono::milliseconds timeout = 10s);

}  // namespace fieldsync::testing
