#pragma once
// A Message is what travels in a channel or a push: a model's class name and its JSON data, exactly the
// `{"className": ..., "data": ...}` shape of Serverpod's model JSON.

#include <string>

namespace switchboard {

struct Message {
  // The model class, e.g. "ChatMessage". Never empty on the wire.
  std::string class_name;
  // The model's JSON text (any JSON value). Messages built by the server must hold valid JSON; messages
  // received from clients have been validated before any hook sees them.
  std::string data = "null";

  friend bool operator==(const Message&, const Message&) = default;
};

}  // namespace switchboard
