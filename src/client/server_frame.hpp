#pragma once
// ServerFrameDecoder turns one server->client text frame (docs/protocol.md, "Server to client frames") into a
// ServerFrame value. It owns no socket and does no I/O, so it is unit-tested on strings alone.
//
// A decoder is not thread-safe: it owns a reusable simdjson parser and input buffer. The client keeps one per
// EventLoop and touches it only on that loop's thread. Decoded frames own all their strings, so they stay valid
// after the next decode() call.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "switchboard/client.hpp"

namespace switchboard::client {

// {"type":"ack","id":N[,"seq":S]}
struct AckFrame {
  std::uint64_t id = 0;
  std::uint64_t seq = 0;  // 0 when absent (acks of anything but publish).
};

// {"type":"error"[,"id":N],"code":"...","message":"..."}
struct ErrorFrame {
  std::optional<std::uint64_t> id;  // Absent when the server could not read a request id.
  std::string code;
  std::string message;
};

// {"type":"pong"[,"id":N]}
struct PongFrame {
  std::optional<std::uint64_t> id;
};

// welcome -> Welcome, message -> ChannelMessage, push -> Push, gap -> Gap (the public types of
// switchboard/client.hpp). In ChannelMessage and Push, message.data is the exact JSON text the server sent for
// `data`, without the whitespace around it. A gap frame is either {"channel","fromSeq","toSeq"} with
// 1 <= fromSeq <= toSeq, or {"pushes"} with pushes >= 1; one with both or neither is an error.
using ServerFrame = std::variant<Welcome, AckFrame, ErrorFrame, ChannelMessage, Push, PongFrame, Gap>;

class ServerFrameDecoder {
 public:
  ServerFrameDecoder();
  ~ServerFrameDecoder();
  ServerFrameDecoder(const ServerFrameDecoder&) = delete;
  ServerFrameDecoder& operator=(const ServerFrameDecoder&) = delete;

  // Decodes one text frame. On failure returns std::nullopt and sets `error` to one English sentence naming
  // the first problem (bad JSON, not an object, unknown type, a missing or mistyped field); never throws on
  // bad input. Fields the frame's type does not use are ignored, as the protocol asks, but `data` of a model
  // message is validated in full so that a test sees corrupted data as an error, not as a pass-through.
  std::optional<ServerFrame> decode(std::string_view text, std::string& error);

 private:
  struct State;  // The simdjson parser and padded input buffer; kept out of this header (simdjson.h is big).
  std::unique_ptr<State> state_;
};

}  // namespace switchboard::client
