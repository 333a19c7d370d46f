#pragma once
// The demo application: a chat. Channels:
//   chat, room:<name>   clients subscribe and publish
//   notifications       clients subscribe; only the server publishes (a Notice when someone joins or leaves)
// A "send" frame is echoed back to its sender as a push. Every session joins the group "everyone".

#include "switchboard/application.hpp"
#include "switchboard/server.hpp"

namespace switchboard::demo {

class ChatApp final : public Application {
 public:
  // `server` must outlive the app's use; it is set once the Server exists.
  void attach(Server& server) { server_ = &server; }

  void on_open(Session& session) override;
  void on_message(Session& session, const Message& message) override;
  void on_close(Session& session, const CloseReason& reason) override;
  bool may_subscribe(const Session& session, std::string_view channel) override;
  bool may_publish(const Session& session, std::string_view channel) override;

 private:
  void notice(std::string text);
  Server* server_ = nullptr;
};

}  // namespace switchboard::demo
