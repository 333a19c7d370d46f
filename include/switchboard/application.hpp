#pragma once
// The hooks an application implements. Every hook runs on the event loop that owns the session, never
// concurrently for the same session; hooks of sessions on different loops may run in parallel, so state
// shared between sessions must be synchronized by the application (or reached through the Server API).

#include <string_view>

#include "switchboard/message.hpp"
#include "switchboard/session.hpp"

namespace switchboard {

class Application {
 public:
  virtual ~Application() = default;

  // After the welcome frame was queued; the session is registered and reachable by id.
  virtual void on_open(Session&) {}
  // A "send" frame from the client (a message for the server, not for a channel).
  virtual void on_message(Session&, const Message&) {}
  // A client's "publish" that was accepted (channel rules, model validator, may_publish) and handed to the
  // channel's subscribers, just before its ack is queued. `message` is exactly what the client sent (its data
  // was checked by Options::validate_model when the channel's rule lists classes). Not called for
  // Server::publish. switchboard/typed.hpp decodes it into a generated model (ModelRouter, TypedApplication).
  virtual void on_publish(Session&, std::string_view /*channel*/, const Message&) {}
  // Exactly once per session that saw on_open, after it left every channel and group.
  virtual void on_close(Session&, const CloseReason&) {}

  // Per-channel policy. Refusal answers the request with a `forbidden` error.
  virtual bool may_subscribe(const Session&, std::string_view /*channel*/) { return true; }
  virtual bool may_publish(const Session&, std::string_view /*channel*/) { return true; }
};

}  // namespace switchboard
