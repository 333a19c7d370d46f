#include "upgrade.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace bench {

in_addr parse_ipv4(const std::string& host) {
  in_addr a{};
  if (::inet_pton(AF_INET, host.c_str(), &a) != 1) throw std::runtime_error("not an IPv4 address: " + host);
  return a;
}

in_addr source_for(std::uint64_t i, std::uint64_t per_source) {
  in_addr a{};
  const std::uint64_t block = per_source ? i / per_source : 0;
  if (block == 0) return a;                                           // INADDR_ANY
  a.s_addr = htonl(static_cast<std::uint32_t>(0x7f000001u + block));  // 127.0.0.(1 + block)
  return a;
}

int start_connect(const sockaddr_in& dst, in_addr src) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (src.s_addr != 0) {
    // The port is chosen at connect() for the whole 4-tuple, not at bind(): otherwise every bound source address
    // would still share one pool of ports.
    ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in s{};
    s.sin_family = AF_INET;
    s.sin_addr = src;
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&s), sizeof s) != 0) {
      const int e = errno;
      ::close(fd);
      return -e;
    }
  }
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&dst), sizeof dst) != 0 && errno != EINPROGRESS) {
    const int e = errno;
    ::close(fd);
    return -e;
  }
  return fd;
}

std::string upgrade_request(std::string_view host, int port, std::string_view path) {
  std::string r = "GET ";
  r.append(path);
  r += " HTTP/1.1\r\nHost: ";
  r.append(host);
  r += ":" + std::to_string(port) +
       "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  return r;
}

long upgrade_response_end(std::string_view response) {
  const auto end = response.find("\r\n\r\n");
  if (end == std::string_view::npos) return 0;
  if (!response.starts_with("HTTP/1.1 101")) return -1;
  return static_cast<long>(end + 4);
}

}  // namespace bench
