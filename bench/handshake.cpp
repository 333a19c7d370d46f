#include "handshake.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace bench {

namespace {

[[noreturn]] void fail(int fd, const std::string& what) {
  if (fd >= 0) ::close(fd);
  throw std::runtime_error(what);
}

}  // namespace

Upgraded connect_websocket(const std::string& host, int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail(-1, std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) fail(fd, "not an IPv4 address: " + host);
  // The handshake is blocking, bounded by a receive timeout so that a server that never answers ends the run.
  timeval tv{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    fail(fd, std::string("connect: ") + std::strerror(errno));
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  // A fixed key: the server's Sec-WebSocket-Accept is not checked (it proves nothing between two local programs).
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
                              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  for (std::size_t sent = 0; sent < request.size();) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) fail(fd, std::string("send: ") + std::strerror(errno));
    sent += static_cast<std::size_t>(n);
  }

  std::string response;
  std::size_t end;
  while ((end = response.find("\r\n\r\n")) == std::string::npos) {
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n == 0) fail(fd, "the server closed the connection during the handshake");
    if (n < 0) fail(fd, std::string("handshake: ") + std::strerror(errno));
    response.append(buf, static_cast<std::size_t>(n));
    if (response.size() > 16384) fail(fd, "handshake response too long");
  }
  if (!response.starts_with("HTTP/1.1 101")) fail(fd, "upgrade refused: " + response.substr(0, response.find("\r\n")));

  Upgraded out;
  out.fd = fd;
  out.leftover.assign(response.begin() + static_cast<std::ptrdiff_t>(end + 4), response.end());
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return out;
}

}  // namespace bench
