#pragma once
// The demo application: a chat, with typed channels (demo/channels.yaml) carrying the models of demo/protocol/:
//   chat, room:<name>   ChatMessage; clients subscribe and publish
//   notifications       Notice; clients subscribe, only the server publishes (someone joined or left)
// A ChatMessage published by a logged-in user under another `sender` earns its publisher a warning Notice
// (a push). A "send" frame is echoed back to its sender as a push. Every session joins the group "everyone".

#include "switchboard/server.hpp"
#include "switchboard/typed.hpp"

namespace switchboard::demo {

class ChatApp final : public TypedApplication {
 public:
  ChatApp();
  // `server` must outlive the app's use; it is set once the Server exists.
  void attach(Server& server) { server_ = &server; }

  // Sets Options::validate_model to the generated decoders of demo/protocol/, so that a message on a typed
  // channel (demo/channels.yaml) that does not decode as its class is refused with invalid_message.
  static void configure(Options& options);

  void on_open(Session& session) override;
  void on_close(Session& session, const CloseReason& reason) override;
  bool may_subscribe(const Session& session, std::string_view channel) override;
  bool may_publish(const Session& session, std::string_view channel) override;

 protected:
  void on_untyped_message(Session& session, const Message& message) override;

 private:
  void notice(std::string text);
  Server* server_ = nullptr;
};

}  // namespace switchboard::demo
