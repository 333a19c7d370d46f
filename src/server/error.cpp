#include "switchboard/error.hpp"

#include <string>

#include "switchboard/session.hpp"

namespace switchboard {

std::string_view to_wire_code(error e) noexcept {
  switch (e) {
    case error::bad_json: return "bad_json";
    case error::not_object: return "not_object";
    case error::unknown_type: return "unknown_type";
    case error::missing_field: return "missing_field";
    case error::bad_field: return "bad_field";
    case error::invalid_channel: return "invalid_channel";
    case error::forbidden: return "forbidden";
    case error::already_subscribed: return "already_subscribed";
    case error::not_subscribed: return "not_subscribed";
    case error::binary_unsupported: return "binary_unsupported";
    case error::session_not_found: return "session_not_found";
    case error::undeclared_channel: return "undeclared_channel";
    case error::class_not_allowed: return "class_not_allowed";
    case error::invalid_message: return "invalid_message";
    case error::too_many_subscriptions: return "too_many_subscriptions";
    case error::rate_limited: return "rate_limited";
  }
  return "unknown";
}

namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "switchboard"; }
  std::string message(int ev) const override { return std::string(to_wire_code(static_cast<error>(ev))); }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const Category category;
  return category;
}

std::string_view to_string(CloseReason::Kind kind) noexcept {
  switch (kind) {
    case CloseReason::Kind::client_closed: return "client_closed";
    case CloseReason::Kind::server_closed: return "server_closed";
    case CloseReason::Kind::timeout: return "timeout";
    case CloseReason::Kind::protocol_error: return "protocol_error";
    case CloseReason::Kind::slow_consumer: return "slow_consumer";
    case CloseReason::Kind::network_error: return "network_error";
  }
  return "unknown";
}

}  // namespace switchboard
