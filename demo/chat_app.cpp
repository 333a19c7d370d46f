#include "chat_app.hpp"

#include <fmt/format.h>

#include "switchboard/model/registry.hpp"
#include "switchboard_models.hpp"

namespace switchboard::demo {

namespace {

bool is_room(std::string_view channel) { return channel.starts_with("room:") && channel.size() > 5; }

std::string display_name(const Session& session) {
  return session.user().empty() ? fmt::format("anonymous #{}", session.id()) : session.user();
}

void check_sender(Session& session, std::string_view channel, const models::ChatMessage& message) {
  if (session.user().empty() || message.sender == session.user()) return;
  switchboard::send(session, models::Notice{
                                 .text = fmt::format("you are \"{}\" but signed a message on {} as \"{}\"",
                                                     session.user(), channel, message.sender),
                                 .level = models::NoticeLevel::warning,
                             });
}

}  // namespace

ChatApp::ChatApp() {
  router().on<models::ChatMessage>("chat", check_sender);
  router().on<models::ChatMessage>("room:*", check_sender);
}

void ChatApp::configure(Options& options) {
  model::Registry registry;
  models::register_models(registry);
  options.validate_model = model_validator(std::move(registry));
}

void ChatApp::notice(std::string text) {
  switchboard::publish(*server_, "notifications", models::Notice{.text = std::move(text)});
}

void ChatApp::on_open(Session& session) {
  session.join_group("everyone");
  notice(display_name(session) + " joined");
}

void ChatApp::on_untyped_message(Session& session, const Message& message) { session.send(message); }

void ChatApp::on_close(Session& session, const CloseReason&) { notice(display_name(session) + " left"); }

bool ChatApp::may_subscribe(const Session&, std::string_view channel) {
  return channel == "chat" || channel == "notifications" || is_room(channel);
}

bool ChatApp::may_publish(const Session&, std::string_view channel) { return channel == "chat" || is_room(channel); }

}  // namespace switchboard::demo
