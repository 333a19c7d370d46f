#pragma once
// The application's view of one StreamingSession (one WebSocket connection).
//
// A Session& handed to an Application hook is valid only for the duration of that call and only on the
// thread that made it (the session's event loop). To reach a session later, keep its id() and use the
// Server API (send, close, add_to_group), which is safe from any thread.

#include <any>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/message.hpp"

namespace switchboard {

// Unique within a server process. The low 8 bits are the index of the event loop the session lives on.
using SessionId = std::uint64_t;

// What became of a message handed to a session (docs/protocol.md, "Backpressure").
enum class SendStatus {
  queued,         // Queued for the socket.
  backpressured,  // Queued, but more than half of Options::max_outbound_bytes is waiting: slow down.
  dropped,        // Not queued: the session is closing, or was past its buffer limit (then closed with 4008
                  // under SlowConsumerPolicy::close, or told with a "gap" frame under SlowConsumerPolicy::drop).
};

class Session {
 public:
  virtual ~Session() = default;

  virtual SessionId id() const noexcept = 0;
  // The user the authenticator assigned at the handshake ("" for anonymous).
  virtual const std::string& user() const noexcept = 0;
  // The remote address as "ip:port".
  virtual const std::string& remote() const noexcept = 0;
  // Application data attached to this session; lives and dies with it.
  virtual std::any& data() noexcept = 0;
  // Channels this session follows, in name order.
  virtual std::vector<std::string> channels() const = 0;
  // Groups this session belongs to, in name order.
  virtual std::vector<std::string> groups() const = 0;

  // Group membership is server-side only; a session can be in many groups. Returns false if the group name
  // is invalid (same rules as channel names).
  virtual bool join_group(std::string_view group) = 0;
  virtual void leave_group(std::string_view group) = 0;

  // Push a message to this session alone (a "push" frame).
  virtual SendStatus send(const Message& message) = 0;
  // Bytes queued for this session's socket and not yet written.
  virtual std::size_t buffered_bytes() const noexcept = 0;
  // Start the close handshake after everything already queued for this session is written.
  virtual void close(std::uint16_t code, std::string_view reason) = 0;
};

// Why a session ended, as given to Application::on_close.
struct CloseReason {
  enum class Kind {
    client_closed,  // The client sent a close frame.
    server_closed,  // The application (or shutdown) closed it.
    timeout,        // Heartbeat: nothing received for two heartbeat intervals.
    protocol_error, // The client broke RFC 6455 or a hard limit (too big, bad UTF-8).
    slow_consumer,  // Outbound buffer exceeded.
    network_error,  // TCP reset, EOF without close frame, other socket errors.
  };
  Kind kind;
  std::uint16_t code;    // The WebSocket close code sent or received (1006 when none was).
  std::string message;   // Human-readable detail.
};

std::string_view to_string(CloseReason::Kind kind) noexcept;

}  // namespace switchboard
