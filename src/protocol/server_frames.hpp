#pragma once
// Encoding of server -> client frames (docs/protocol.md, "Server to client frames"). Each function returns
// the complete text of one frame. `data` arguments are JSON text and are copied as they are.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "switchboard/error.hpp"

namespace switchboard::protocol {

inline constexpr int protocol_version = 1;

struct WelcomeInfo {
  std::uint64_t session;
  std::string_view server;  // "switchboard/0.1.0"
  std::chrono::milliseconds heartbeat;
  std::size_t max_message_bytes;
  std::size_t max_subscriptions = 0;  // 0 = unlimited
  double publish_rate = 0;            // requests per second, 0 = unlimited
  double publish_burst = 0;
};

std::string welcome_frame(const WelcomeInfo& info);
std::string ack_frame(std::uint64_t id, std::optional<std::uint64_t> seq = std::nullopt);
std::string error_frame(std::optional<std::uint64_t> id, error code, std::string_view message);
std::string pong_frame(std::optional<std::uint64_t> id);
// `{"type":"message","channel":...,"seq":...,"message":{"className":...,"data":...}}`
std::string message_frame(std::string_view channel, std::uint64_t seq, std::string_view class_name,
                          std::string_view data);
// `{"type":"gap","channel":...,"fromSeq":...,"toSeq":...}`: messages from_seq..to_seq of `channel` were dropped.
std::string gap_frame(std::string_view channel, std::uint64_t from_seq, std::uint64_t to_seq);
// `{"type":"gap","pushes":N}`: N pushes were dropped.
std::string gap_frame(std::uint64_t pushes);
// `{"type":"push",["group":...,]"message":{...}}`
std::string push_frame(std::string_view class_name, std::string_view data, std::string_view group = {});

}  // namespace switchboard::protocol
