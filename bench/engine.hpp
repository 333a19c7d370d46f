#pragma once

// The engine every scenario drives: one thread, one epoll loop, a fixed table of connection slots, and the
// bookkeeping every scenario shares (deliveries, order per subscriber, latency, acks per channel, closes).
//
// Speed matters more than generality: a load generator slower than the server measures itself. One shared
// 256 KiB read buffer, a small per-connection carry for a frame split across reads (capacity kept), frames parsed
// in place, a received message read for three things only (channel, seq, send time), publishes written in place
// into a buffer sized once, no allocation per message. The read path is ours rather than Beast's: Beast's
// websocket::stream reads one message per async_read through Asio's completion machinery with UTF-8 validation
// of every text frame, several times the cost of what the benchmark needs. Client frames are masked (RFC 6455);
// a fragmented message is reported as an error (no server here fragments messages this small).
//
// Connections open without blocking (upgrade.hpp): connect, upgrade request, 101, then the protocol's opening
// exchange (protocol.hpp); scenarios keep a bounded number of them in flight. What a connection does is its
// role: a subscriber subscribes to one channel and checks every message of it; a publisher publishes to its
// channels round-robin; a churn client subscribes, waits for the ack, and leaves (close 1000, or by closing its
// socket when `abrupt`), which completes one churn cycle. Not thread-safe: everything runs on the loop thread.

#include <netinet/in.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "protocol.hpp"
#include "stats.hpp"

namespace bench {

enum class Role : std::uint8_t { subscriber, publisher, churner };
enum class Stage : std::uint8_t {
  free,
  connecting,
  upgrading,
  opening,
  open,
  subscribing,
  subscribed,
  closing,
  closed
};

struct Conn {
  int fd = -1;
  std::uint32_t gen = 0;  // bumped when the slot is reused: epoll events carry it, stale ones are dropped
  Role role = Role::subscriber;
  Stage stage = Stage::free;
  bool auto_subscribe = false;  // subscribe as soon as the opening exchange is done
  bool abrupt = false;          // churn client: leave by closing the socket, without a close frame
  bool want_write = false;
  int channel = -1;  // subscriber, churn client: its channel
  std::uint64_t started_ns = 0;
  std::string http;                 // the upgrade response while it arrives
  std::vector<std::uint8_t> carry;  // a frame cut by the end of a read
  std::vector<std::uint8_t> out;    // bytes the socket has not taken yet
  std::size_t out_sent = 0;
  ProtoState proto;
  // Subscriber: the next seq expected, and what broke the order.
  std::uint64_t next_seq = 1;
  std::uint64_t skipped = 0;  // seqs jumped over (lost unless they came later, which counts as reordered)
  std::uint64_t stale = 0;    // seqs at or below one already seen: duplicates or reordered
  // Publisher: its channels (the k-th publish goes to channels[k % size]), publishes sent, acks read.
  std::vector<int> pub_channels;
  std::uint64_t publishes = 0;
  std::uint64_t acks = 0;
  std::uint64_t next_due_ns = 0;  // rate-paced publishers
};

struct ChannelState {
  std::string wire;             // the channel's name on the wire (wire_channel_name)
  std::string subscribe;        // the subscribe request's bytes, built once
  std::uint64_t acked_seq = 0;  // the highest seq acknowledged to its publisher
};

struct EngineConfig {
  Protocol protocol = Protocol::switchboard;
  std::string host;
  int port = 0;
  std::string path;
  std::size_t payload = 64;
  std::uint64_t per_source = 25000;
};

class Engine {
 public:
  // `channels`: the channels' names (before wire_channel_name); `slots`: connections open at once, at most.
  Engine(EngineConfig cfg, const std::vector<std::string>& channels, std::size_t slots);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Starts opening a connection; returns its slot, or -1: no free slot, or the connect failed at once (counted
  // in connect_failed, the reason in last_connect_error; a churn client's also in churn_failed).
  int open(Role role, int channel, bool auto_subscribe, bool abrupt = false);
  void subscribe(Conn& c);
  // Waits for readiness at most timeout_ns and handles what is ready.
  void poll(std::uint64_t timeout_ns);
  // Appends one publish to the publisher's output (not sent before flush).
  void publish(Conn& pub, std::uint64_t now);
  void flush(Conn& c);
  // Ends churn clients (and, with `all`, any opening connection) that started more than max_ns ago: failures.
  void expire_opening(std::uint64_t now, std::uint64_t max_ns, bool all);
  // Closes every open connection with 1000 and waits (at most 2 s) for the server's close frames, so that the
  // server counts client closes, not network errors, and the next run starts on a quiet server.
  void say_goodbye();

  Conn& conn(int slot) { return conns_[static_cast<std::size_t>(slot)]; }
  std::vector<Conn>& conns() { return conns_; }
  std::vector<ChannelState>& channels() { return channels_; }
  const std::string& first_error() const { return first_error_; }
  void fail(const std::string& what);

  // Counters, read by the scenarios.
  int opening = 0;     // connections between open() and the end of their opening exchange
  int opened = 0;      // opening exchanges completed (all time)
  int subscribed = 0;  // subscribe acks to subscribers and churn clients (all time)
  int connect_failed = 0;
  std::string last_connect_error;
  std::uint64_t churn_started = 0, churn_done = 0, churn_failed = 0;
  std::string first_churn_failure;
  std::uint64_t published = 0;
  bool measuring = false;  // deliveries, bytes and latency count only while set
  std::uint64_t deliveries = 0;
  std::uint64_t wire_bytes = 0;  // subscriber frame bytes, headers included
  std::uint64_t gap_frames = 0;
  Histogram latency_us;
  std::map<int, int> closes;  // stable connections the server ended, by close code (1006: no close frame)

 private:
  friend struct EventSinkFor;
  void on_connected(Conn& c);
  void on_readable(Conn& c);
  std::size_t consume(Conn& c, std::uint8_t* p, std::size_t n, std::uint64_t now);
  void on_event(Conn& c, const Event& ev, std::uint64_t now);
  void on_message(Conn& c, const Event& ev, std::uint64_t now);
  void on_close_frame(Conn& c, std::string_view payload);
  void leave(Conn& c);  // a churn client's exit after its ack
  // The server ended a connection (or the network did); code 1006 when no close frame came.
  void lost_conn(Conn& c, int code, const std::string& why);
  void churn_failure(Conn& c, const std::string& why);
  void release(Conn& c);  // closes the socket; a churn client's slot goes back to the free list
  void send_frame(Conn& c, std::uint8_t opcode, const char* data, std::size_t len);
  void append_frame(Conn& c, std::uint8_t opcode, const char* data, std::size_t len);
  void watch(Conn& c, std::uint32_t events, int op);
  bool is_open(const Conn& c) const { return c.stage != Stage::free && c.stage != Stage::closed; }

  EngineConfig cfg_;
  sockaddr_in dst_{};
  std::string request_;
  std::vector<ChannelState> channels_;
  std::vector<Conn> conns_;                // never resized after construction: references stay valid
  std::vector<int> free_;                  // free slots, taken from the back
  std::uint64_t connections_started_ = 0;  // for the source address
  std::vector<std::uint8_t> read_buf_;
  std::vector<char> publish_buf_;
  int epfd_ = -1;
  std::uint32_t mask_state_ = 0x9e3779b9;
  std::string first_error_;
};

}  // namespace bench
