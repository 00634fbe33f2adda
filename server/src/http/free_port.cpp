#include "http/free_port.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace fieldsync::server::http {
namespace {

struct AddrInfoDeleter {
  void operator()(addrinfo* info) const { freeaddrinfo(info); }
};

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::uint16_t find_free_port(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int status = getaddrinfo(host.c_str(), "0", &hints, &found);
  if (status != 0) {
    throw std::runtime_error("cannot resolve '" + host + "': " + gai_strerror(status));
  }
  const std::unique_ptr<addrinfo, AddrInfoDeleter> addresses(found);

  std::string last_error = "no IPv4 address";
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    const Socket socket_handle(socket(address->ai_family, address->ai_socktype, 0));
    if (socket_handle.fd() < 0 ||
        bind(socket_handle.fd(), address->ai_addr, address->ai_addrlen) != 0) {
      last_error = std::strerror(errno);
      continue;
    }
    sockaddr_in bound{};
    socklen_t length = sizeof(bound);
    if (getsockname(socket_handle.fd(), reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
      last_error = std::strerror(errno);
      continue;
    }
    return ntohs(bound.sin_port);
  }
  throw std::runtime_error("cannot find a free port on '" + host + "': " + last_error);
}

}  // namespace fieldsync::server::http
