#include "settings.hpp"

#include <boost/program_options.hpp>
#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

namespace switchboard::demo {

namespace po = boost::program_options;

namespace {

// Values as parsed, before the range checks: signed, so that "-1" is an error rather than a huge number.
struct Raw {
  std::string host, websocket_path, metrics_path, channels, web, config, slow_consumer_policy, log_level;
  std::int64_t port = 0, threads = 0, heartbeat_ms = 0, handshake_timeout_ms = 0, shutdown_timeout_ms = 0,
               idle_timeout_ms = 0, max_message_bytes = 0, max_outbound_bytes = 0, max_subscriptions = 0,
               max_connections = 0, max_connections_per_ip = 0, socket_send_buffer = 0;
  double publish_rate = 0, publish_burst = 0;
  std::vector<std::string> allowed_origins;
};

po::options_description describe(Raw& raw, const Options& d) {
  auto ms = [](std::chrono::milliseconds v) { return static_cast<std::int64_t>(v.count()); };
  auto n = [](std::size_t v) { return static_cast<std::int64_t>(v); };
  po::options_description desc("switchboard: real-time streaming server (demo chat)\n\nOptions");
  desc.add_options()
      ("help,h", "print this help")
      ("config", po::value(&raw.config)->value_name("FILE"),
       "read options from a YAML file: keys are the long option names below (e.g. `max-connections: 10000`); "
       "the command line wins")
      ("host", po::value(&raw.host)->default_value(d.host), "address to listen on")
      ("port", po::value(&raw.port)->default_value(d.port), "port to listen on (0 picks a free one)")
      ("threads", po::value(&raw.threads)->default_value(0), "event loops (0 = one per core)")
      ("websocket-path", po::value(&raw.websocket_path)->default_value(d.websocket_path), "WebSocket upgrade path")
      ("metrics-path", po::value(&raw.metrics_path)->default_value(d.metrics_path),
       "Prometheus metrics path (\"\" = off)")
      ("log-level", po::value(&raw.log_level)->default_value(std::string(to_string(d.log_level))),
       "structured logs (logfmt, on stderr) at this level and above: debug, info, warn, error or off")
      ("heartbeat-ms", po::value(&raw.heartbeat_ms)->default_value(ms(d.heartbeat)),
       "WebSocket ping interval; silent clients are dropped after twice this")
      ("handshake-timeout-ms", po::value(&raw.handshake_timeout_ms)->default_value(ms(d.handshake_timeout)),
       "time to complete the HTTP request and the WebSocket handshake")
      ("shutdown-timeout-ms", po::value(&raw.shutdown_timeout_ms)->default_value(ms(d.shutdown_timeout)),
       "on SIGTERM/SIGINT: time sessions get to flush and close before they are dropped")
      ("idle-timeout-ms", po::value(&raw.idle_timeout_ms)->default_value(ms(d.idle_timeout)),
       "close sessions that send no request for this long with 4002 (0 = never)")
      ("max-message-bytes", po::value(&raw.max_message_bytes)->default_value(n(d.max_message_bytes)),
       "largest inbound message; larger closes with 1009")
      ("max-outbound-bytes", po::value(&raw.max_outbound_bytes)->default_value(n(d.max_outbound_bytes)),
       "per-session send buffer; past it the session is closed with 4008")
      ("slow-consumer-policy", po::value(&raw.slow_consumer_policy)->default_value("close"),
       "a session past max-outbound-bytes: close (with 4008) or drop (its messages, reported in gap frames)")
      ("socket-send-buffer", po::value(&raw.socket_send_buffer)->default_value(n(d.socket_send_buffer)),
       "SO_SNDBUF of WebSocket connections in bytes (0 = the kernel's autotuning)")
      ("max-subscriptions", po::value(&raw.max_subscriptions)->default_value(n(d.max_subscriptions)),
       "channels per session (0 = no limit)")
      ("publish-rate", po::value(&raw.publish_rate)->default_value(d.publish_rate),
       "publish + send requests per second per session (0 = no limit)")
      ("publish-burst", po::value(&raw.publish_burst)->default_value(d.publish_burst),
       "requests a session may send at once before publish-rate applies (0 = one second's worth)")
      ("max-connections", po::value(&raw.max_connections)->default_value(n(d.max_connections)),
       "WebSocket sessions in all; past it upgrades get 503 (0 = no limit)")
      ("max-connections-per-ip", po::value(&raw.max_connections_per_ip)->default_value(n(d.max_connections_per_ip)),
       "WebSocket sessions per client address; past it upgrades get 429 (0 = no limit)")
      ("allowed-origin", po::value(&raw.allowed_origins)->multitoken()->value_name("ORIGIN..."),
       "browser origins allowed to connect, e.g. https://chat.example.com (default: any); in the file, a list")
      ("channels", po::value(&raw.channels)->value_name("FILE"),
       "typed channels: a channels.yaml declaring channels, their model classes and who publishes "
       "(docs/protocol.md, \"Typed channels\"); default: demo/channels.yaml, compiled in")
      ("web", po::value(&raw.web)->value_name("DIR"),
       "the chat page: every file of DIR is read once at start-up and served from memory at its path (index.html "
       "at /); default: the web folder beside this executable, where the build puts it");
  return desc;
}

std::string where(const std::string& file, const YAML::Mark& mark) {
  return fmt::format("{}:{}:{}", file, mark.line + 1, mark.column + 1);
}

// Stores the file's options into `vm` after the command line's, so that the command line wins. Returns, per
// option the file set (and the command line did not), where it did, for the messages of the range checks.
std::map<std::string, std::string> store_config_file(const std::string& file, const po::options_description& desc,
                                                     po::variables_map& vm) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::BadFile&) {
    throw SettingsError(fmt::format("--config {}: cannot read the file", file));
  } catch (const YAML::Exception& e) {
    throw SettingsError(fmt::format("{}: {}", where(file, e.mark), e.msg));
  }
  std::map<std::string, std::string> locations;
  if (root.IsNull()) return locations;  // An empty file sets nothing.
  if (!root.IsMap()) throw SettingsError(fmt::format("{}: expected a mapping of option: value", where(file, root.Mark())));
  for (const auto& entry : root) {
    const auto key = entry.first.as<std::string>();
    const auto at = where(file, entry.first.Mark());
    if (key == "config" || key == "help" || desc.find_nothrow(key, false) == nullptr) {
      throw SettingsError(fmt::format("{}: unknown option \"{}\" (see switchboard --help)", at, key));
    }
    std::vector<std::string> values;
    const auto& value = entry.second;
    if (value.IsScalar()) {
      values.push_back(value.Scalar());
    } else if (value.IsSequence() && key == "allowed-origin") {
      for (const auto& item : value) {
        if (!item.IsScalar()) throw SettingsError(fmt::format("{}: {}: expected a list of strings", at, key));
        values.push_back(item.Scalar());
      }
    } else {
      throw SettingsError(fmt::format("{}: {}: expected a single value", at, key));
    }
    if (vm.count(key) && !vm[key].defaulted()) continue;  // Given on the command line, which wins.
    po::parsed_options parsed(&desc);
    parsed.options.emplace_back(key, values);
    try {
      po::store(parsed, vm);
    } catch (const po::error& e) {
      throw SettingsError(fmt::format("{}: {}", at, e.what()));
    }
    locations[key] = at;
  }
  return locations;
}

std::string resolve_beside(const std::string& path, const std::string& config_file) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(config_file).parent_path() / path).string();
}

}  // namespace

Action parse_settings(const std::vector<std::string>& args, Settings& out, std::string& help) {
  Raw raw;
  const auto desc = describe(raw, out.options);
  po::variables_map vm;
  try {
    std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
    po::store(po::command_line_parser(rest).options(desc).run(), vm);
  } catch (const po::error& e) {
    throw SettingsError(e.what());
  }
  if (vm.count("help")) {
    std::ostringstream text;
    text << desc << "\n";
    help = text.str();
    return Action::help;
  }
  std::map<std::string, std::string> from_file;
  if (vm.count("config")) {
    out.config_file = vm["config"].as<std::string>();
    from_file = store_config_file(out.config_file, desc, vm);
  }
  try {
    po::notify(vm);
  } catch (const po::error& e) {
    throw SettingsError(e.what());
  }

  // "--name" on the command line, "FILE:LINE:COL: name" from the file.
  auto fail = [&](const std::string& name, const std::string& problem) {
    throw SettingsError(from_file.count(name) ? fmt::format("{}: {} {}", from_file.at(name), name, problem)
                                              : fmt::format("--{} {}", name, problem));
  };
  auto at_least = [&](const std::string& name, std::int64_t value, std::int64_t min) {
    if (value < min) fail(name, fmt::format("must be at least {} (got {})", min, value));
    return value;
  };
  auto& o = out.options;
  o.host = raw.host;
  const auto port = at_least("port", raw.port, 0);
  if (port > 65535) fail("port", fmt::format("must be at most 65535 (got {})", port));
  o.port = static_cast<std::uint16_t>(port);
  const auto threads = at_least("threads", raw.threads, 0);
  if (threads > 256) fail("threads", fmt::format("must be at most 256 (got {})", threads));
  o.threads = static_cast<unsigned>(threads);
  if (!raw.websocket_path.starts_with("/")) fail("websocket-path", "must start with /");
  o.websocket_path = raw.websocket_path;
  if (!raw.metrics_path.empty() && !raw.metrics_path.starts_with("/")) fail("metrics-path", "must start with / or be empty");
  if (raw.metrics_path == raw.websocket_path) fail("metrics-path", "must differ from websocket-path");
  o.metrics_path = raw.metrics_path;
  if (auto level = parse_log_level(raw.log_level)) {
    o.log_level = *level;
  } else {
    fail("log-level", fmt::format("must be debug, info, warn, error or off (got \"{}\")", raw.log_level));
  }
  o.heartbeat = std::chrono::milliseconds(at_least("heartbeat-ms", raw.heartbeat_ms, 1));
  o.handshake_timeout = std::chrono::milliseconds(at_least("handshake-timeout-ms", raw.handshake_timeout_ms, 1));
  o.shutdown_timeout = std::chrono::milliseconds(at_least("shutdown-timeout-ms", raw.shutdown_timeout_ms, 0));
  o.idle_timeout = std::chrono::milliseconds(at_least("idle-timeout-ms", raw.idle_timeout_ms, 0));
  // Beast's own header limit applies below this; a message must at least hold a small request.
  o.max_message_bytes = static_cast<std::size_t>(at_least("max-message-bytes", raw.max_message_bytes, 64));
  o.max_outbound_bytes = static_cast<std::size_t>(at_least("max-outbound-bytes", raw.max_outbound_bytes, 1024));
  if (raw.slow_consumer_policy == "close") {
    o.slow_consumer_policy = SlowConsumerPolicy::close;
  } else if (raw.slow_consumer_policy == "drop") {
    o.slow_consumer_policy = SlowConsumerPolicy::drop;
  } else {
    fail("slow-consumer-policy", fmt::format("must be close or drop (got \"{}\")", raw.slow_consumer_policy));
  }
  o.socket_send_buffer = static_cast<std::size_t>(at_least("socket-send-buffer", raw.socket_send_buffer, 0));
  o.max_subscriptions = static_cast<std::size_t>(at_least("max-subscriptions", raw.max_subscriptions, 0));
  o.max_connections = static_cast<std::size_t>(at_least("max-connections", raw.max_connections, 0));
  o.max_connections_per_ip = static_cast<std::size_t>(at_least("max-connections-per-ip", raw.max_connections_per_ip, 0));
  if (!(raw.publish_rate >= 0)) fail("publish-rate", fmt::format("must be 0 or more (got {})", raw.publish_rate));
  if (!(raw.publish_burst >= 0)) fail("publish-burst", fmt::format("must be 0 or more (got {})", raw.publish_burst));
  o.publish_rate = raw.publish_rate;
  o.publish_burst = raw.publish_burst;
  for (const auto& origin : raw.allowed_origins) {
    if (origin.empty() || origin.find("://") == std::string::npos) {
      fail("allowed-origin", fmt::format("\"{}\" is not an origin like https://chat.example.com", origin));
    }
  }
  o.allowed_origins = raw.allowed_origins;
  // Paths in the file are relative to the file, as a reader of the file expects.
  out.channels_file = from_file.count("channels") ? resolve_beside(raw.channels, out.config_file) : raw.channels;
  out.web_dir = from_file.count("web") ? resolve_beside(raw.web, out.config_file) : raw.web;
  return Action::run;
}

}  // namespace switchboard::demo
