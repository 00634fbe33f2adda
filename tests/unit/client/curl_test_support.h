#pragma once
// Far ends for the CurlTransport tests, all on 127.0.0.1: the project's HttpServer with a
// scripted handler, a port nobody listens on, and (when the openssl command exists) a real TLS
// server with a self-signed certificate.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fieldsync/server/http_server.h"

extern char** environ;

namespace fieldsync::testing::curl {

using namespace std::chrono_literals;

// Answers call i with script[i] (the last entry repeats forever) and records every request.
// A response whose `hold` is set is only sent after release() or after `hold` has passed.
struct Scripted {
  server::ApiResponse response;
  std::chrono::milliseconds hold{0};
};

class ScriptedHandler : public server::ApiHandler {
 public:
  explicit ScriptedHandler(std::vector<Scripted> script) : script_(std::move(script)) {}
  ~ScriptedHandler() override { release(); }

  server::ApiResponse handle(const server::ApiRequest& request) override {
    std::unique_lock lock(mutex_);
    const std::size_t index = std::min(requests_.size(), script_.size() - 1);
    requests_.push_back(request);
    changed_.notify_all();
    const Scripted& answer = script_[index];
    if (answer.hold > 0ms) changed_.wait_for(lock, answer.hold, [this] { return released_; });
    return answer.response;
  }

  std::vector<server::ApiRequest> requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t count() const { return requests().size(); }
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds limit = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return requests_.size() >= n; });
  }
  void release() {
    const std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  const std::vector<Scripted> script_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<server::ApiRequest> requests_;
  bool released_ = false;
};

inline server::ApiResponse status(int code, std::string body = "{}") {
  server::ApiResponse response;
  response.status = code;
  response.body = std::move(body);
  return response;
}

inline server::ApiResponse with_header(server::ApiResponse response, const std::string& name,
                                       const std::string& value) {
  response.headers[name] = value;
  return response;
}

// An HttpServer on 127.0.0.1 (free port) answering with a ScriptedHandler. Held responses are
// released before the server stops, so teardown never waits for them.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<Scripted> script)
      : handler(std::move(script)), server_("127.0.0.1:0", handler, limits()) {
    server_.start();
  }
  ~ScriptedServer() {
    handler.release();
    server_.stop();
  }
  std::string base_url() const { return server_.base_url(); }
  std::uint16_t port() const { return server_.port(); }

  ScriptedHandler handler;

 private:
  static server::HttpLimits limits() {
    server::HttpLimits result;
    result.shutdown_grace = 2s;
    return result;
  }
  server::HttpServer server_;
};

// A loopback port with nothing listening: bound to get a free number, then closed.
inline std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("bind() failed");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

inline bool can_connect(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

// Runs argv with stdin/stdout/stderr on /dev/null; returns its pid (or -1).
inline pid_t spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (int fd = 0; fd <= 2; ++fd) {
    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
  }
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

inline bool run(const std::vector<std::string>& args) {
  const pid_t pid = spawn(args);
  if (pid < 0) return false;
  int status = 0;
  return ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// `openssl s_server -www` on 127.0.0.1 with a fresh self-signed certificate for IP 127.0.0.1.
// available() is false when the openssl command is missing or the server does not come up.
class TlsServer {
 public:
  TlsServer() {
    std::string dir_template =
        (std::filesystem::temp_directory_path() / "fieldsync-curl-tls-XXXXXX").string();
    if (::mkdtemp(dir_template.data()) == nullptr) return;
    dir_ = dir_template;
    cert_ = (dir_ / "cert.pem").string();
    const std::string key = (dir_ / "key.pem").string();
    if (!run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
              "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert_, "-days", "2",
              "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"})) {
      return;
    }
    for (int attempt = 0; attempt < 3 && pid_ < 0; ++attempt) {
      port_ = closed_port();
      pid_ = spawn({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port_), "-cert",
                    cert_, "-key", key, "-www", "-quiet"});
      if (pid_ < 0) return;
      for (int i = 0; i < 100 && !can_connect(port_); ++i) std::this_thread::sleep_for(50ms);
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;  // exited: port taken?
    }
    available_ = pid_ > 0 && can_connect(port_);
  }
  ~TlsServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  bool available() const { return available_; }
  std::uint16_t port() const { return port_; }
  const std::string& cert_file() const { return cert_; }

 private:
  std::filesystem::path dir_;
  std::string cert_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool available_ = false;
};

}  // namespace fieldsync::testing::curl
