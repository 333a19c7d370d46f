// loadgen: a single-threaded WebSocket load generator for Switchboard's wire protocol (docs/protocol.md).
//
// Scenario S1 (fan-out, issue 6): N subscribers on one channel, one publisher keeping a bounded window of
// publishes awaiting their ack, a fixed measurement window after a warm-up. Every subscriber must see every seq
// exactly once and in order; the generator counts what it did not.
//
// Speed matters more than generality here: a load generator slower than the server measures itself. So one
// thread and one epoll loop; one shared 256 KiB read buffer and a small per-connection carry for a frame split
// across reads (allocated once, reused); frames are parsed in place; a message frame is read for three things
// only (channel, seq, send time) with memchr-based searches. The steady-state read path is our own rather than
// Beast's: Beast's websocket::stream reads one message per async_read, through Asio's completion machinery and
// a per-stream buffer, with UTF-8 validation of every text frame; for thousands of small frames per millisecond
// that is several times the cost of the parsing the benchmark needs. The handshake (handshake.cpp) is plain
// blocking HTTP before the clock starts.
//
// Without a publisher (--no-publisher) it only subscribes and consumes, checking order: that is how the blaster
// (blaster.cpp) measures this generator's own ceiling.

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "handshake.hpp"
#include "stats.hpp"
#include "ws.hpp"

namespace bench {
namespace {

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string path = "/ws";
  int subscribers = 1000;
  int window = 16;
  std::size_t payload = 64;
  double warmup_s = 1;
  double duration_s = 5;
  std::string channel;  // default room:bench-<pid>: a fresh channel, so its seq starts at 1
  pid_t server_pid = 0;
  bool publisher = true;
  std::string label = "switchboard";
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "loadgen: %s\n"
               "usage: loadgen --port P [--host 127.0.0.1] [--path /ws] [--subscribers 1000] [--window 16]\n"
               "               [--payload 64] [--warmup 1] [--duration 5] [--channel NAME] [--server-pid PID]\n"
               "               [--no-publisher] [--label NAME]\n",
               why);
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value for " + std::string(a)).c_str());
      return argv[++i];
    };
    if (a == "--host") o.host = value();
    else if (a == "--port") o.port = std::stoi(value());
    else if (a == "--path") o.path = value();
    else if (a == "--subscribers") o.subscribers = std::stoi(value());
    else if (a == "--window") o.window = std::stoi(value());
    else if (a == "--payload") o.payload = std::stoul(value());
    else if (a == "--warmup") o.warmup_s = std::stod(value());
    else if (a == "--duration") o.duration_s = std::stod(value());
    else if (a == "--channel") o.channel = value();
    else if (a == "--server-pid") o.server_pid = std::stoi(value());
    else if (a == "--no-publisher") o.publisher = false;
    else if (a == "--label") o.label = value();
    else usage(("unknown option " + std::string(a)).c_str());
  }
  if (o.port <= 0) usage("--port is required");
  if (o.subscribers < 1 || o.window < 1) usage("--subscribers and --window must be at least 1");
  if (o.payload < kMinPayload || o.payload > 60000) usage("--payload must be 20 to 60000 bytes");
  if (o.channel.empty()) o.channel = "room:bench-" + std::to_string(getpid());
  return o;
}

// One WebSocket connection. Touched only by the loop thread.
struct Conn {
  int fd = -1;
  bool is_publisher = false;
  bool open = true;
  bool subscribed = false;
  // A frame cut by the end of a read waits here for the rest; capacity kept across reads.
  std::vector<std::uint8_t> carry;
  // Bytes not yet accepted by the socket (the publisher's publishes, pongs).
  std::vector<std::uint8_t> out;
  std::size_t out_sent = 0;
  bool want_write = false;
  // Ordering, per subscriber: the next seq expected, and what broke the order.
  std::uint64_t next_seq = 1;
  std::uint64_t skipped = 0;  // seqs jumped over (lost unless they came later, which counts as reordered)
  std::uint64_t stale = 0;    // seqs at or below one already seen: duplicates or reordered
};

struct Counters {
  std::uint64_t deliveries = 0;
  std::uint64_t wire_bytes = 0;  // subscriber frame bytes, headers included
  std::uint64_t published = 0;
};

class LoadGen {
 public:
  explicit LoadGen(Options o) : o_(std::move(o)), read_buf_(256 * 1024) {
    publish_mid_ = ",\"channel\":\"" + o_.channel +
                   "\",\"message\":{\"className\":\"ChatMessage\",\"data\":{\"sender\":\"bench\",\"text\":\"";
    publish_buf_.resize(publish_head_.size() + 20 + publish_mid_.size() + o_.payload + 4);
  }

  int run();

 private:
  void connect_all();
  void poll(int timeout_ms);
  void on_readable(Conn& c);
  void on_writable(Conn& c);
  // Parses every complete frame in [p, p+n); returns the bytes consumed.
  std::size_t consume(Conn& c, std::uint8_t* p, std::size_t n, std::uint64_t now);
  void on_text(Conn& c, std::string_view text, std::uint64_t now);
  void on_message(Conn& c, std::string_view text, std::uint64_t now);
  void on_close_frame(Conn& c, std::string_view payload);
  void close_conn(Conn& c, int code);
  void send_frame(Conn& c, std::uint8_t opcode, const char* data, std::size_t len);
  // Queues a masked frame without writing it.
  void append_frame(Conn& c, std::uint8_t opcode, const char* data, std::size_t len);
  void flush(Conn& c);
  void top_up_publisher(std::uint64_t now);
  // Closes every open connection with 1000 and waits (at most 2 s) for the server's close frames, so that the
  // server counts client closes, not network errors, and the next run starts on a quiet server.
  void say_goodbye();
  void fail(const std::string& what);

  Options o_;
  std::vector<std::uint8_t> read_buf_;
  std::vector<Conn> conns_;  // subscribers, then the publisher (when there is one); never resized after connect
  int epfd_ = -1;
  std::uint32_t mask_state_ = 0x9e3779b9;
  Counters c_;
  std::uint64_t next_id_ = 1;
  int in_flight_ = 0;
  bool publishing_ = false;
  std::uint64_t last_acked_seq_ = 0;
  int subscribed_ = 0;
  bool measuring_ = false;
  Histogram latency_us_;
  std::map<int, int> closes_;  // close code (1006: no close frame) -> connections
  std::uint64_t gap_frames_ = 0;
  std::string first_error_;
  // A publish frame's text around its id and payload, built once.
  std::string publish_head_ = "{\"type\":\"publish\",\"id\":";
  std::string publish_mid_;
  std::vector<char> publish_buf_;
};

void LoadGen::fail(const std::string& what) {
  if (first_error_.empty()) first_error_ = what;
}

void LoadGen::connect_all() {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  const int total = o_.subscribers + (o_.publisher ? 1 : 0);
  conns_.resize(static_cast<std::size_t>(total));
  for (int i = 0; i < total; ++i) {
    Conn& c = conns_[static_cast<std::size_t>(i)];
    Upgraded up = connect_websocket(o_.host, o_.port, o_.path);
    c.fd = up.fd;
    c.is_publisher = o_.publisher && i == o_.subscribers;
    c.carry.reserve(4096);
    c.carry.assign(up.leftover.begin(), up.leftover.end());
    c.out.reserve(c.is_publisher ? 64 * 1024 : 256);
    epoll_event ev{.events = EPOLLIN, .data = {.u64 = static_cast<std::uint64_t>(i)}};
    epoll_ctl(epfd_, EPOLL_CTL_ADD, c.fd, &ev);
    // Leftover bytes (the welcome, usually) are parsed by the loop's first read of this connection.
  }
  // Subscribing only once every connection is open keeps the handshakes away from traffic: a server that
  // starts sending at the first subscribe (the blaster) would otherwise slow every later handshake.
  const std::string sub = "{\"type\":\"subscribe\",\"id\":0,\"channel\":\"" + o_.channel + "\"}";
  for (int i = 0; i < o_.subscribers; ++i) send_frame(conns_[static_cast<std::size_t>(i)], kText, sub.data(), sub.size());
}

void LoadGen::send_frame(Conn& c, std::uint8_t opcode, const char* data, std::size_t len) {
  append_frame(c, opcode, data, len);
  flush(c);
}

void LoadGen::append_frame(Conn& c, std::uint8_t opcode, const char* data, std::size_t len) {
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

void LoadGen::flush(Conn& c) {
  while (c.out_sent < c.out.size()) {
    const ssize_t n = ::send(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!c.want_write) {
        c.want_write = true;
        epoll_event ev{.events = EPOLLIN | EPOLLOUT, .data = {.u64 = static_cast<std::uint64_t>(&c - conns_.data())}};
        epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev);
      }
      return;
    }
    close_conn(c, 1006);
    return;
  }
  c.out.clear();
  c.out_sent = 0;
  if (c.want_write) {
    c.want_write = false;
    epoll_event ev{.events = EPOLLIN, .data = {.u64 = static_cast<std::uint64_t>(&c - conns_.data())}};
    epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev);
  }
}

void LoadGen::on_writable(Conn& c) { flush(c); }

void LoadGen::close_conn(Conn& c, int code) {
  if (!c.open) return;
  c.open = false;
  ++closes_[code];
  epoll_ctl(epfd_, EPOLL_CTL_DEL, c.fd, nullptr);
  ::close(c.fd);
}

void LoadGen::poll(int timeout_ms) {
  epoll_event events[256];
  const int n = epoll_wait(epfd_, events, 256, timeout_ms);
  for (int i = 0; i < n; ++i) {
    Conn& c = conns_[events[i].data.u64];
    if (!c.open) continue;
    if (events[i].events & EPOLLOUT) on_writable(c);
    if (c.open && (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) on_readable(c);
  }
}

void LoadGen::on_readable(Conn& c) {
  // The carried partial frame goes first in the shared buffer, the new bytes after it, so that every frame is
  // parsed from one contiguous range.
  std::size_t have = c.carry.size();
  if (have > read_buf_.size() / 2) read_buf_.resize(have * 2);
  std::memcpy(read_buf_.data(), c.carry.data(), have);
  const ssize_t n = ::recv(c.fd, read_buf_.data() + have, read_buf_.size() - have, 0);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    close_conn(c, 1006);
    return;
  }
  if (n > 0) have += static_cast<std::size_t>(n);
  const std::size_t used = consume(c, read_buf_.data(), have, now_ns());
  c.carry.assign(read_buf_.data() + used, read_buf_.data() + have);
}

std::size_t LoadGen::consume(Conn& c, std::uint8_t* p, std::size_t n, std::uint64_t now) {
  std::size_t at = 0;
  while (c.open) {
    FrameHeader h;
    if (!parse_frame_header(p + at, n - at, h) || n - at < h.header_bytes + h.payload_bytes) break;
    const auto payload = reinterpret_cast<char*>(p + at + h.header_bytes);
    const std::size_t frame = h.header_bytes + static_cast<std::size_t>(h.payload_bytes);
    const std::string_view text(payload, static_cast<std::size_t>(h.payload_bytes));
    if (!c.is_publisher && measuring_) c_.wire_bytes += frame;
    if (!h.fin || h.opcode == kContinuation) {
      // Servers send these small frames whole; a fragmented one would mean the framing assumptions are wrong.
      fail("a fragmented message arrived; loadgen reads unfragmented messages only");
      close_conn(c, 1002);
    } else if (h.opcode == kText) {
      on_text(c, text, now);
    } else if (h.opcode == kPing) {
      send_frame(c, kPong, payload, text.size());
    } else if (h.opcode == kClose) {
      on_close_frame(c, text);
    }
    at += frame;
  }
  return at;
}

void LoadGen::on_text(Conn& c, std::string_view text, std::uint64_t now) {
  // Switchboard writes `type` first; the byte after `{"type":"` tells the frame types apart.
  constexpr std::string_view kType = "{\"type\":\"";
  if (!text.starts_with(kType) || text.size() <= kType.size()) {
    fail("unexpected frame: " + std::string(text.substr(0, 200)));
    return;
  }
  switch (text[kType.size()]) {
    case 'm':
      on_message(c, text, now);
      return;
    case 'a':
      if (c.is_publisher) {
        --in_flight_;
        const std::uint64_t seq = find_uint(text, "\"seq\":");
        if (seq > last_acked_seq_) last_acked_seq_ = seq;
      } else if (!c.subscribed) {
        c.subscribed = true;
        ++subscribed_;
      }
      return;
    case 'g':
      ++gap_frames_;
      return;
    case 'w':  // welcome
    case 'p':  // pong, push: the scenario asks for neither
      return;
    default:
      fail("error frame: " + std::string(text.substr(0, 300)));
  }
}

void LoadGen::on_message(Conn& c, std::string_view text, std::uint64_t now) {
  // `"channel":"<name>"` comes before `seq` in Switchboard's message frame; checking it costs one compare.
  constexpr std::string_view kChannel = "\"channel\":\"";
  const auto ch = text.find(kChannel);
  if (ch == std::string_view::npos || text.compare(ch + kChannel.size(), o_.channel.size(), o_.channel) != 0 ||
      text[ch + kChannel.size() + o_.channel.size()] != '"') {
    fail("message on another channel: " + std::string(text.substr(0, 200)));
    return;
  }
  const std::uint64_t seq = find_uint(text.substr(ch), "\"seq\":");
  if (seq == c.next_seq) {
    ++c.next_seq;
  } else if (seq > c.next_seq) {
    c.skipped += seq - c.next_seq;
    c.next_seq = seq + 1;
  } else {
    ++c.stale;
  }
  if (!measuring_) return;
  ++c_.deliveries;
  const std::uint64_t sent = find_uint(text, kPayloadKey, 0);
  if (sent && now > sent) latency_us_.record((now - sent) / 1000);
}

void LoadGen::on_close_frame(Conn& c, std::string_view payload) {
  const int code = payload.size() >= 2 ? (static_cast<std::uint8_t>(payload[0]) << 8) | static_cast<std::uint8_t>(payload[1])
                                       : 1005;
  if (code != 1000 && code != 1001)
    fail("server closed a connection with " + std::to_string(code) + " " + std::string(payload.substr(2)));
  close_conn(c, code);
}

void LoadGen::top_up_publisher(std::uint64_t now) {
  Conn& pub = conns_.back();
  if (!pub.open) return;
  // The publish frame is rebuilt in place (id, send time) in a buffer sized once, and every publish of one
  // call goes out in one send(): acks return in bursts, and a syscall per publish would make the publisher,
  // not the server, the bottleneck.
  while (in_flight_ < o_.window) {
    char* p = publish_buf_.data();
    std::memcpy(p, publish_head_.data(), publish_head_.size());
    std::size_t at = publish_head_.size();
    at += write_uint(p + at, next_id_++);
    std::memcpy(p + at, publish_mid_.data(), publish_mid_.size());
    at += publish_mid_.size();
    write_payload(p + at, o_.payload, now);
    at += o_.payload;
    std::memcpy(p + at, "\"}}}", 4);
    append_frame(pub, kText, p, at + 4);
    ++in_flight_;
    ++c_.published;
  }
  flush(pub);
}

void LoadGen::say_goodbye() {
  constexpr char kNormal[] = {0x03, static_cast<char>(0xe8)};  // 1000
  for (Conn& c : conns_)
    if (c.open) send_frame(c, kClose, kNormal, sizeof kNormal);
  const std::uint64_t deadline = now_ns() + 2'000'000'000ull;
  auto any_open = [&] {
    for (const Conn& c : conns_)
      if (c.open) return true;
    return false;
  };
  while (any_open() && now_ns() < deadline) poll(10);
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) < 0x20) continue;
    out += ch;
  }
  return out + "\"";
}

int LoadGen::run() {
  const std::uint64_t t_connect = now_ns();
  connect_all();
  // Every subscriber has its ack (and so its welcome). The publisher's welcome may still sit unread in its
  // carry (bytes that came with the 101); it is parsed before the first ack.
  const std::uint64_t connect_deadline = now_ns() + 30'000'000'000ull;
  while (subscribed_ < o_.subscribers && first_error_.empty()) {
    if (now_ns() > connect_deadline) fail("subscribers not acknowledged within 30 s");
    poll(10);
  }
  const double connect_s = static_cast<double>(now_ns() - t_connect) / 1e9;

  const std::uint64_t start = now_ns();
  const std::uint64_t measure_from = start + static_cast<std::uint64_t>(o_.warmup_s * 1e9);
  const std::uint64_t measure_to = measure_from + static_cast<std::uint64_t>(o_.duration_s * 1e9);
  double self_cpu0 = 0, server_cpu0 = 0;
  std::uint64_t t0 = 0, t1 = 0;
  double self_cpu = 0, server_cpu = -1;
  publishing_ = o_.publisher;
  while (first_error_.empty()) {
    const std::uint64_t now = now_ns();
    if (!measuring_ && t0 == 0 && now >= measure_from) {
      measuring_ = true;
      t0 = now;
      self_cpu0 = self_cpu_seconds();
      if (o_.server_pid) server_cpu0 = process_cpu_seconds(o_.server_pid);
    }
    if (measuring_ && now >= measure_to) {
      measuring_ = false;
      t1 = now;
      self_cpu = self_cpu_seconds() - self_cpu0;
      if (o_.server_pid) server_cpu = process_cpu_seconds(o_.server_pid) - server_cpu0;
      break;
    }
    if (publishing_) top_up_publisher(now);
    poll(1);
  }

  // Drain: no more publishes; wait until every open subscriber has every acknowledged seq (at most 10 s).
  publishing_ = false;
  const std::uint64_t drain_deadline = now_ns() + 10'000'000'000ull;
  auto drained = [&] {
    if (!o_.publisher) return true;
    if (in_flight_ > 0 && conns_.back().open) return false;
    for (std::size_t i = 0; i < static_cast<std::size_t>(o_.subscribers); ++i)
      if (conns_[i].open && conns_[i].next_seq <= last_acked_seq_) return false;
    return true;
  };
  while (first_error_.empty() && !drained() && now_ns() < drain_deadline) poll(5);

  std::uint64_t lost = 0, reordered = 0, skipped = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(o_.subscribers); ++i) {
    const Conn& c = conns_[i];
    skipped += c.skipped;
    reordered += c.stale;
    const std::uint64_t tail = o_.publisher && last_acked_seq_ >= c.next_seq ? last_acked_seq_ - c.next_seq + 1 : 0;
    lost += c.skipped + tail;
  }
  int closed = 0;
  std::string close_json = "{";
  for (const auto& [code, count] : closes_) {
    closed += count;
    close_json += (close_json.size() > 1 ? "," : "") + std::string("\"") + std::to_string(code) + "\":" + std::to_string(count);
  }
  close_json += "}";

  const double secs = t1 > t0 ? static_cast<double>(t1 - t0) / 1e9 : 0;
  const double rate = secs > 0 ? static_cast<double>(c_.deliveries) / secs : 0;
  const double bytes_per = c_.deliveries ? static_cast<double>(c_.wire_bytes) / static_cast<double>(c_.deliveries) : 0;
  char line[2048];
  std::snprintf(line, sizeof line,
                "{\"scenario\":\"s1\",\"target\":%s,\"subscribers\":%d,\"publisher\":%s,\"window\":%d,"
                "\"payload_bytes\":%zu,\"channel\":%s,\"connect_s\":%.3f,\"measured_s\":%.3f,\"published\":%llu,"
                "\"last_seq\":%llu,\"deliveries\":%llu,\"deliveries_per_s\":%.0f,\"wire_bytes_per_delivery\":%.1f,"
                "\"lost\":%llu,\"reordered\":%llu,\"gap_frames\":%llu,\"closed\":%d,\"close_codes\":%s,"
                "\"loadgen_cpu_s\":%.3f,\"loadgen_cpu_pct\":%.1f,\"server_cpu_s\":%.3f,\"server_cpu_pct\":%.1f,"
                "\"latency_us\":{\"p50\":%llu,\"p99\":%llu,\"max\":%llu},\"error\":%s}",
                json_string(o_.label).c_str(), o_.subscribers, o_.publisher ? "true" : "false", o_.window, o_.payload,
                json_string(o_.channel).c_str(), connect_s, secs, static_cast<unsigned long long>(c_.published),
                static_cast<unsigned long long>(last_acked_seq_), static_cast<unsigned long long>(c_.deliveries), rate,
                bytes_per, static_cast<unsigned long long>(lost), static_cast<unsigned long long>(reordered),
                static_cast<unsigned long long>(gap_frames_), closed, close_json.c_str(), self_cpu,
                secs > 0 ? 100 * self_cpu / secs : 0, server_cpu, secs > 0 && server_cpu >= 0 ? 100 * server_cpu / secs : -1,
                static_cast<unsigned long long>(latency_us_.quantile(0.5)),
                static_cast<unsigned long long>(latency_us_.quantile(0.99)),
                static_cast<unsigned long long>(latency_us_.max()),
                first_error_.empty() ? "null" : json_string(first_error_).c_str());
  std::printf("%s\n", line);
  std::fprintf(stderr,
               "%s S1: %d subscribers%s, %.2f s measured: %.0f deliveries/s (%.0f B on the wire each), lost %llu, "
               "reordered %llu, closed %d; CPU loadgen %.0f%%, server %s; latency p50 %llu us p99 %llu us\n",
               o_.label.c_str(), o_.subscribers, o_.publisher ? "" : " (no publisher)", secs, rate, bytes_per,
               static_cast<unsigned long long>(lost), static_cast<unsigned long long>(reordered), closed,
               secs > 0 ? 100 * self_cpu / secs : 0,
               server_cpu >= 0 && secs > 0 ? (std::to_string(static_cast<int>(std::lround(100 * server_cpu / secs))) + "%").c_str() : "n/a",
               static_cast<unsigned long long>(latency_us_.quantile(0.5)),
               static_cast<unsigned long long>(latency_us_.quantile(0.99)));
  if (!first_error_.empty()) std::fprintf(stderr, "error: %s\n", first_error_.c_str());
  say_goodbye();
  const bool clean = first_error_.empty() && lost == 0 && reordered == 0 && closed == 0 && c_.deliveries > 0;
  return clean ? 0 : 1;
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  try {
    return bench::LoadGen(bench::parse_options(argc, argv)).run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loadgen: %s\n", e.what());
    return 2;
  }
}
