#pragma once
// switchboard::client: a C++ client for the Switchboard protocol (docs/protocol.md).
//
// A Client runs on an EventLoop (one I/O thread). Many clients may share one loop, which is how tests and
// benchmarks hold thousands of connections. Member functions are safe to call from any thread; callbacks
// run on the loop's thread, so they must not block on a future of a client of the same loop.

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "switchboard/message.hpp"

namespace switchboard::client {

// One I/O thread running an event loop; stops and joins on destruction (clients on it must be gone first).
class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  class Impl;
  Impl& impl() noexcept { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string target = "/ws";                    // Path and query, e.g. "/ws?user=ada".
  std::chrono::milliseconds timeout{5000};       // For connect and for each request's reply.
  std::size_t max_message_bytes = 16 * 1024 * 1024;
};

// The server's first frame.
struct Welcome {
  std::string session;
  int protocol = 0;
  std::string server;
  std::chrono::milliseconds heartbeat{0};
  std::size_t max_message_bytes = 0;
};

// The answer to a request: an ack or an error frame carrying the request's id.
struct Reply {
  std::string error;          // Wire error code ("" for an ack), or "timeout" / "closed" when none came.
  std::string message;        // The error's message.
  std::uint64_t seq = 0;      // For publish acks.
  bool ok() const noexcept { return error.empty(); }
};

struct ChannelMessage {
  std::string channel;
  std::uint64_t seq = 0;
  Message message;
};

struct Push {
  Message message;
  std::string group;  // Set when the push was sent to a group.
};

// What the server dropped for this connection because it read too slowly; sent only under the server's
// SlowConsumerPolicy::drop (docs/protocol.md, "gap"), before any newer message or push. Either a channel's
// messages from_seq..to_seq (inclusive; `channel` set, `pushes` 0), or `pushes` dropped push frames (`channel`
// empty, the seqs 0). The next message of the channel has seq to_seq + 1.
struct Gap {
  std::string channel;
  std::uint64_t from_seq = 0, to_seq = 0;
  std::uint64_t pushes = 0;
};

struct Closed {
  std::uint16_t code = 1006;  // 1006 when the connection ended without a close frame.
  std::string reason;
};

class Client {
 public:
  // A client with its own EventLoop.
  Client();
  // A client on a shared loop, which must outlive it.
  explicit Client(EventLoop& loop);
  ~Client();  // Drops the connection if still open (no close handshake).
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Callbacks: set them before connect().
  void on_message(std::function<void(const ChannelMessage&)> cb);
  void on_push(std::function<void(const Push&)> cb);
  // Gap frames: messages or pushes the server dropped (see Gap). In frame order with on_message and on_push.
  void on_gap(std::function<void(const Gap&)> cb);
  // Error frames that carry no request id (e.g. bad JSON).
  void on_error(std::function<void(const Reply&)> cb);
  // Every text frame as received, before any other callback.
  void on_frame(std::function<void(std::string_view)> cb);
  void on_close(std::function<void(const Closed&)> cb);

  // Connects, upgrades and waits for the welcome frame. Throws std::system_error on failure or timeout,
  // with the HTTP status in the message when the upgrade was refused.
  Welcome connect(const Options& options);

  // Requests, each with a fresh request id; the future settles with the server's ack or error, or with
  // "timeout" after options.timeout, or "closed" if the connection ends first.
  std::future<Reply> subscribe(std::string_view channel);
  std::future<Reply> unsubscribe(std::string_view channel);
  std::future<Reply> publish(std::string_view channel, const Message& message);
  std::future<Reply> send(const Message& message);
  std::future<Reply> ping();

  // Raw frames, for tests of bad input.
  void send_text(std::string text);
  void send_binary(std::string bytes);

  // Close handshake; the future settles when the connection is closed.
  std::future<Closed> close(std::uint16_t code = 1000, std::string_view reason = {});
  // Drop the TCP connection at once, without a close frame.
  void abort();
  bool is_open() const noexcept;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace switchboard::client
