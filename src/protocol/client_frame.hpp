#pragma once
// Decoding of client -> server frames (docs/protocol.md, "Client to server frames").
//
// A ClientFrameDecoder is used by one event loop at a time. The string_views of a decoded ClientFrame point
// into the input buffer or into the decoder's own scratch space, and are valid until the next decode().

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "switchboard/error.hpp"

namespace switchboard::protocol {

// The largest request id a client may use: 2^53 - 1, the largest integer JavaScript holds exactly.
inline constexpr std::uint64_t max_request_id = (std::uint64_t{1} << 53) - 1;
// JSON nested deeper than this is refused as bad_json.
inline constexpr std::size_t max_json_depth = 64;

struct ClientFrame {
  enum class Type { subscribe, unsubscribe, publish, send, ping };
  Type type;
  std::optional<std::uint64_t> id;
  std::string_view channel;     // subscribe, unsubscribe, publish
  std::string_view class_name;  // publish, send
  std::string_view data;        // publish, send: the raw JSON text of message.data
};

struct DecodeError {
  error code;
  std::string message;
  std::optional<std::uint64_t> id;  // Set once the id was read.
};

using DecodeResult = std::variant<ClientFrame, DecodeError>;

class ClientFrameDecoder {
 public:
  ClientFrameDecoder();
  ~ClientFrameDecoder();
  ClientFrameDecoder(const ClientFrameDecoder&) = delete;
  ClientFrameDecoder& operator=(const ClientFrameDecoder&) = delete;

  // `text` is one complete text frame. The decoder copies it into padded scratch space for simdjson.
  DecodeResult decode(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchboard::protocol
