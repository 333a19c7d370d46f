#include "channels/channel_rules.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace switchboard::channels {
namespace {

ChannelRules sample() {
  ChannelRules rules;
  rules.set_allow_undeclared(false);
  rules.add({"chat", {"ChatMessage"}, Publishers::clients});
  rules.add({"notifications", {"Notice"}, Publishers::server});
  rules.add({"room:*", {"ChatMessage", "Typing"}, Publishers::clients});
  rules.add({"room:vip:*", {"ChatMessage"}, Publishers::server});
  rules.add({"room:lobby", {}, Publishers::clients});
  rules.add({"free", {}, Publishers::clients});
  return rules;
}

std::string pattern_of(const ChannelRules& rules, std::string_view channel) {
  const auto* rule = rules.lookup(channel);
  return rule ? rule->pattern : "<none>";
}

TEST(ChannelRules, DefaultDeclaresNothingAndAllowsEverything) {
  ChannelRules rules;
  EXPECT_TRUE(rules.allow_undeclared());
  EXPECT_EQ(rules.lookup("chat"), nullptr);
  EXPECT_EQ(check_subscribe(rules, "chat"), std::nullopt);
  EXPECT_EQ(check_publish(rules, {}, Origin::client, "chat", "Anything", "1"), std::nullopt);
}

TEST(ChannelRules, ExactNameBeatsPatternsAndLongerPrefixBeatsShorter) {
  const auto rules = sample();
  EXPECT_EQ(pattern_of(rules, "chat"), "chat");
  EXPECT_EQ(pattern_of(rules, "room:42"), "room:*");
  EXPECT_EQ(pattern_of(rules, "room:"), "room:*");  // '*' matches the empty suffix too.
  EXPECT_EQ(pattern_of(rules, "room:vip:1"), "room:vip:*");
  EXPECT_EQ(pattern_of(rules, "room:lobby"), "room:lobby");
  EXPECT_EQ(pattern_of(rules, "chat2"), "<none>");
  EXPECT_EQ(pattern_of(rules, "room"), "<none>");
}

TEST(ChannelRules, DeclarationOrderDoesNotMatter) {
  ChannelRules rules;
  rules.add({"*", {}, Publishers::server});
  rules.add({"a:b:*", {}, Publishers::clients});
  rules.add({"a:*", {}, Publishers::clients});
  EXPECT_EQ(pattern_of(rules, "a:b:c"), "a:b:*");
  EXPECT_EQ(pattern_of(rules, "a:c"), "a:*");
  EXPECT_EQ(pattern_of(rules, "zzz"), "*");
}

TEST(ChannelRules, AddRejectsBadPatternsDuplicatesAndBadClassLists) {
  ChannelRules rules;
  rules.add({"chat", {}, Publishers::clients});
  auto message_of = [&](ChannelRule rule) -> std::string {
    try {
      rules.add(std::move(rule));
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "<accepted>";
  };
  EXPECT_EQ(message_of({"chat", {}, Publishers::clients}), "channel \"chat\" is declared twice");
  EXPECT_EQ(message_of({"a*b", {}, Publishers::clients}),
            "invalid channel pattern \"a*b\": '*' is allowed only once, at the end");
  EXPECT_EQ(message_of({"a**", {}, Publishers::clients}),
            "invalid channel pattern \"a**\": '*' is allowed only once, at the end");
  EXPECT_EQ(message_of({"bad name", {}, Publishers::clients}),
            "invalid channel name \"bad name\": channel name has a character outside A-Z a-z 0-9 _ - : . @ / = "
            "at byte 3");
  EXPECT_EQ(message_of({"", {}, Publishers::clients}),
            "invalid channel name \"\": channel name must not be empty");
  EXPECT_EQ(message_of({"x", {"A", ""}, Publishers::clients}), "channel \"x\": a class name is empty");
  EXPECT_EQ(message_of({"x", {"A", "B", "A"}, Publishers::clients}), "channel \"x\": class \"A\" is listed twice");
  EXPECT_EQ(rules.rules().size(), 1u);
}

TEST(CheckPattern, AcceptsNamesAndTrailingStar) {
  EXPECT_EQ(check_pattern("chat"), std::nullopt);
  EXPECT_EQ(check_pattern("room:*"), std::nullopt);
  EXPECT_EQ(check_pattern("*"), std::nullopt);
  EXPECT_TRUE(check_pattern("room :*"));
  EXPECT_TRUE(check_pattern("*x"));
}

TEST(CheckSubscribe, UndeclaredRefusedUnlessAllowed) {
  auto rules = sample();
  EXPECT_EQ(check_subscribe(rules, "notifications"), std::nullopt);  // Server-only publish; anyone subscribes.
  EXPECT_EQ(check_subscribe(rules, "room:7"), std::nullopt);
  EXPECT_EQ(check_subscribe(rules, "other"),
            (Refusal{error::undeclared_channel, "channel \"other\" is not declared"}));
  rules.set_allow_undeclared(true);
  EXPECT_EQ(check_subscribe(rules, "other"), std::nullopt);
}

TEST(CheckPublish, ChecksDeclarationPublisherClassInThatOrder) {
  const auto rules = sample();
  EXPECT_EQ(check_publish(rules, {}, Origin::client, "chat", "ChatMessage", "{}"), std::nullopt);
  EXPECT_EQ(check_publish(rules, {}, Origin::client, "other", "ChatMessage", "{}"),
            (Refusal{error::undeclared_channel, "channel \"other\" is not declared"}));
  EXPECT_EQ(check_publish(rules, {}, Origin::client, "notifications", "ChatMessage", "{}"),
            (Refusal{error::forbidden, "only the server may publish to \"notifications\""}));
  EXPECT_EQ(check_publish(rules, {}, Origin::server, "notifications", "Notice", "{}"), std::nullopt);
  EXPECT_EQ(check_publish(rules, {}, Origin::server, "notifications", "ChatMessage", "{}"),
            (Refusal{error::class_not_allowed,
                     "class \"ChatMessage\" is not allowed on channel \"notifications\" (allowed: Notice)"}));
  EXPECT_EQ(check_publish(rules, {}, Origin::client, "room:1", "Notice", "{}"),
            (Refusal{error::class_not_allowed,
                     "class \"Notice\" is not allowed on channel \"room:1\" (allowed: ChatMessage, Typing)"}));
  EXPECT_EQ(check_publish(rules, {}, Origin::client, "free", "Whatever", "[1]"), std::nullopt);
  EXPECT_EQ(check_publish(rules, {}, Origin::server, "other", "ChatMessage", "{}"),
            (Refusal{error::undeclared_channel, "channel \"other\" is not declared"}));
}

TEST(CheckPublish, ValidatorRunsOnlyForListedClassesAndNamesTheField) {
  const auto rules = sample();
  std::vector<std::string> calls;
  ModelValidator validate = [&](std::string_view cls, std::string_view data) -> std::optional<ModelError> {
    calls.push_back(std::string(cls) + " " + std::string(data));
    if (data == "[]") return ModelError{"", "expected object, got array"};
    if (data == R"({"a":[1,2,{"f":1}]})") return ModelError{"a[2].f", "expected String, got number"};
    return std::nullopt;
  };
  EXPECT_EQ(check_publish(rules, validate, Origin::client, "chat", "ChatMessage", "{}"), std::nullopt);
  EXPECT_EQ(check_publish(rules, validate, Origin::client, "chat", "ChatMessage", "[]"),
            (Refusal{error::invalid_message, "invalid ChatMessage: expected object, got array"}));
  EXPECT_EQ(check_publish(rules, validate, Origin::server, "room:2", "ChatMessage", R"({"a":[1,2,{"f":1}]})"),
            (Refusal{error::invalid_message, "invalid ChatMessage: field \"a[2].f\": expected String, got number"}));
  // Not called for a refused class, nor on a channel that takes any class.
  EXPECT_EQ(check_publish(rules, validate, Origin::client, "chat", "Typing", "[]")->code, error::class_not_allowed);
  EXPECT_EQ(check_publish(rules, validate, Origin::client, "free", "ChatMessage", "[]"), std::nullopt);
  EXPECT_EQ(calls.size(), 3u);
}

}  // namespace
}  // namespace switchboard::channels
