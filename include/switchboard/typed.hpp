#pragma once
// The typed server API: publish and push generated model structs (switchboard_add_models(), docs/models.md)
// instead of hand-written JSON, receive the models that clients publish or send already decoded, and check
// typed channels with the generated decoders.
//
//   switchboard::publish(server, "notifications", models::Notice{.text = "ada joined"});
//   switchboard::send(server, session_id, notice);          // also send_to_user, send_to_group, send(Session&)
//
//   ModelRouter router;                                      // filled before Server::start(), read-only after
//   router.on<models::ChatMessage>("room:*", [](Session& s, std::string_view channel, const models::ChatMessage& m) {...});
//   router.on_send<models::Typing>([](Session& s, const models::Typing& t) {...});
//   // in the Application: on_publish -> router.dispatch_publish(...), on_message -> router.dispatch_send(...)
//   // (or derive from TypedApplication, which does exactly that)
//
//   model::Registry registry;
//   models::register_models(registry);
//   options.validate_model = switchboard::model_validator(std::move(registry));
//
// Encoding is for clients: the model is written once with model::Scope::client (serverOnly fields left out)
// and the resulting Message is shared by every recipient. A class declared `serverOnly: true` never reaches
// clients; publishing one is a programmer error (the generated encoder decides what it writes).
//
// Thread safety: the free functions are as safe as the Server calls they make (any thread). A ModelRouter is
// filled before the server starts and only read afterwards, so dispatch may run on every event loop at once;
// handlers run on the session's event loop, like every Application hook.

#include <concepts>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "switchboard/application.hpp"
#include "switchboard/channel_rules.hpp"
#include "switchboard/message.hpp"
#include "switchboard/model/types.hpp"
#include "switchboard/server.hpp"
#include "switchboard/session.hpp"

namespace switchboard {

namespace model {
class Registry;
}

// A generated model class: a struct with a wire `class_name` and the generated `to_json` / `from_json`
// (found by argument-dependent lookup in the model's namespace).
template <class T>
concept GeneratedModel = requires(std::string& out, const T& value, std::string_view json, T& target) {
  { T::class_name } -> std::convertible_to<std::string_view>;
  to_json(out, value, model::Scope::client);
  { from_json(json, target) } -> std::same_as<model::DecodeResult>;
};

// The Message a client receives for `value`: its class name and its client-scope JSON.
template <GeneratedModel T>
Message to_message(const T& value) {
  Message message{std::string(T::class_name), {}};
  to_json(message.data, value, model::Scope::client);
  return message;
}

// Decodes `message` as T. Fails (without touching `out`'s other fields' guarantees) when the class name is not
// T's or the data does not decode; the error is the generated decoder's ("text: expected String, got number").
template <GeneratedModel T>
model::DecodeResult from_message(const Message& message, T& out) {
  if (message.class_name != T::class_name) {
    return model::DecodeResult::failure("expected className \"" + std::string(T::class_name) + "\", got \"" +
                                        message.class_name + "\"");
  }
  return from_json(message.data, out);
}

// Server::publish of `value`, encoded once for clients. Errors as Server::publish.
template <GeneratedModel T>
PublishResult publish(Server& server, std::string_view channel, const T& value) {
  return server.publish(channel, to_message(value));
}

// Server::send / send_to_user / send_to_group of `value`, encoded once for clients. Errors as the Server calls.
template <GeneratedModel T>
std::error_code send(Server& server, SessionId session, const T& value) {
  return server.send(session, to_message(value));
}
template <GeneratedModel T>
void send_to_user(Server& server, std::string_view user, const T& value) {
  server.send_to_user(user, to_message(value));
}
template <GeneratedModel T>
std::error_code send_to_group(Server& server, std::string_view group, const T& value) {
  return server.send_to_group(group, to_message(value));
}
// Session::send of `value` (a push to this session alone), from a hook on the session's event loop.
template <GeneratedModel T>
SendStatus send(Session& session, const T& value) {
  return session.send(to_message(value));
}

// Splits a generated decoder's error ("attachments[2].fileName: expected String, got number", see
// model::DecodeContext::error) into a ModelError {path, message}. A text that does not start with a field
// path followed by ": " ("expected ChatMessage, got array", "unknown className \"X\"") is all message.
ModelError model_error(std::string_view decode_error);

// A ModelValidator (Options::validate_model) that decodes with `registry` (filled by the generated
// register_models): a class the registry does not know, or data that does not decode as its class, is
// refused with invalid_message and the decoder's field path. The validator owns the registry; it is
// thread-safe, as Registry::validate is.
ModelValidator model_validator(model::Registry registry);

// What ModelRouter::dispatch_* did with a message.
enum class Dispatch {
  handled,       // A handler for the message's class (and channel) decoded it and ran.
  no_handler,    // No handler is registered for this class (and channel).
  decode_error,  // A handler exists but the data does not decode as its class; it did not run.
};

// Routes messages received from clients to handlers of their decoded model type.
//
//   on<T>(channel, handler)   a publish of class T to `channel`, accepted by the server (channel rules, model
//                             validator, may_publish) and delivered; from Application::on_publish.
//   on_send<T>(handler)       a "send" frame of class T; from Application::on_message.
//
// `channel` is an exact name or a prefix with a trailing '*' ("room:*"); as in ChannelRules, an exact name beats
// every pattern and a longer prefix beats a shorter one. A handler is `void(Session&, const T&)`, or
// `void(Session&, std::string_view channel, const T&)` for publishes. Registering the same (channel, class) or
// send class twice replaces the earlier handler.
//
// Register before Server::start(); dispatch only reads, so it is safe on every event loop at once. An
// exception from a handler propagates to the hook, which closes that session with 1011.
class ModelRouter {
 public:
  template <GeneratedModel T, class F>
  void on(std::string_view channel, F handler) {
    auto& by_class = publish_handlers_[std::string(channel)];
    by_class.insert_or_assign(std::string(T::class_name),
                              [handler = std::move(handler)](Session& s, std::string_view ch, const Message& m) {
                                T value;
                                if (!from_json(m.data, value)) return false;
                                if constexpr (std::is_invocable_v<const F&, Session&, std::string_view, const T&>) {
                                  handler(s, ch, std::as_const(value));
                                } else {
                                  handler(s, std::as_const(value));
                                }
                                return true;
                              });
  }

  template <GeneratedModel T, class F>
  void on_send(F handler) {
    send_handlers_.insert_or_assign(std::string(T::class_name),
                                    [handler = std::move(handler)](Session& s, std::string_view, const Message& m) {
                                      T value;
                                      if (!from_json(m.data, value)) return false;
                                      handler(s, std::as_const(value));
                                      return true;
                                    });
  }

  // Runs the handler for (`channel`, message.class_name), if any. Call it from Application::on_publish.
  Dispatch dispatch_publish(Session& session, std::string_view channel, const Message& message) const {
    const Handlers* by_class = handlers_for(channel);
    return by_class ? run(*by_class, session, channel, message) : Dispatch::no_handler;
  }

  // Runs the handler for message.class_name, if any. Call it from Application::on_message.
  Dispatch dispatch_send(Session& session, const Message& message) const {
    return run(send_handlers_, session, {}, message);
  }

 private:
  // Returns false when the data does not decode.
  using Handler = std::function<bool(Session&, std::string_view channel, const Message&)>;
  using Handlers = std::map<std::string, Handler, std::less<>>;  // By class name.

  static Dispatch run(const Handlers& handlers, Session& session, std::string_view channel, const Message& message) {
    const auto it = handlers.find(message.class_name);
    if (it == handlers.end()) return Dispatch::no_handler;
    return it->second(session, channel, message) ? Dispatch::handled : Dispatch::decode_error;
  }

  // The most specific registration matching `channel`, or nullptr.
  const Handlers* handlers_for(std::string_view channel) const {
    if (const auto exact = publish_handlers_.find(channel); exact != publish_handlers_.end()) {
      return &exact->second;
    }
    const Handlers* best = nullptr;
    std::size_t best_length = 0;
    for (const auto& [pattern, handlers] : publish_handlers_) {
      if (pattern.empty() || pattern.back() != '*') continue;
      const std::string_view prefix = std::string_view(pattern).substr(0, pattern.size() - 1);
      if (channel.starts_with(prefix) && (!best || prefix.size() > best_length)) {
        best = &handlers;
        best_length = prefix.size();
      }
    }
    return best;
  }

  std::map<std::string, Handlers, std::less<>> publish_handlers_;  // By channel name or pattern.
  Handlers send_handlers_;
};

// An Application whose on_publish and on_message dispatch to a ModelRouter (see above):
//
//   class Chat : public TypedApplication {
//    public:
//     Chat() { router().on<models::ChatMessage>("chat", [](Session&, const models::ChatMessage& m) {...}); }
//   };
//
// Messages without a handler go to on_untyped_publish / on_untyped_message, and messages a handler cannot
// decode (possible only on channels without a model validator, and for "send" frames) to on_decode_error;
// all three do nothing unless overridden.
class TypedApplication : public Application {
 public:
  void on_publish(Session& session, std::string_view channel, const Message& message) override {
    const Dispatch d = router_.dispatch_publish(session, channel, message);
    if (d == Dispatch::no_handler) on_untyped_publish(session, channel, message);
    if (d == Dispatch::decode_error) on_decode_error(session, channel, message);
  }
  void on_message(Session& session, const Message& message) override {
    const Dispatch d = router_.dispatch_send(session, message);
    if (d == Dispatch::no_handler) on_untyped_message(session, message);
    if (d == Dispatch::decode_error) on_decode_error(session, {}, message);
  }

 protected:
  ModelRouter& router() noexcept { return router_; }
  virtual void on_untyped_publish(Session&, std::string_view /*channel*/, const Message&) {}
  virtual void on_untyped_message(Session&, const Message&) {}
  // `channel` is empty for a "send" frame.
  virtual void on_decode_error(Session&, std::string_view /*channel*/, const Message&) {}

 private:
  ModelRouter router_;  // Filled in the constructor (before Server::start()), read-only afterwards.
};

}  // namespace switchboard
