#pragma once
// Protocol-level outcomes are values, not exceptions (see docs/protocol.md, "Errors").
// Each `error` has a stable wire code (`to_wire_code`) sent in error frames.

#include <cstdint>
#include <string_view>
#include <system_error>

namespace switchboard {

enum class error {
  bad_json = 1,        // The text frame is not valid JSON.
  not_object,          // The frame is JSON but not an object.
  unknown_type,        // "type" names no known frame.
  missing_field,       // A required field is absent.
  bad_field,           // A field has the wrong JSON type or an out-of-range value.
  invalid_channel,     // The channel (or group) name breaks the naming rules.
  forbidden,           // The application's policy refused the request.
  already_subscribed,  // subscribe to a channel this session already follows.
  not_subscribed,      // unsubscribe from a channel this session does not follow.
  binary_unsupported,  // A binary frame arrived; the protocol is JSON text.
  session_not_found,   // A server API call named a session that is not connected.
  undeclared_channel,  // The channel matches no rule of the channel configuration, which refuses others.
  class_not_allowed,   // The message's class is not one the channel's rule lists.
  invalid_message,     // The message's data does not decode as its class.
  too_many_subscriptions,  // subscribe past Options::max_subscriptions.
  rate_limited,        // publish/send faster than Options::publish_rate allows; the message was dropped.
};

// The snake_case code carried in error frames, e.g. "invalid_channel".
std::string_view to_wire_code(error e) noexcept;

const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(error e) noexcept {
  return {static_cast<int>(e), error_category()};
}

// WebSocket close codes the server sends (RFC 6455 section 7.4 plus the application range).
namespace close_code {
inline constexpr std::uint16_t normal = 1000;          // Closed by the application or the client.
inline constexpr std::uint16_t going_away = 1001;      // Server shutting down; reconnect.
inline constexpr std::uint16_t protocol_error = 1002;  // RFC 6455 framing violated.
inline constexpr std::uint16_t invalid_payload = 1007; // Text frame is not valid UTF-8.
inline constexpr std::uint16_t policy = 1008;          // Generic policy violation.
inline constexpr std::uint16_t too_big = 1009;         // Message larger than max_message_bytes.
inline constexpr std::uint16_t internal = 1011;        // Unexpected server failure.
inline constexpr std::uint16_t idle_timeout = 4002;    // No request from the client within Options::idle_timeout.
inline constexpr std::uint16_t slow_consumer = 4008;   // Outbound buffer exceeded max_outbound_bytes.
}  // namespace close_code

}  // namespace switchboard

template <>
struct std::is_error_code_enum<switchboard::error> : std::true_type {};
