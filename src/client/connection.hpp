#pragma once
// Connection: one WebSocket connection of a Client, from resolve to close. Internal to the client: include it
// only from src/client/*.cpp. This header names no Asio or Beast type; the implementation (connection.cpp) is
// the only translation unit of the client that includes Beast.
//
// Contract:
// - start() connects; its future settles once: with the welcome, or with a std::system_error.
// - After the welcome, every text frame goes to on_frame, then to a reply future or a callback.
// - The connection ends once: pending replies settle "closed", close() futures settle, on_close fires, unless
//   shutdown() silenced the callbacks first.
// - Every public member may be called from any thread; callbacks run on the loop thread. All I/O state is
//   touched only on the loop thread (public calls reach it with a post, which keeps one thread's calls in order).
// - Lifetime: every pending async operation holds a shared_ptr to the connection, so it lives exactly as long as
//   its last pending handler. It must not outlive its EventLoop. A new connect() makes a new Connection, so a
//   late handler of an old connection can never touch a new socket.

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>

#include "switchboard/client.hpp"

namespace switchboard::client {

// What a connection calls back; copied into each connection when it is made.
struct Callbacks {
  std::function<void(const ChannelMessage&)> on_message;
  std::function<void(const Push&)> on_push;
  std::function<void(const Gap&)> on_gap;
  std::function<void(const Reply&)> on_error;
  std::function<void(std::string_view)> on_frame;
  std::function<void(const Closed&)> on_close;
};

class Connection {
 public:
  virtual ~Connection() = default;

  virtual std::future<Welcome> start() = 0;
  // Sends a request with a fresh id; the future settles with its reply, "timeout" or "closed".
  virtual std::future<Reply> request(std::string_view type, const std::string_view* channel,
                                     const Message* message) = 0;
  // Queues a raw frame; dropped unless the connection is open.
  virtual void send_raw(std::string bytes, bool text) = 0;
  // Starts the close handshake after the queued writes; settles when the connection has ended.
  virtual std::future<Closed> close(std::uint16_t code, std::string_view reason) = 0;
  // Closes the socket at once; the connection then ends with 1006.
  virtual void abort() = 0;
  // Silences every callback and drops the connection. Blocks until that has happened on the loop thread, so
  // that no callback runs once this returns; runs inline when called on the loop thread.
  virtual void shutdown() = 0;
  // Welcome received, close not begun, not ended.
  virtual bool is_open() const noexcept = 0;
  // The connection is over (or never came up).
  virtual bool ended() const noexcept = 0;
};

// A new, idle connection on `loop`; call start() to connect.
std::shared_ptr<Connection> make_connection(EventLoop::Impl& loop, const Options& options, Callbacks callbacks);

}  // namespace switchboard::client
