#pragma once
// The real fieldsync-server (FIELDSYNC_SERVER_BIN) serving an existing data directory on one
// loopback port for its whole life, so that a test can SIGKILL it and start it again on the
// same directory and port while clients keep the same URL.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fieldsync::testing {

// Contract: start() returns once the server printed its "listening on" line (the first start
// picks a free port, later starts reuse it); it throws std::runtime_error with the server's log
// when the server does not come up within 20 s. kill_now() SIGKILLs and reaps the process.
// Every run's stderr is appended to one log file (log_text()). The destructor stops a running
// server with SIGTERM (SIGKILL after 10 s).
class RestartableServer {
 public:
  RestartableServer(std::filesystem::path data_dir, std::filesystem::path log_file,
                    std::vector<std::string> global_args = {});
  ~RestartableServer();
  RestartableServer(const RestartableServer&) = delete;
  RestartableServer& operator=(const RestartableServer&) = delete;

  void start();
  void kill_now();
  // SIGTERM and wait for the exit (SIGKILL after 10 s); returns the exit status (128 + N when
  // killed by signal N).
  int stop();
  bool running() const { return pid_ > 0; }

  const std::string& base_url() const { return base_url_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::string log_text() const;

 private:
  std::filesystem::path data_dir_;
  std::filesystem::path log_file_;
  std::vector<std::string> global_args_;
  std::uint16_t port_ = 0;
  std::string base_url_;
  pid_t pid_ = -1;
};

}  // namespace fieldsync::testing
