#include "engine.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "upgrade.hpp"
#include "ws.hpp"

namespace bench {

namespace {

bool is_opening(Stage s) { return s == Stage::connecting || s == Stage::upgrading || s == Stage::opening; }

std::uint64_t token(const Conn& c, std::size_t slot) { return (std::uint64_t{c.gen} << 32) | slot; }

constexpr char kNormalClose[] = {0x03, static_cast<char>(0xe8)};  // 1000

}  // namespace

// Hands the adapter's findings for one connection back to the engine.
struct EventSinkFor {
  Engine& e;
  Conn& c;
  std::uint64_t now;
  void on_event(const Event& ev) {
    if (e.is_open(c)) e.on_event(c, ev, now);
  }
  void reply(std::string_view bytes) {
    if (e.is_open(c)) e.send_frame(c, client_opcode(e.cfg_.protocol), bytes.data(), bytes.size());
  }
};

Engine::Engine(EngineConfig cfg, const std::vector<std::string>& channels, std::size_t slots)
    : cfg_(std::move(cfg)), conns_(slots), read_buf_(256 * 1024) {
  dst_.sin_family = AF_INET;
  dst_.sin_port = htons(static_cast<std::uint16_t>(cfg_.port));
  dst_.sin_addr = parse_ipv4(cfg_.host);
  request_ = upgrade_request(cfg_.host, cfg_.port, cfg_.path);
  std::size_t publish_max = 0;
  for (const std::string& name : channels) {
    ChannelState ch;
    ch.wire = wire_channel_name(cfg_.protocol, name);
    ch.subscribe = subscribe_request(cfg_.protocol, ch.wire, 1);
    publish_max = std::max(publish_max, publish_capacity(ch.wire, cfg_.payload));
    channels_.push_back(std::move(ch));
  }
  publish_buf_.resize(publish_max);
  free_.reserve(slots);
  for (std::size_t i = slots; i-- > 0;) free_.push_back(static_cast<int>(i));
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epfd_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
}

Engine::~Engine() {
  for (Conn& c : conns_)
    if (c.fd >= 0) ::close(c.fd);
  if (epfd_ >= 0) ::close(epfd_);
}

void Engine::fail(const std::string& what) {
  if (first_error_.empty()) first_error_ = what;
}

void Engine::watch(Conn& c, std::uint32_t events, int op) {
  epoll_event ev{.events = events, .data = {.u64 = token(c, static_cast<std::size_t>(&c - conns_.data()))}};
  epoll_ctl(epfd_, op, c.fd, &ev);
}

int Engine::open(Role role, int channel, bool auto_subscribe, bool abrupt) {
  if (free_.empty()) return -1;
  if (role == Role::churner) ++churn_started;
  const int fd = start_connect(dst_, source_for(connections_started_++, cfg_.per_source));
  if (fd < 0) {
    const std::string why = std::string("connect: ") + std::strerror(-fd);
    if (role == Role::churner) {
      ++churn_failed;
      if (first_churn_failure.empty()) first_churn_failure = why;
    } else {
      ++connect_failed;
      last_connect_error = why;
    }
    return -1;
  }
  const int slot = free_.back();
  free_.pop_back();
  Conn& c = conns_[static_cast<std::size_t>(slot)];
  // Capacities of carry, out, and proto.stream stay from the slot's last user: no allocation per churn cycle.
  c.fd = fd;
  c.role = role;
  c.stage = Stage::connecting;
  c.auto_subscribe = auto_subscribe;
  c.abrupt = abrupt;
  c.want_write = false;
  c.channel = channel;
  c.started_ns = now_ns();
  c.http.clear();
  c.carry.clear();
  c.out.clear();
  c.out_sent = 0;
  c.proto.opened = false;
  c.proto.stream.clear();
  c.next_seq = 1;
  c.skipped = c.stale = 0;
  c.pub_channels.clear();
  c.publishes = c.acks = 0;
  c.next_due_ns = 0;
  ++opening;
  watch(c, EPOLLOUT, EPOLL_CTL_ADD);
  return slot;
}

void Engine::subscribe(Conn& c) {
  const std::string& s = channels_[static_cast<std::size_t>(c.channel)].subscribe;
  c.stage = Stage::subscribing;
  send_frame(c, client_opcode(cfg_.protocol), s.data(), s.size());
}

void Engine::poll(std::uint64_t timeout_ns) {
  epoll_event events[256];
  const timespec ts{.tv_sec = static_cast<time_t>(timeout_ns / 1'000'000'000u),
                    .tv_nsec = static_cast<long>(timeout_ns % 1'000'000'000u)};
  const int n = epoll_pwait2(epfd_, events, 256, &ts, nullptr);
  for (int i = 0; i < n; ++i) {
    const std::uint64_t t = events[i].data.u64;
    Conn& c = conns_[static_cast<std::size_t>(t & 0xffffffffu)];
    if (c.gen != static_cast<std::uint32_t>(t >> 32) || !is_open(c)) continue;  // a reused or closed slot
    if (c.stage == Stage::connecting) {
      on_connected(c);
      continue;
    }
    if (events[i].events & EPOLLOUT) flush(c);
    if (is_open(c) && (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) on_readable(c);
  }
}

void Engine::on_connected(Conn& c) {
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
  // The request is a few hundred bytes into an empty socket buffer: it is taken whole or the connection is bad.
  if (err == 0 && ::send(c.fd, request_.data(), request_.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request_.size()))
    err = errno ? errno : EIO;
  if (err != 0) {
    lost_conn(c, 1006, std::string("connect: ") + std::strerror(err));
    return;
  }
  c.stage = Stage::upgrading;
  watch(c, EPOLLIN, EPOLL_CTL_MOD);
}

void Engine::on_readable(Conn& c) {
  std::size_t have = 0;
  if (c.stage == Stage::upgrading) {
    const ssize_t n = ::recv(c.fd, read_buf_.data(), read_buf_.size(), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    if (n <= 0) {
      lost_conn(c, 1006, "the server closed the connection during the upgrade");
      return;
    }
    c.http.append(reinterpret_cast<const char*>(read_buf_.data()), static_cast<std::size_t>(n));
    const long end = upgrade_response_end(c.http);
    if (end == 0) {
      if (c.http.size() > 16384) lost_conn(c, 1006, "upgrade response too long");
      return;
    }
    if (end < 0) {
      lost_conn(c, 1006, "upgrade refused: " + c.http.substr(0, c.http.find("\r\n")));
      return;
    }
    // Bytes after the 101 (the first frames, usually) are parsed like any read.
    have = c.http.size() - static_cast<std::size_t>(end);
    std::memcpy(read_buf_.data(), c.http.data() + end, have);
    std::string().swap(c.http);
    c.stage = Stage::opening;
  } else {
    // The carried partial frame goes first in the shared buffer, the new bytes after it, so that every frame is
    // parsed from one contiguous range.
    have = c.carry.size();
    if (have > read_buf_.size() / 2) read_buf_.resize(have * 2);
    std::memcpy(read_buf_.data(), c.carry.data(), have);
    const ssize_t n = ::recv(c.fd, read_buf_.data() + have, read_buf_.size() - have, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      lost_conn(c, 1006,
                n == 0 ? "the server closed the connection without a close frame"
                       : std::string("recv: ") + std::strerror(errno));
      return;
    }
    if (n > 0) have += static_cast<std::size_t>(n);
  }
  const std::size_t used = consume(c, read_buf_.data(), have, now_ns());
  if (is_open(c)) c.carry.assign(read_buf_.data() + used, read_buf_.data() + have);
}

std::size_t Engine::consume(Conn& c, std::uint8_t* p, std::size_t n, std::uint64_t now) {
  std::size_t at = 0;
  EventSinkFor sink{*this, c, now};
  while (is_open(c)) {
    FrameHeader h;
    if (!parse_frame_header(p + at, n - at, h) || n - at < h.header_bytes + h.payload_bytes) break;
    const auto payload = reinterpret_cast<char*>(p + at + h.header_bytes);
    const std::size_t frame = h.header_bytes + static_cast<std::size_t>(h.payload_bytes);
    const std::string_view data(payload, static_cast<std::size_t>(h.payload_bytes));
    if (c.role == Role::subscriber && measuring) wire_bytes += frame;
    if (!h.fin || h.opcode == kContinuation) {
      // Servers send these small messages whole; a fragmented one would mean the framing assumptions are wrong.
      fail("a fragmented message arrived; loadgen reads unfragmented messages only");
      lost_conn(c, 1002, "fragmented message");
    } else if (h.opcode == kText || h.opcode == kBinary) {
      classify(cfg_.protocol, c.proto, data, sink);
    } else if (h.opcode == kPing) {
      send_frame(c, kPong, payload, data.size());
    } else if (h.opcode == kClose) {
      on_close_frame(c, data);
    }
    at += frame;
  }
  return at;
}

void Engine::on_event(Conn& c, const Event& ev, std::uint64_t now) {
  if (c.stage == Stage::closing) return;  // leaving: only the close frame matters now
  switch (ev.kind) {
    case EventKind::none: return;
    case EventKind::open:
      if (c.stage != Stage::opening) return;
      --opening;
      ++opened;
      c.stage = Stage::open;
      if (c.auto_subscribe) subscribe(c);
      return;
    case EventKind::ack:
      if (c.role == Role::publisher) {
        // Acks come back in publish order; the k-th is for the k-th publish's channel. A protocol without a
        // server seq (nats) acknowledges the publisher's own number.
        const std::uint64_t k = c.acks++;
        if (c.pub_channels.empty()) return;
        const std::size_t n = c.pub_channels.size();
        ChannelState& ch = channels_[static_cast<std::size_t>(c.pub_channels[k % n])];
        ch.acked_seq = std::max(ch.acked_seq, ev.seq ? ev.seq : k / n + 1);
      } else if (c.stage == Stage::subscribing) {
        c.stage = Stage::subscribed;
        ++subscribed;
        if (c.role == Role::churner) leave(c);
      }
      return;
    case EventKind::message:
      if (c.role == Role::subscriber) on_message(c, ev, now);
      return;
    case EventKind::gap: ++gap_frames; return;
    case EventKind::error: {
      const std::string what = "error or unexpected frame: " + std::string(ev.text.substr(0, 300));
      if (c.role == Role::churner) churn_failure(c, what);
      else fail(what);
      return;
    }
  }
}

void Engine::on_message(Conn& c, const Event& ev, std::uint64_t now) {
  const ChannelState& ch = channels_[static_cast<std::size_t>(c.channel)];
  if (ev.channel != ch.wire) {
    fail("message on another channel: " + std::string(ev.text.substr(0, 200)));
    return;
  }
  if (ev.seq == c.next_seq) {
    ++c.next_seq;
  } else if (ev.seq > c.next_seq) {
    c.skipped += ev.seq - c.next_seq;
    c.next_seq = ev.seq + 1;
  } else {
    ++c.stale;
  }
  if (!measuring) return;
  ++deliveries;
  if (ev.sent_ns && now > ev.sent_ns) latency_us.record((now - ev.sent_ns) / 1000);
}

void Engine::on_close_frame(Conn& c, std::string_view payload) {
  const int code =
      payload.size() >= 2 ? (static_cast<std::uint8_t>(payload[0]) << 8) | static_cast<std::uint8_t>(payload[1]) : 1005;
  if (c.stage == Stage::closing) {  // the answer to our close
    if (c.role == Role::churner) ++churn_done;
    release(c);
    return;
  }
  lost_conn(c, code, "server closed a connection with " + std::to_string(code) + " " + std::string(payload.substr(2)));
}

void Engine::leave(Conn& c) {
  if (c.abrupt) {
    // Unread bytes in the receive buffer make close() send a reset: the rudest way out.
    ++churn_done;
    release(c);
    return;
  }
  send_frame(c, kClose, kNormalClose, sizeof kNormalClose);
  if (is_open(c)) c.stage = Stage::closing;
}

void Engine::lost_conn(Conn& c, int code, const std::string& why) {
  if (c.role == Role::churner) {
    churn_failure(c, why);
    return;
  }
  if (c.stage == Stage::closing) {  // during say_goodbye: the server may end it either way
    release(c);
    return;
  }
  if (is_opening(c.stage)) {
    ++connect_failed;
    last_connect_error = why;
  } else {
    ++closes[code];
    if (code != 1000 && code != 1001) fail(why);
  }
  release(c);
}

void Engine::churn_failure(Conn& c, const std::string& why) {
  ++churn_failed;
  if (first_churn_failure.empty()) first_churn_failure = why;
  release(c);
}

void Engine::release(Conn& c) {
  if (c.fd >= 0) {
    epoll_ctl(epfd_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    c.fd = -1;
  }
  if (is_opening(c.stage)) --opening;
  if (c.role == Role::churner) {
    c.stage = Stage::free;
    ++c.gen;
    free_.push_back(static_cast<int>(&c - conns_.data()));
  } else {
    c.stage = Stage::closed;
  }
}

void Engine::send_frame(Conn& c, std::uint8_t opcode, const char* data, std::size_t len) {
  append_frame(c, opcode, data, len);
  flush(c);
}

void Engine::append_frame(Conn& c, std::uint8_t opcode, const char* data, std::size_t len) {
  // A cheap xorshift for the mask: RFC 6455 wants it unpredictable to the page's script, a concern that does
  // not exist here, but a constant mask would be a degenerate client.
  mask_state_ ^= mask_state_ << 13;
  mask_state_ ^= mask_state_ >> 17;
  mask_state_ ^= mask_state_ << 5;
  std::uint8_t mask[4];
  std::memcpy(mask, &mask_state_, 4);
  const std::size_t at = c.out.size();
  c.out.resize(at + 14 + len);
  const std::size_t h = write_frame_header(c.out.data() + at, opcode, len, mask);
  std::memcpy(c.out.data() + at + h, data, len);
  apply_mask(c.out.data() + at + h, len, mask);
  c.out.resize(at + h + len);
}

void Engine::flush(Conn& c) {
  while (c.out_sent < c.out.size()) {
    const ssize_t n = ::send(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!c.want_write) {
        c.want_write = true;
        watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
      }
      return;
    }
    lost_conn(c, 1006, std::string("send: ") + std::strerror(errno));
    return;
  }
  c.out.clear();
  c.out_sent = 0;
  if (c.want_write) {
    c.want_write = false;
    watch(c, EPOLLIN, EPOLL_CTL_MOD);
  }
}

void Engine::publish(Conn& pub, std::uint64_t now) {
  // The publish is rebuilt in place (id, seq, send time) in a buffer sized once.
  const std::uint64_t k = pub.publishes++;
  const std::size_t n = pub.pub_channels.size();
  const ChannelState& ch = channels_[static_cast<std::size_t>(pub.pub_channels[k % n])];
  const std::size_t len =
      write_publish(cfg_.protocol, publish_buf_.data(), ch.wire, k + 1, k / n + 1, cfg_.payload, now);
  append_frame(pub, client_opcode(cfg_.protocol), publish_buf_.data(), len);
  ++published;
}

void Engine::expire_opening(std::uint64_t now, std::uint64_t max_ns, bool all) {
  for (Conn& c : conns_) {
    if (!is_open(c) || now < c.started_ns + max_ns) continue;
    if (c.role == Role::churner)
      churn_failure(c, "churn cycle not done within " + std::to_string(max_ns / 1'000'000) + " ms");
    else if (all && is_opening(c.stage)) lost_conn(c, 1006, "opening not done in time");
  }
}

void Engine::say_goodbye() {
  for (Conn& c : conns_) {
    if (!is_open(c) || c.stage == Stage::closing) continue;
    if (c.stage == Stage::connecting || c.stage == Stage::upgrading) {
      release(c);
      continue;
    }
    send_frame(c, kClose, kNormalClose, sizeof kNormalClose);
    if (is_open(c)) c.stage = Stage::closing;
  }
  const std::uint64_t deadline = now_ns() + 2'000'000'000ull;
  auto any_open = [&] { return std::any_of(conns_.begin(), conns_.end(), [&](const Conn& c) { return is_open(c); }); };
  while (any_open() && now_ns() < deadline) poll(10'000'000);
  for (Conn& c : conns_)
    if (is_open(c)) release(c);
}

}  // namespace bench
