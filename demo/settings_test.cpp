#include "settings.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace switchboard::demo {
namespace {

namespace fs = std::filesystem;

class SettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("switchboard-settings-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string file(const std::string& name, const std::string& text) {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  Settings parse(std::vector<std::string> args) {
    args.insert(args.begin(), "switchboard");
    Settings s;
    std::string help;
    EXPECT_EQ(parse_settings(args, s, help), Action::run);
    return s;
  }
  std::string error_of(std::vector<std::string> args) {
    args.insert(args.begin(), "switchboard");
    Settings s;
    std::string help;
    try {
      parse_settings(args, s, help);
    } catch (const SettingsError& e) {
      return e.what();
    }
    return "(no error)";
  }

  fs::path dir_;
};

TEST_F(SettingsTest, DefaultsAreTheLibraryDefaults) {
  const auto s = parse({});
  const Options d;
  EXPECT_EQ(s.options.host, d.host);
  EXPECT_EQ(s.options.port, d.port);
  EXPECT_EQ(s.options.heartbeat, d.heartbeat);
  EXPECT_EQ(s.options.max_subscriptions, d.max_subscriptions);
  EXPECT_EQ(s.options.shutdown_timeout, d.shutdown_timeout);
  EXPECT_EQ(s.options.metrics_path, "/metrics");
  EXPECT_TRUE(s.options.allowed_origins.empty());
  EXPECT_TRUE(s.channels_file.empty());
}

TEST_F(SettingsTest, EveryLimitFromTheCommandLine) {
  const auto s = parse({"--port", "0", "--threads=2", "--max-connections", "10000", "--max-connections-per-ip", "50",
                        "--max-subscriptions", "64", "--publish-rate", "20", "--publish-burst", "40",
                        "--idle-timeout-ms", "60000", "--shutdown-timeout-ms", "2500", "--handshake-timeout-ms",
                        "3000", "--max-message-bytes", "1024", "--max-outbound-bytes", "65536", "--allowed-origin",
                        "https://a.example", "http://localhost:8080", "--metrics-path", "",
                        "--slow-consumer-policy", "drop", "--socket-send-buffer", "65536", "--log-level", "debug"});
  const auto& o = s.options;
  EXPECT_EQ(o.port, 0);
  EXPECT_EQ(o.threads, 2u);
  EXPECT_EQ(o.max_connections, 10000u);
  EXPECT_EQ(o.max_connections_per_ip, 50u);
  EXPECT_EQ(o.max_subscriptions, 64u);
  EXPECT_EQ(o.publish_rate, 20.0);
  EXPECT_EQ(o.publish_burst, 40.0);
  EXPECT_EQ(o.idle_timeout, std::chrono::milliseconds(60000));
  EXPECT_EQ(o.shutdown_timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(o.handshake_timeout, std::chrono::milliseconds(3000));
  EXPECT_EQ(o.max_message_bytes, 1024u);
  EXPECT_EQ(o.max_outbound_bytes, 65536u);
  EXPECT_EQ(o.allowed_origins, (std::vector<std::string>{"https://a.example", "http://localhost:8080"}));
  EXPECT_EQ(o.metrics_path, "");
  EXPECT_EQ(o.slow_consumer_policy, SlowConsumerPolicy::drop);
  EXPECT_EQ(o.socket_send_buffer, 65536u);
  EXPECT_EQ(o.log_level, LogLevel::debug);
}

TEST_F(SettingsTest, ConfigFileSetsOptionsAndTheCommandLineWins) {
  const auto config = file("switchboard.yaml",
                           "# production limits\n"
                           "port: 9000\n"
                           "max-connections: 20000\n"
                           "publish-rate: 2.5\n"
                           "allowed-origin: [https://chat.example.com, https://admin.example.com]\n"
                           "channels: channels.yaml\n");
  const auto s = parse({"--config", config, "--port", "9100"});
  EXPECT_EQ(s.options.port, 9100);  // command line
  EXPECT_EQ(s.options.max_connections, 20000u);
  EXPECT_EQ(s.options.publish_rate, 2.5);
  EXPECT_EQ(s.options.allowed_origins,
            (std::vector<std::string>{"https://chat.example.com", "https://admin.example.com"}));
  EXPECT_EQ(s.channels_file, (dir_ / "channels.yaml").string());  // relative to the file
  EXPECT_EQ(s.config_file, config);
  EXPECT_EQ(s.options.max_subscriptions, Options{}.max_subscriptions);  // untouched: default
}

TEST_F(SettingsTest, AnEmptyConfigFileSetsNothing) {
  const auto s = parse({"--config", file("empty.yaml", "# nothing yet\n")});
  EXPECT_EQ(s.options.port, Options{}.port);
}

TEST_F(SettingsTest, ConfigFileErrorsNameTheFileLineAndColumn) {
  auto at = [&](const std::string& name, const std::string& text) {
    const auto path = file(name, text);
    auto message = error_of({"--config", path});
    const auto prefix = path + ":";
    EXPECT_TRUE(message.starts_with(prefix)) << message;
    return message.substr(std::min(prefix.size(), message.size()));
  };
  EXPECT_EQ(at("unknown.yaml", "port: 1\nmax-conections: 5\n"),
            "2:1: unknown option \"max-conections\" (see switchboard --help)");
  EXPECT_EQ(at("type.yaml", "port: 1\nmax-connections: lots\n"),
            "2:1: the argument ('lots') for option 'max-connections' is invalid");
  EXPECT_EQ(at("negative.yaml", "\n\nmax-connections: -1\n"), "3:1: max-connections must be at least 0 (got -1)");
  EXPECT_EQ(at("port.yaml", "port: 70000\n"), "1:1: port must be at most 65535 (got 70000)");
  EXPECT_EQ(at("list.yaml", "port: [1, 2]\n"), "1:1: port: expected a single value");
  EXPECT_EQ(at("map.yaml", "- port\n"), "1:1: expected a mapping of option: value");
  EXPECT_EQ(at("nested.yaml", "config: other.yaml\n"), "1:1: unknown option \"config\" (see switchboard --help)");
  EXPECT_TRUE(at("syntax.yaml", "port: [1\n").starts_with("2:1: ")) << at("syntax.yaml", "port: [1\n");
  EXPECT_EQ(at("origin.yaml", "allowed-origin: [chat.example.com]\n"),
            "1:1: allowed-origin \"chat.example.com\" is not an origin like https://chat.example.com");
}

TEST_F(SettingsTest, CommandLineErrorsNameTheOption) {
  EXPECT_EQ(error_of({"--heartbeat-ms", "0"}), "--heartbeat-ms must be at least 1 (got 0)");
  EXPECT_EQ(error_of({"--max-subscriptions", "-5"}), "--max-subscriptions must be at least 0 (got -5)");
  EXPECT_EQ(error_of({"--publish-rate", "-1"}), "--publish-rate must be 0 or more (got -1)");
  EXPECT_EQ(error_of({"--threads", "1000"}), "--threads must be at most 256 (got 1000)");
  EXPECT_EQ(error_of({"--websocket-path", "ws"}), "--websocket-path must start with /");
  EXPECT_EQ(error_of({"--log-level", "loud"}), "--log-level must be debug, info, warn, error or off (got \"loud\")");
  EXPECT_EQ(error_of({"--slow-consumer-policy", "queue"}), "--slow-consumer-policy must be close or drop (got \"queue\")");
  EXPECT_EQ(error_of({"--bogus"}), "unrecognised option '--bogus'");
  EXPECT_EQ(error_of({"--config", (dir_ / "missing.yaml").string()}),
            "--config " + (dir_ / "missing.yaml").string() + ": cannot read the file");
}

TEST_F(SettingsTest, HelpListsEveryOption) {
  Settings s;
  std::string help;
  ASSERT_EQ(parse_settings({"switchboard", "--help"}, s, help), Action::help);
  for (const char* name : {"--config", "--max-connections-per-ip", "--publish-rate", "--idle-timeout-ms",
                           "--shutdown-timeout-ms", "--allowed-origin", "--metrics-path", "--web", "--channels"}) {
    EXPECT_NE(help.find(name), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace switchboard::demo
