#pragma once
// A plain TCP connection to 127.0.0.1 for tests that need byte-level control of a request
// (for example sending a body in two parts). Every wait is bounded.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace fieldsync::testing {

class RawConnection {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error when it cannot.
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send(std::string_view bytes);
  // Reads one HTTP response (headers, then Content-Length bytes of body) or until the peer
  // closes. Returns what arrived; throws std::runtime_error on timeout.
  std::string read_response(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
};

}  // namespace fieldsync::testing
