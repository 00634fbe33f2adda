#include "cutting_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace fieldsync::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kPollMs = 20;
constexpr auto kMaxLifetime = std::chrono::seconds(120);  // no connection outlives this
constexpr auto kMaxIdle = std::chrono::seconds(30);
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::string_view kVersionMarker = " HTTP/1.1\r\n";
constexpr std::size_t kMaxRequestLine = 4096;

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("cutting proxy: " + what + ": " + std::strerror(errno));
}

// Writes all of data; false when the peer is gone.
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t sent = send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

// A connection to 127.0.0.1:port, or -1.
int connect_to(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const sockaddr_in address = loopback(port);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

CuttingProxy::CuttingProxy(std::uint16_t target_port) : target_port_(target_port) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) fail("socket");
  const int yes = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address = loopback(0);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listen_fd_, 64) != 0) {
    close(listen_fd_);
    fail("bind/listen on 127.0.0.1:0");
  }
  socklen_t length = sizeof address;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

CuttingProxy::~CuttingProxy() {
  stopping_.store(true);
  acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (std::thread& worker : workers) worker.join();
  close(listen_fd_);
}

void CuttingProxy::cut_request_after(std::size_t bytes) {
  std::lock_guard lock(mutex_);
  request_budget_ = bytes;
}

void CuttingProxy::cut_response_after(std::size_t bytes) {
  std::lock_guard lock(mutex_);
  response_budget_ = bytes;
}

void CuttingProxy::drop_next_connection() {
  drop_next_.store(true);
}

void CuttingProxy::heal() {
  std::lock_guard lock(mutex_);
  request_budget_ = response_budget_ = kNotArmed;
  down_.store(false);
}

std::vector<std::string> CuttingProxy::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void CuttingProxy::accept_loop() {
  while (!stopping_.load()) {
    pollfd ready{listen_fd_, POLLIN, 0};
    if (poll(&ready, 1, kPollMs) <= 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    if (drop_next_.exchange(false) || down_.load()) {
      close(fd);
      continue;
    }
    std::lock_guard lock(mutex_);
    workers_.emplace_back([this, fd] { relay(fd); });
  }
}

std::size_t CuttingProxy::allow(bool request, std::size_t wanted) {
  std::lock_guard lock(mutex_);
  if (down_.load()) return 0;
  std::size_t& budget = request ? request_budget_ : response_budget_;
  if (budget == kNotArmed) return wanted;
  const std::size_t granted = std::min(budget, wanted);
  budget -= granted;
  if (budget == 0) {
    budget = kNotArmed;
    down_.store(true);
  }
  return granted;
}

void CuttingProxy::note_requests(std::string& pending, const char* data, std::size_t size) {
  pending.append(data, size);
  for (;;) {
    const auto marker = pending.find(kVersionMarker);
    if (marker == std::string::npos) break;
    const std::size_t from = marker > kMaxRequestLine ? marker - kMaxRequestLine : 0;
    const std::string window = pending.substr(from, marker - from);
    const auto get = window.rfind("GET /");
    const auto post = window.rfind("POST /");
    std::size_t start = std::string::npos;
    if (get != std::string::npos) start = get;
    if (post != std::string::npos && (start == std::string::npos || post > start)) start = post;
    if (start != std::string::npos) {
      std::lock_guard lock(mutex_);
      requests_.push_back(window.substr(start));
    }
    pending.erase(0, marker + kVersionMarker.size());
  }
  if (pending.size() > 2 * kMaxRequestLine) pending.erase(0, pending.size() - kMaxRequestLine);
}

void CuttingProxy::relay(int client_fd) {
  const int server_fd = connect_to(target_port_);
  const auto started = Clock::now();
  auto last_traffic = started;
  std::string pending_requests;
  char buffer[kChunk];
  while (server_fd >= 0 && !stopping_.load() && !down_.load() &&
         Clock::now() - started < kMaxLifetime && Clock::now() - last_traffic < kMaxIdle) {
    pollfd fds[2] = {{client_fd, POLLIN, 0}, {server_fd, POLLIN, 0}};
    if (poll(fds, 2, kPollMs) <= 0) continue;
    bool open = true;
    for (int side = 0; side < 2 && open; ++side) {
      if (fds[side].revents == 0) continue;
      const bool request = side == 0;
      const ssize_t got = read(fds[side].fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        open = false;
        break;
      }
      last_traffic = Clock::now();
      const std::size_t granted = allow(request, static_cast<std::size_t>(got));
      if (request) note_requests(pending_requests, buffer, granted);
      if (!write_all(request ? server_fd : client_fd, buffer, granted) ||
          granted < static_cast<std::size_t>(got))
        open = false;
    }
    if (!open) break;
  }
  if (server_fd >= 0) close(server_fd);
  close(client_fd);
}

}  // namespace fieldsync::testing
