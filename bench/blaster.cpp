// blaster: the trivial server that measures loadgen's own ceiling (issue 6: the load generator must be much
// faster than the servers it measures). It accepts WebSocket upgrades on one thread with epoll, answers
// `subscribe` with an ack, and from then on writes message frames shaped exactly like Switchboard's
// (`{"type":"message","channel":...,"seq":N,"message":{...64-byte text...}}`), seq increasing by one per frame
// on each connection, as fast as the socket accepts them: 64 KiB of frames per send(). It does no fan-out
// bookkeeping, so whatever rate loadgen reports against it is loadgen's limit (and the kernel's loopback), not
// a server's.
//
// `--batch 1` writes one frame per send() instead, as a server without write batching does (Switchboard today):
// small TCP segments cost the reader far more per frame than 64 KiB ones, so that is loadgen's ceiling against
// such a server.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "accept_key.hpp"
#include "ws.hpp"

namespace bench {
namespace {

// What one writable event of a connection sends at most, however it is cut into send() calls.
constexpr std::size_t kBytesPerEvent = 64 * 1024;

struct Peer {
  enum State { kClosed, kHttp, kOpen, kBlasting } state = kClosed;
  std::vector<std::uint8_t> in;   // the HTTP request, then a partial client frame
  std::vector<std::uint8_t> out;  // bytes not yet accepted by the socket
  std::size_t out_sent = 0;
  std::uint64_t seq = 0;
  std::string prefix;  // the frame text before the seq: `{"type":"message","channel":"<name>","seq":`
};

class Blaster {
 public:
  Blaster(std::string host, int port, std::size_t payload, std::size_t batch)
      : host_(std::move(host)), port_(port), batch_(batch) {
    suffix_ = ",\"message\":{\"className\":\"ChatMessage\",\"data\":{\"sender\":\"bench\",\"text\":\"" +
              std::string(payload, 'x') + "\"}}}";
    payload_at_ = suffix_.size() - 4 - payload;
    payload_ = payload;
  }
  int run();

 private:
  void accept_all();
  void on_readable(int fd);
  void on_writable(int fd);
  void on_frames(int fd);
  void on_text(int fd, std::string_view text);
  void send_server_frame(int fd, std::uint8_t opcode, std::string_view payload);
  void refill(Peer& p);
  void flush(int fd);
  void close_peer(int fd);
  void watch(int fd, bool write);

  std::string host_;
  int port_;
  std::size_t batch_;  // bytes of frames per send(): a frame more once past it
  int listen_fd_ = -1;
  int epfd_ = -1;
  std::vector<Peer> peers_;  // by fd
  std::string suffix_;
  std::size_t payload_at_ = 0, payload_ = 0;
  std::vector<std::uint8_t> read_buf_ = std::vector<std::uint8_t>(64 * 1024);
};

void Blaster::watch(int fd, bool write) {
  epoll_event ev{.events = EPOLLIN | (write ? EPOLLOUT : 0u), .data = {.fd = fd}};
  epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev);
}

int Blaster::run() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  if (::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1 ||
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 4096) != 0) {
    std::fprintf(stderr, "blaster: cannot listen on %s:%d: %s\n", host_.c_str(), port_, std::strerror(errno));
    return 1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  std::printf("blaster listening on %s:%d\n", host_.c_str(), ntohs(addr.sin_port));
  std::fflush(stdout);

  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{.events = EPOLLIN, .data = {.fd = listen_fd_}};
  epoll_ctl(epfd_, EPOLL_CTL_ADD, listen_fd_, &ev);
  epoll_event events[512];
  for (;;) {
    const int n = epoll_wait(epfd_, events, 512, -1);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listen_fd_) {
        accept_all();
        continue;
      }
      if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(fd);
      if ((events[i].events & EPOLLOUT) && peers_[static_cast<std::size_t>(fd)].state != Peer::kClosed) on_writable(fd);
    }
  }
}

void Blaster::accept_all() {
  for (;;) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (peers_.size() <= static_cast<std::size_t>(fd)) peers_.resize(static_cast<std::size_t>(fd) + 1);
    Peer& p = peers_[static_cast<std::size_t>(fd)];
    p = Peer{};
    p.state = Peer::kHttp;
    p.out.reserve(batch_ + 1024);
    epoll_event ev{.events = EPOLLIN, .data = {.fd = fd}};
    epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
  }
}

void Blaster::close_peer(int fd) {
  Peer& p = peers_[static_cast<std::size_t>(fd)];
  if (p.state == Peer::kClosed) return;
  p = Peer{};
  epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
  ::close(fd);
}

void Blaster::on_readable(int fd) {
  Peer& p = peers_[static_cast<std::size_t>(fd)];
  if (p.state == Peer::kClosed) return;
  const ssize_t n = ::recv(fd, read_buf_.data(), read_buf_.size(), 0);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    close_peer(fd);
    return;
  }
  if (n < 0) return;
  p.in.insert(p.in.end(), read_buf_.begin(), read_buf_.begin() + n);
  if (p.state == Peer::kHttp) {
    const std::string_view req(reinterpret_cast<const char*>(p.in.data()), p.in.size());
    const auto end = req.find("\r\n\r\n");
    if (end == std::string_view::npos) {
      if (req.size() > 8192) close_peer(fd);
      return;
    }
    std::string head(req.substr(0, end));
    std::string lower = head;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const auto k = lower.find("\r\nsec-websocket-key:");
    if (k == std::string::npos) {
      const std::string_view bad = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      ::send(fd, bad.data(), bad.size(), MSG_NOSIGNAL);
      close_peer(fd);
      return;
    }
    auto v = head.find_first_not_of(' ', k + 20);
    const auto v_end = head.find("\r\n", v);
    std::string key = head.substr(v, v_end == std::string::npos ? std::string::npos : v_end - v);
    while (!key.empty() && key.back() == ' ') key.pop_back();
    const std::string response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Accept: " + websocket_accept(key) + "\r\n\r\n";
    p.out.insert(p.out.end(), response.begin(), response.end());
    p.in.erase(p.in.begin(), p.in.begin() + static_cast<std::ptrdiff_t>(end + 4));
    p.state = Peer::kOpen;
    send_server_frame(fd, kText, "{\"type\":\"welcome\",\"session\":\"" + std::to_string(fd) +
                                     "\",\"protocol\":1,\"server\":\"blaster\",\"heartbeatMs\":25000}");
  }
  on_frames(fd);
}

void Blaster::on_frames(int fd) {
  Peer& p = peers_[static_cast<std::size_t>(fd)];
  std::size_t at = 0;
  while (p.state != Peer::kClosed) {
    FrameHeader h;
    if (!parse_frame_header(p.in.data() + at, p.in.size() - at, h) || p.in.size() - at < h.header_bytes + h.payload_bytes) break;
    std::uint8_t* payload = p.in.data() + at + h.header_bytes;
    const std::size_t len = static_cast<std::size_t>(h.payload_bytes);
    if (h.masked) apply_mask(payload, len, h.mask);
    const std::string_view text(reinterpret_cast<const char*>(payload), len);
    at += h.header_bytes + len;
    if (h.opcode == kText) {
      on_text(fd, text);
    } else if (h.opcode == kPing) {
      send_server_frame(fd, kPong, text);
    } else if (h.opcode == kClose) {
      send_server_frame(fd, kClose, text.substr(0, 2));
      close_peer(fd);
    }
  }
  if (p.state == Peer::kClosed) return;  // close_peer() emptied p.in
  p.in.erase(p.in.begin(), p.in.begin() + static_cast<std::ptrdiff_t>(at));
}

void Blaster::on_text(int fd, std::string_view text) {
  Peer& p = peers_[static_cast<std::size_t>(fd)];
  if (text.find("\"type\":\"subscribe\"") == std::string_view::npos || p.state == Peer::kBlasting) return;
  constexpr std::string_view kChannel = "\"channel\":\"";
  const auto c = text.find(kChannel);
  if (c == std::string_view::npos) return;
  const auto c_end = text.find('"', c + kChannel.size());
  const std::string_view channel = text.substr(c + kChannel.size(), c_end - c - kChannel.size());
  send_server_frame(fd, kText, "{\"type\":\"ack\",\"id\":" + std::to_string(find_uint(text, "\"id\":")) + "}");
  p.prefix = "{\"type\":\"message\",\"channel\":\"" + std::string(channel) + "\",\"seq\":";
  p.state = Peer::kBlasting;
  watch(fd, true);
}

void Blaster::send_server_frame(int fd, std::uint8_t opcode, std::string_view payload) {
  Peer& p = peers_[static_cast<std::size_t>(fd)];
  std::uint8_t header[14];
  const std::size_t h = write_frame_header(header, opcode, payload.size());
  p.out.insert(p.out.end(), header, header + h);
  p.out.insert(p.out.end(), payload.begin(), payload.end());
  flush(fd);
}

// Fills p.out with message frames with the next seqs until it holds batch_ bytes (at least one frame); one
// clock read stamps the whole batch.
void Blaster::refill(Peer& p) {
  write_payload(suffix_.data() + payload_at_, payload_, now_ns());
  p.out.resize(batch_ + p.prefix.size() + 20 + suffix_.size() + 14);
  std::uint8_t* out = p.out.data();
  std::size_t at = 0;
  while (at < batch_) {
    char digits[20];
    const std::size_t nd = write_uint(digits, ++p.seq);
    const std::size_t len = p.prefix.size() + nd + suffix_.size();
    at += write_frame_header(out + at, kText, len);
    std::memcpy(out + at, p.prefix.data(), p.prefix.size());
    at += p.prefix.size();
    std::memcpy(out + at, digits, nd);
    at += nd;
    std::memcpy(out + at, suffix_.data(), suffix_.size());
    at += suffix_.size();
  }
  p.out.resize(at);
  p.out_sent = 0;
}

void Blaster::on_writable(int fd) {
  Peer& p = peers_[static_cast<std::size_t>(fd)];
  if (p.state != Peer::kBlasting) {
    flush(fd);
    return;
  }
  // Batches until the socket is full or this event's share is sent, so that small batches do not cost an
  // epoll_wait per send().
  for (std::size_t sent = 0; sent < kBytesPerEvent && p.state == Peer::kBlasting;) {
    if (p.out_sent == p.out.size()) refill(p);
    const std::size_t before = p.out.size() - p.out_sent;
    flush(fd);
    if (p.state != Peer::kBlasting || !p.out.empty()) break;  // closed, or the socket is full
    sent += before;
  }
}

void Blaster::flush(int fd) {
  Peer& p = peers_[static_cast<std::size_t>(fd)];
  while (p.out_sent < p.out.size()) {
    const ssize_t n = ::send(fd, p.out.data() + p.out_sent, p.out.size() - p.out_sent, MSG_NOSIGNAL);
    if (n > 0) {
      p.out_sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (p.state != Peer::kBlasting) watch(fd, true);  // a blasting peer is watched for EPOLLOUT already
      return;
    }
    close_peer(fd);
    return;
  }
  p.out.clear();
  p.out_sent = 0;
  // A blasting peer stays registered for EPOLLOUT: it always has more to write.
  if (p.state != Peer::kBlasting) watch(fd, false);
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 0;
  std::size_t payload = 64;
  std::size_t batch = 64 * 1024;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view a = argv[i];
    if (a == "--host") host = argv[i + 1];
    else if (a == "--port") port = std::atoi(argv[i + 1]);
    else if (a == "--payload") payload = std::strtoul(argv[i + 1], nullptr, 10);
    else if (a == "--batch") batch = std::strtoul(argv[i + 1], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: blaster [--host 127.0.0.1] [--port 0] [--payload 64] [--batch 65536]\n");
      return 2;
    }
  }
  if (payload < bench::kMinPayload || payload > 60000 || batch < 1 || batch > (1u << 24)) {
    std::fprintf(stderr, "blaster: --payload must be 20 to 60000 bytes, --batch 1 to 16 MiB\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  return bench::Blaster(host, port, payload, batch).run();
}
