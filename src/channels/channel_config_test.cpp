#include "channels/channel_config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace switchboard::channels {
namespace {

// The message parse_channel_rules throws for `text`, or "<accepted>".
std::string error_of(std::string_view text) {
  try {
    parse_channel_rules(text, "channels.yaml");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "<accepted>";
}

TEST(ChannelConfig, ParsesTheDocumentedExample) {
  const auto rules = parse_channel_rules(R"(
allowUndeclared: false
channels:
  chat: { classes: [ChatMessage], publish: clients }
  notifications: { classes: [Notice], publish: server }
  "room:*": { classes: [ChatMessage, Typing], publish: clients }
  open:
)",
                                         "channels.yaml");
  EXPECT_FALSE(rules.allow_undeclared());
  ASSERT_EQ(rules.rules().size(), 4u);
  EXPECT_EQ(rules.rules()[0].pattern, "chat");
  EXPECT_EQ(rules.rules()[0].classes, std::vector<std::string>{"ChatMessage"});
  EXPECT_EQ(rules.rules()[1].publish, Publishers::server);
  EXPECT_EQ(rules.rules()[2].pattern, "room:*");
  EXPECT_EQ(rules.rules()[2].classes, (std::vector<std::string>{"ChatMessage", "Typing"}));
  EXPECT_EQ(rules.rules()[3].pattern, "open");
  EXPECT_TRUE(rules.rules()[3].classes.empty());
  EXPECT_EQ(rules.rules()[3].publish, Publishers::clients);
  EXPECT_EQ(rules.lookup("room:9")->pattern, "room:*");
}

TEST(ChannelConfig, AllowUndeclaredDefaultsToFalseAndCanBeTrue) {
  EXPECT_FALSE(parse_channel_rules("channels: {}", "x").allow_undeclared());
  EXPECT_TRUE(parse_channel_rules("allowUndeclared: true\nchannels:\n", "x").allow_undeclared());
}

TEST(ChannelConfig, InvalidYamlSaysWhere) {
  EXPECT_EQ(error_of("channels:\n  chat: { classes: [A\n"),
            "channels.yaml:3:1: invalid YAML: end of sequence flow not found");
}

TEST(ChannelConfig, RootMustBeAMapping) {
  EXPECT_EQ(error_of(""), "channels.yaml:1:1: expected a mapping with the keys allowUndeclared and channels");
  EXPECT_EQ(error_of("- chat\n"), "channels.yaml:1:1: expected a mapping with the keys allowUndeclared and channels");
}

TEST(ChannelConfig, UnknownTopLevelKey) {
  EXPECT_EQ(error_of("allowUndeclared: false\nallowUndeclard: true\nchannels: {}\n"),
            "channels.yaml:2:1: unknown key \"allowUndeclard\" (expected allowUndeclared or channels)");
}

TEST(ChannelConfig, MissingChannels) {
  EXPECT_EQ(error_of("allowUndeclared: true\n"), "channels.yaml:1:1: missing key \"channels\"");
}

TEST(ChannelConfig, AllowUndeclaredMustBeABoolean) {
  EXPECT_EQ(error_of("allowUndeclared: yes\nchannels: {}\n"), "channels.yaml:1:18: allowUndeclared must be true or false");
  EXPECT_EQ(error_of("allowUndeclared: \"true\"\nchannels: {}\n"),
            "channels.yaml:1:18: allowUndeclared must be true or false");
}

TEST(ChannelConfig, ChannelsMustBeAMapping) {
  EXPECT_EQ(error_of("channels: [chat]\n"),
            "channels.yaml:1:11: channels must be a mapping from channel names or patterns to rules");
}

TEST(ChannelConfig, UnknownKeyInAChannel) {
  EXPECT_EQ(error_of("channels:\n  chat: { clases: [ChatMessage] }\n"),
            "channels.yaml:2:11: unknown key \"clases\" in channel \"chat\" (expected classes or publish)");
}

TEST(ChannelConfig, BadPublishValue) {
  EXPECT_EQ(error_of("channels:\n  chat:\n    publish: everyone\n"),
            "channels.yaml:3:14: publish must be clients or server, not \"everyone\"");
  EXPECT_EQ(error_of("channels:\n  chat:\n    publish: [server]\n"),
            "channels.yaml:3:14: publish must be clients or server");
}

TEST(ChannelConfig, StarOnlyAtTheEnd) {
  EXPECT_EQ(error_of("channels:\n  chat: {}\n  \"room:*:x\": {}\n"),
            "channels.yaml:3:3: invalid channel pattern \"room:*:x\": '*' is allowed only once, at the end");
}

TEST(ChannelConfig, InvalidChannelName) {
  EXPECT_EQ(error_of("channels:\n  \"bad name\": {}\n"),
            "channels.yaml:2:3: invalid channel name \"bad name\": channel name has a character outside "
            "A-Z a-z 0-9 _ - : . @ / = at byte 3");
  EXPECT_EQ(error_of("channels:\n  \"room name:*\": {}\n"),
            "channels.yaml:2:3: invalid channel pattern \"room name:*\": channel name has a character outside "
            "A-Z a-z 0-9 _ - : . @ / = at byte 4");
}

TEST(ChannelConfig, DuplicateChannel) {
  EXPECT_EQ(error_of("channels:\n  chat: {}\n  other: {}\n  chat: { publish: server }\n"),
            "channels.yaml:4:3: channel \"chat\" is declared twice (first at line 2)");
}

TEST(ChannelConfig, RepeatedTopLevelKey) {
  // Found by fuzz_channel_config: the second `channels` used to reach ChannelRules::add, whose
  // std::invalid_argument carried no position.
  EXPECT_EQ(error_of("channels:\n  chat: {}\nchannels:\n  chat: {}\n"),
            "channels.yaml:3:1: key \"channels\" appears twice (first at line 1)");
  EXPECT_EQ(error_of("allowUndeclared: true\nchannels: {}\nallowUndeclared: false\n"),
            "channels.yaml:3:1: key \"allowUndeclared\" appears twice (first at line 1)");
}

TEST(ChannelConfig, RuleMustBeAMapping) {
  EXPECT_EQ(error_of("channels:\n  chat: ChatMessage\n"),
            "channels.yaml:2:9: the rule of channel \"chat\" must be a mapping with the keys classes and publish");
}

TEST(ChannelConfig, ClassesMustBeAListOfNonEmptyDistinctNames) {
  EXPECT_EQ(error_of("channels:\n  chat: { classes: ChatMessage }\n"),
            "channels.yaml:2:20: classes of channel \"chat\" must be a list of class names");
  EXPECT_EQ(error_of("channels:\n  chat: { classes: [A, \"\"] }\n"),
            "channels.yaml:2:24: a class name must be a non-empty string");
  EXPECT_EQ(error_of("channels:\n  chat: { classes: [A, {b: 1}] }\n"),
            "channels.yaml:2:24: a class name must be a non-empty string");
  EXPECT_EQ(error_of("channels:\n  chat: { classes: [A, B, A] }\n"),
            "channels.yaml:2:27: class \"A\" is listed twice");
}

TEST(ChannelConfig, LoadNamesTheFileInErrors) {
  const std::string path = ::testing::TempDir() + "channel_config_test.yaml";
  {
    std::ofstream out(path);
    out << "channels:\n  chat: { publish: nobody }\n";
  }
  try {
    load_channel_rules(path);
    ADD_FAILURE() << "accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), path + ":2:20: publish must be clients or server, not \"nobody\"");
  }
  std::remove(path.c_str());
  try {
    load_channel_rules(path);
    ADD_FAILURE() << "accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot open: No such file or directory");
  }
}

}  // namespace
}  // namespace switchboard::channels
