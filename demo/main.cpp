// switchboard: the Switchboard server running the demo chat application.
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "channels/channel_config.hpp"
#include "chat_app.hpp"
#include "demo_channels.hpp"
#include "settings.hpp"
#include "switchboard/channel_rules.hpp"
#include "switchboard/server.hpp"
#include "web_assets.hpp"

int main(int argc, char** argv) {
  switchboard::demo::Settings settings;
  try {
    std::string help;
    if (switchboard::demo::parse_settings({argv, argv + argc}, settings, help) == switchboard::demo::Action::help) {
      std::cout << help;
      return 0;
    }
  } catch (const switchboard::demo::SettingsError& e) {
    fmt::print(stderr, "switchboard: {}\n(switchboard --help lists the options)\n", e.what());
    return 2;
  }
  auto& options = settings.options;
  const auto& channels_file = settings.channels_file;
  const auto& web_dir = settings.web_dir;
  try {
    options.channel_rules = channels_file.empty()
                                ? switchboard::channels::parse_channel_rules(switchboard::demo::kChannelsYaml,
                                                                             switchboard::demo::kChannelsYamlSource)
                                : switchboard::load_channel_rules(channels_file);
  } catch (const std::exception& e) {
    fmt::print(stderr, "switchboard: {}\n", e.what());
    return 2;
  }
  switchboard::demo::ChatApp::configure(options);

  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto app = std::make_shared<switchboard::demo::ChatApp>();
  switchboard::Server server(options, app);
  app->attach(server);
  server.route("/stats", [&server](const switchboard::HandshakeRequest&, switchboard::HttpResponder respond) {
    server.snapshot([respond](switchboard::Snapshot s) {
      respond({200, "application/json", switchboard::to_json(s)});
    });
  });
  // Registered before start(), as Server::route requires. Without the page the server still serves WebSocket.
  const std::filesystem::path web = web_dir.empty() ? switchboard::demo::default_web_dir() : std::filesystem::path(web_dir);
  const bool page = std::filesystem::is_directory(web);
  if (!page && !web_dir.empty()) {
    fmt::print(stderr, "switchboard: --web {}: no such directory\n", web_dir);
    return 2;
  }
  if (page) {
    try {
      for (auto& asset : switchboard::demo::load_web_assets(web)) {
        auto response = std::make_shared<const switchboard::HttpResponse>(
            switchboard::HttpResponse{200, std::move(asset.content_type), std::move(asset.body)});
        server.route(asset.path, [response](const switchboard::HandshakeRequest&, switchboard::HttpResponder respond) {
          respond(*response);
        });
      }
    } catch (const std::exception& e) {
      fmt::print(stderr, "switchboard: cannot read the web page in {}: {}\n", web.string(), e.what());
      return 2;
    }
  }
  try {
    server.start();
  } catch (const std::exception& e) {
    fmt::print(stderr, "switchboard: cannot listen on {}:{}: {}\n", options.host, options.port, e.what());
    return 1;
  }

  const auto base = fmt::format("{}:{}", options.host, server.port());
  fmt::print("switchboard {} listening on http://{}\n", SWITCHBOARD_DEMO_VERSION, base);
  if (page) {
    fmt::print("  chat page:  http://{}/   (open it in a browser)\n", base);
  } else {
    fmt::print("  web page not built: {} missing; `make run` builds it\n", web.string());
  }
  fmt::print("  WebSocket:  ws://{}{}?user=NAME   (protocol: docs/protocol.md)\n", base, options.websocket_path);
  if (channels_file.empty()) {
    fmt::print("  channels:   chat, room:<name> (ChatMessage; publish), notifications (Notice; server only)\n");
  } else {
    fmt::print("  channels:   as declared in {}\n", channels_file);
  }
  fmt::print("  health:     http://{}/healthz   stats: http://{}/stats\n", base, base);
  fmt::print("  try:        npx wscat -c 'ws://{}{}?user=ada'  then  {{\"type\":\"subscribe\",\"id\":1,\"channel\":\"chat\"}}\n",
             base, options.websocket_path);
  fmt::print("  stop:       Ctrl-C\n");
  std::fflush(stdout);

  int received = 0;
  sigwait(&signals, &received);
  fmt::print("switchboard: {} received, closing sessions\n", received == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stdout);
  const auto dropped = server.stop();
  fmt::print("switchboard: stopped ({} sessions did not finish closing within {} ms and were dropped)\n", dropped,
             options.shutdown_timeout.count());
  return 0;
}
