#pragma once
// Enforcement of typed channels (switchboard/channel_rules.hpp): the checks a subscribe or a publish passes
// before the Application's policy hooks. Pure functions of the rules, so they are unit-tested without sockets
// and shared by StreamingSession (client requests) and Server::publish.

#include <optional>
#include <string>
#include <string_view>

#include "switchboard/channel_rules.hpp"
#include "switchboard/error.hpp"

namespace switchboard::channels {

// nullopt when `pattern` is a valid channel name, or a valid name prefix (possibly empty) followed by one
// trailing '*'; otherwise a sentence saying what is wrong with it.
std::optional<std::string> check_pattern(std::string_view pattern);

// A refused request: the error code and the message of its error frame.
struct Refusal {
  error code;
  std::string message;

  friend bool operator==(const Refusal&, const Refusal&) = default;
};

// Where a publish comes from.
enum class Origin { client, server };

// A client's subscribe to `channel` (a valid name): refused with undeclared_channel when no rule matches and
// undeclared channels are not allowed.
std::optional<Refusal> check_subscribe(const ChannelRules& rules, std::string_view channel);

// A publish to `channel` (a valid name) of a message of `class_name` with `data` (valid JSON text). Checks, in
// this order: the channel is declared (undeclared_channel), a client may publish there (forbidden), the class
// is one the rule lists (class_not_allowed), and `validate` accepts the data (invalid_message). `validate`
// may be empty, and runs only when the rule lists classes.
std::optional<Refusal> check_publish(const ChannelRules& rules, const ModelValidator& validate, Origin origin,
                                     std::string_view channel, std::string_view class_name,
                                     std::string_view data);

}  // namespace switchboard::channels
