#include "chat_app.hpp"

#include <fmt/format.h>

#include "protocol/json_writer.hpp"

namespace switchboard::demo {

namespace {

bool is_room(std::string_view channel) { return channel.starts_with("room:") && channel.size() > 5; }

std::string display_name(const Session& session) {
  return session.user().empty() ? fmt::format("anonymous #{}", session.id()) : session.user();
}

}  // namespace

void ChatApp::notice(std::string text) {
  std::string data = "{\"text\":";
  protocol::append_json_string(data, text);
  data.push_back('}');
  server_->publish("notifications", Message{"Notice", std::move(data)});
}

void ChatApp::on_open(Session& session) {
  session.join_group("everyone");
  notice(display_name(session) + " joined");
}

void ChatApp::on_message(Session& session, const Message& message) { session.send(message); }

void ChatApp::on_close(Session& session, const CloseReason&) { notice(display_name(session) + " left"); }

bool ChatApp::may_subscribe(const Session&, std::string_view channel) {
  return channel == "chat" || channel == "notifications" || is_room(channel);
}

bool ChatApp::may_publish(const Session&, std::string_view channel) { return channel == "chat" || is_room(channel); }

}  // namespace switchboard::demo
