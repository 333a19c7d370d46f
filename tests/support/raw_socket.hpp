#pragma once
// RawSocket: a blocking TCP socket with a receive timeout, for tests that must control the exact bytes on
// the wire (hand-built handshakes and frames, a peer that stops answering).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace switchboard::testing {

class RawSocket {
 public:
  // `receive_buffer` (bytes, 0 = the kernel's default) makes a client that stops reading fill up quickly.
  explicit RawSocket(std::uint16_t port, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
    set_timeout(std::chrono::milliseconds(5000));
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  void set_timeout(std::chrono::milliseconds t) {
    timeval tv{static_cast<time_t>(t.count() / 1000), static_cast<suseconds_t>((t.count() % 1000) * 1000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  void write(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
      auto n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send");
      off += static_cast<std::size_t>(n);
    }
  }

  // Reads exactly n bytes; nullopt on EOF, reset or timeout.
  std::optional<std::string> read_exactly(std::size_t n) {
    std::string out(n, '\0');
    std::size_t off = 0;
    while (off < n) {
      auto r = ::recv(fd_, out.data() + off, n - off, 0);
      if (r <= 0) return std::nullopt;
      off += static_cast<std::size_t>(r);
    }
    return out;
  }

  // Reads until "\r\n\r\n" (an HTTP head); nullopt on EOF or timeout.
  std::optional<std::string> read_http_head() {
    std::string out;
    char c;
    while (out.size() < 65536) {
      if (::recv(fd_, &c, 1, 0) != 1) return std::nullopt;
      out.push_back(c);
      if (out.ends_with("\r\n\r\n")) return out;
    }
    return std::nullopt;
  }

  // Reads whatever arrives until EOF; returns the bytes, and whether EOF (not a timeout) ended it.
  std::pair<std::string, bool> read_to_eof() {
    std::string out;
    char buf[4096];
    for (;;) {
      auto r = ::recv(fd_, buf, sizeof buf, 0);
      if (r == 0) return {out, true};
      if (r < 0) return {out, errno == ECONNRESET};
      out.append(buf, static_cast<std::size_t>(r));
    }
  }

  // The WebSocket opening handshake for `target`; returns the response head.
  std::string upgrade(const std::string& target = "/ws") {
    write("GET " + target +
          " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    auto head = read_http_head();
    if (!head) throw std::runtime_error("no handshake response");
    return *head;
  }

  struct Frame {
    std::uint8_t opcode;
    bool fin;
    std::string payload;
  };

  // Reads one server frame (servers never mask).
  std::optional<Frame> read_frame() {
    auto h = read_exactly(2);
    if (!h) return std::nullopt;
    Frame f{static_cast<std::uint8_t>((*h)[0] & 0x0F), ((*h)[0] & 0x80) != 0, {}};
    std::uint64_t len = static_cast<std::uint8_t>((*h)[1]) & 0x7F;
    if (len == 126 || len == 127) {
      auto ext = read_exactly(len == 126 ? 2 : 8);
      if (!ext) return std::nullopt;
      len = 0;
      for (char c : *ext) len = (len << 8) | static_cast<std::uint8_t>(c);
    }
    auto payload = read_exactly(len);
    if (!payload) return std::nullopt;
    f.payload = *payload;
    return f;
  }

  // Builds a client frame; masked unless told otherwise (RFC 6455 requires masking from clients).
  static std::string frame(std::uint8_t first_byte, const std::string& payload, bool mask = true,
                           std::optional<std::uint64_t> claimed_length = std::nullopt) {
    std::string out;
    out.push_back(static_cast<char>(first_byte));
    const std::uint64_t len = claimed_length.value_or(payload.size());
    const std::uint8_t mask_bit = mask ? 0x80 : 0;
    if (len < 126) {
      out.push_back(static_cast<char>(mask_bit | len));
    } else if (len < 65536) {
      out.push_back(static_cast<char>(mask_bit | 126));
      out.push_back(static_cast<char>(len >> 8));
      out.push_back(static_cast<char>(len & 0xFF));
    } else {
      out.push_back(static_cast<char>(mask_bit | 127));
      for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((len >> (8 * i)) & 0xFF));
    }
    const char key[4] = {0x11, 0x22, 0x33, 0x44};
    if (mask) out.append(key, 4);
    for (std::size_t i = 0; i < payload.size(); ++i) {
      out.push_back(mask ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i]);
    }
    return out;
  }

  static std::uint16_t close_code_of(const Frame& f) {
    if (f.opcode != 0x8 || f.payload.size() < 2) return 0;
    return static_cast<std::uint16_t>((static_cast<std::uint8_t>(f.payload[0]) << 8) |
                                      static_cast<std::uint8_t>(f.payload[1]));
  }

 private:
  int fd_ = -1;
};

}  // namespace switchboard::testing
