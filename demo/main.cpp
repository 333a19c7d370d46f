// switchboard: the Switchboard server running the demo chat application.
#include <boost/program_options.hpp>

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
#include "switchboard/channel_rules.hpp"
#include "switchboard/server.hpp"
#include "web_assets.hpp"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  switchboard::Options options;
  unsigned heartbeat_ms = 0;
  std::string channels_file;
  std::string web_dir;
  po::options_description desc("switchboard: real-time streaming server (demo chat)\n\nOptions");
  desc.add_options()
      ("help,h", "print this help")
      ("host", po::value(&options.host)->default_value(options.host), "address to listen on")
      ("port", po::value(&options.port)->default_value(options.port), "port to listen on (0 picks a free one)")
      ("threads", po::value(&options.threads)->default_value(0), "event loops (0 = one per core)")
      ("heartbeat-ms", po::value(&heartbeat_ms)->default_value(static_cast<unsigned>(options.heartbeat.count())),
       "WebSocket ping interval; silent clients are dropped after twice this")
      ("max-message-bytes", po::value(&options.max_message_bytes)->default_value(options.max_message_bytes),
       "largest inbound message")
      ("channels", po::value(&channels_file)->value_name("FILE"),
       "typed channels: a channels.yaml declaring channels, their model classes and who publishes "
       "(docs/protocol.md, \"Typed channels\"); default: demo/channels.yaml, compiled in")
      ("web", po::value(&web_dir)->value_name("DIR"),
       "the chat page: every file of DIR is read once at start-up and served from memory at its path (index.html "
       "at /); default: the web folder beside this executable, where the build puts it");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "switchboard: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  if (heartbeat_ms == 0) {
    fmt::print(stderr, "switchboard: --heartbeat-ms must be positive\n");
    return 2;
  }
  options.heartbeat = std::chrono::milliseconds(heartbeat_ms);
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
  server.stop();
  return 0;
}
