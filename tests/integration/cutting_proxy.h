#pragma once
// A TCP proxy on 127.0.0.1 between a client and the server that can cut the link on purpose:
// after N more bytes of requests (client to server) or of responses (server to client), or by
// dropping the next connection. A cut link stays down (every new connection is closed at once)
// until heal(), like a tablet that lost its network.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fieldsync::testing {

class CuttingProxy {
 public:
  // Listens on 127.0.0.1:0 and forwards every connection to 127.0.0.1:target_port. Throws
  // std::runtime_error when it cannot listen.
  explicit CuttingProxy(std::uint16_t target_port);
  // Stops accepting, closes every connection and joins every thread.
  ~CuttingProxy();
  CuttingProxy(const CuttingProxy&) = delete;
  CuttingProxy& operator=(const CuttingProxy&) = delete;

  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Forwards `bytes` more bytes of requests, then cuts the link (open connections closed).
  void cut_request_after(std::size_t bytes);
  // Forwards `bytes` more bytes of responses, then cuts the link.
  void cut_response_after(std::size_t bytes);
  // Closes the next connection as soon as it is accepted (one-shot; the link stays up).
  void drop_next_connection();
  // Link up again; any armed cut is disarmed.
  void heal();

  bool link_down() const { return down_.load(); }
  int connections() const { return connections_.load(); }
  // "METHOD /path?query" of every request forwarded (in full or in part), in order.
  std::vector<std::string> requests() const;

 private:
  static constexpr std::size_t kNotArmed = static_cast<std::size_t>(-1);

  void accept_loop();
  void relay(int client_fd);
  // How many of `wanted` bytes in this direction may pass now; trips the cut when the budget
  // runs out.
  std::size_t allow(bool request, std::size_t wanted);
  void note_requests(std::string& pending, const char* data, std::size_t size);

  std::uint16_t target_port_;
  std::uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> down_{false};
  std::atomic<bool> drop_next_{false};
  std::atomic<int> connections_{0};

  mutable std::mutex mutex_;  // guards the budgets, requests_ and workers_
  std::size_t request_budget_ = kNotArmed;
  std::size_t response_budget_ = kNotArmed;
  std::vector<std::string> requests_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

}  // namespace fieldsync::testing
