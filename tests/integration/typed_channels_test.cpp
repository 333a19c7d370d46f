// Typed channels over real sockets: a channels.yaml declares channels, their model classes and who publishes;
// every refusal is the documented error frame, and the session (and its subscribers) go on.
#include <simdjson.h>

#include "channels/channel_config.hpp"
#include "support/test_server.hpp"

namespace switchboard::testing {
namespace {

// A tiny fixed model, checked by hand the way generated code will check it:
//   ChatMessage { text: String, attachments: List<Attachment>? }
//   Attachment  { fileName: String }
//   Notice      { text: String }
std::string json_type(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: return "list";
    case simdjson::dom::element_type::OBJECT: return "object";
    case simdjson::dom::element_type::STRING: return "string";
    case simdjson::dom::element_type::BOOL: return "bool";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
    default: return "number";
  }
}

std::optional<ModelError> required_string(simdjson::dom::object o, std::string_view field, std::string path) {
  simdjson::dom::element value;
  if (o[field].get(value)) return ModelError{path, "required field is missing"};
  if (!value.is_string()) return ModelError{path, "expected String, got " + json_type(value)};
  return std::nullopt;
}

std::optional<ModelError> validate_tiny_model(std::string_view class_name, std::string_view data) {
  simdjson::dom::parser parser;  // One per call: validators run on several threads at once.
  simdjson::dom::element root;
  if (parser.parse(simdjson::padded_string(data)).get(root)) return ModelError{"", "not JSON"};
  simdjson::dom::object object;
  if (root.get(object)) return ModelError{"", "expected " + std::string(class_name) + ", got " + json_type(root)};
  if (class_name == "Notice") return required_string(object, "text", "text");
  if (class_name != "ChatMessage") return ModelError{"", "unknown class"};
  if (auto e = required_string(object, "text", "text")) return e;
  simdjson::dom::element attachments;
  if (object["attachments"].get(attachments) || attachments.is_null()) return std::nullopt;
  simdjson::dom::array list;
  if (attachments.get(list)) return ModelError{"attachments", "expected List<Attachment>, got " + json_type(attachments)};
  std::size_t i = 0;
  for (simdjson::dom::element item : list) {
    const auto path = "attachments[" + std::to_string(i++) + "]";
    simdjson::dom::object attachment;
    if (item.get(attachment)) return ModelError{path, "expected Attachment, got " + json_type(item)};
    if (auto e = required_string(attachment, "fileName", path + ".fileName")) return e;
  }
  return std::nullopt;
}

constexpr std::string_view kChannelsYaml = R"(
allowUndeclared: false
channels:
  chat: { classes: [ChatMessage], publish: clients }
  notifications: { classes: [Notice], publish: server }
  "room:*": { classes: [ChatMessage], publish: clients }
  readonly: { classes: [ChatMessage] }
  secret:
)";

class TypedChannelsTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.channel_rules = channels::parse_channel_rules(yaml(), "channels.yaml");
    o.validate_model = validate_tiny_model;
    return o;
  }
  virtual std::string yaml() { return std::string(kChannelsYaml); }

};

TEST_F(TypedChannelsTest, WrongClassOnATypedChannelIsRefusedAndNothingIsDelivered) {
  auto a = connect(), b = connect();
  ASSERT_TRUE((*b)->subscribe("chat").get().ok());
  expect_reply(*a, publish_frame(7, "chat", "Notice", R"({"text":"hi"})"),
               R"x({"type":"error","id":7,"code":"class_not_allowed","message":"class \"Notice\" is not allowed on channel \"chat\" (allowed: ChatMessage)"})x");
  expect_reply(*a, publish_frame(8, "room:42", "Typing", "true"),
               R"x({"type":"error","id":8,"code":"class_not_allowed","message":"class \"Typing\" is not allowed on channel \"room:42\" (allowed: ChatMessage)"})x");
  // The refused message took no sequence number and reached nobody.
  auto ack = (*a)->publish("chat", chat("ok")).get();
  ASSERT_TRUE(ack.ok()) << ack.error << ": " << ack.message;
  EXPECT_EQ(ack.seq, 1u);
  ASSERT_TRUE(b->messages.wait_count(1));
  EXPECT_EQ(b->messages.items()[0].message, chat("ok"));
}

TEST_F(TypedChannelsTest, MissingRequiredFieldNamesTheField) {
  auto a = connect();
  expect_reply(*a, publish_frame(3, "chat", "ChatMessage", R"({"sender":"ada"})"),
               R"x({"type":"error","id":3,"code":"invalid_message","message":"invalid ChatMessage: field \"text\": required field is missing"})x");
  expect_reply(*a, publish_frame(4, "chat", "ChatMessage", "[1]"),
               R"x({"type":"error","id":4,"code":"invalid_message","message":"invalid ChatMessage: expected ChatMessage, got list"})x");
}

TEST_F(TypedChannelsTest, WrongTypeDeepInAListNamesThePath) {
  auto a = connect(), b = connect();
  ASSERT_TRUE((*b)->subscribe("room:1").get().ok());
  expect_reply(
      *a,
      publish_frame(5, "room:1", "ChatMessage",
                    R"({"text":"look","attachments":[{"fileName":"a.png"},{"fileName":"b.png"},{"fileName":42}]})"),
      R"x({"type":"error","id":5,"code":"invalid_message","message":"invalid ChatMessage: field \"attachments[2].fileName\": expected String, got number"})x");
  const Message good{"ChatMessage", R"({"text":"look","attachments":[{"fileName":"a.png"}]})"};
  ASSERT_EQ((*a)->publish("room:1", good).get().seq, 1u);
  ASSERT_TRUE(b->messages.wait_count(1));
  EXPECT_EQ(b->messages.items()[0].message, good);
}

TEST_F(TypedChannelsTest, ServerOnlyChannelRefusesClientsButTakesServerPublishes) {
  auto a = connect();
  ASSERT_TRUE((*a)->subscribe("notifications").get().ok());
  expect_reply(*a, publish_frame(9, "notifications", "Notice", R"({"text":"fake"})"),
               R"({"type":"error","id":9,"code":"forbidden","message":"only the server may publish to \"notifications\""})");
  const Message notice{"Notice", R"({"text":"maintenance at 18:00"})"};
  const auto result = server->publish("notifications", notice);
  EXPECT_FALSE(result.error);
  EXPECT_EQ(result.seq, 1u);
  ASSERT_TRUE(a->messages.wait_count(1));
  EXPECT_EQ(a->messages.items()[0].message, notice);
}

TEST_F(TypedChannelsTest, UndeclaredChannelIsRefused) {
  auto a = connect();
  expect_reply(*a, R"({"type":"subscribe","id":1,"channel":"elsewhere"})",
               R"({"type":"error","id":1,"code":"undeclared_channel","message":"channel \"elsewhere\" is not declared"})");
  expect_reply(*a, publish_frame(2, "elsewhere", "ChatMessage", R"({"text":"x"})"),
               R"({"type":"error","id":2,"code":"undeclared_channel","message":"channel \"elsewhere\" is not declared"})");
  // "room:*" matches "room:" followed by anything, and nothing else.
  expect_reply(*a, R"({"type":"subscribe","id":3,"channel":"room"})",
               R"({"type":"error","id":3,"code":"undeclared_channel","message":"channel \"room\" is not declared"})");
  EXPECT_TRUE((*a)->subscribe("room:anything").get().ok());
  EXPECT_TRUE(snapshot().sessions.at(0).channels == std::vector<std::string>{"room:anything"});
}

TEST_F(TypedChannelsTest, ApplicationPolicyStillAppliesAfterTheRules) {
  auto a = connect();
  // Declared, but RecordingApp refuses subscribes to "secret" and publishes to "readonly".
  expect_reply(*a, R"({"type":"subscribe","id":1,"channel":"secret"})",
               R"({"type":"error","id":1,"code":"forbidden","message":"subscribing to \"secret\" is not allowed"})");
  expect_reply(*a, publish_frame(2, "readonly", "ChatMessage", R"({"text":"x"})"),
               R"({"type":"error","id":2,"code":"forbidden","message":"publishing to \"readonly\" is not allowed"})");
  // The rules run first.
  expect_reply(*a, publish_frame(3, "readonly", "Notice", R"({"text":"x"})"),
               R"x({"type":"error","id":3,"code":"class_not_allowed","message":"class \"Notice\" is not allowed on channel \"readonly\" (allowed: ChatMessage)"})x");
  // A channel declared with no classes carries anything, unchecked.
  auto ack = (*a)->publish("secret", Message{"Anything", "[1,2]"}).get();
  EXPECT_TRUE(ack.ok()) << ack.error;
}

TEST_F(TypedChannelsTest, ServerPublishIsCheckedToo) {
  auto a = connect();
  ASSERT_TRUE((*a)->subscribe("chat").get().ok());
  EXPECT_EQ(server->publish("elsewhere", chat("x")).error, make_error_code(error::undeclared_channel));
  EXPECT_EQ(server->publish("chat", Message{"Notice", R"({"text":"x"})"}).error,
            make_error_code(error::class_not_allowed));
  EXPECT_EQ(server->publish("chat", Message{"ChatMessage", R"({"text":1})"}).error,
            make_error_code(error::invalid_message));
  EXPECT_EQ(server->publish("chat", Message{"ChatMessage", "{}"}).error, make_error_code(error::invalid_message));
  const auto ok = server->publish("chat", chat("fine"));
  EXPECT_FALSE(ok.error);
  EXPECT_EQ(ok.seq, 1u);  // The refused ones took no sequence number...
  ASSERT_TRUE(a->messages.wait_count(1));
  ASSERT_TRUE((*a)->ping().get().ok());
  EXPECT_EQ(a->messages.size(), 1u);  // ...and reached nobody.
  EXPECT_EQ(a->messages.items()[0].message, chat("fine"));
}

class AllowUndeclaredTest : public TypedChannelsTest {
 protected:
  std::string yaml() override { return "allowUndeclared: true\nchannels:\n  chat: { classes: [ChatMessage] }\n"; }
};

TEST_F(AllowUndeclaredTest, UndeclaredChannelsCarryAnythingWhileDeclaredOnesStayTyped) {
  auto a = connect();
  ASSERT_TRUE((*a)->subscribe("elsewhere").get().ok());
  const Message anything{"Whatever", R"({"x":[1,2,3]})"};
  auto ack = (*a)->publish("elsewhere", anything).get();
  ASSERT_TRUE(ack.ok()) << ack.error;
  EXPECT_EQ(ack.seq, 1u);
  ASSERT_TRUE(a->messages.wait_count(1));
  EXPECT_EQ(a->messages.items()[0].message, anything);
  EXPECT_FALSE(server->publish("elsewhere", anything).error);
  ASSERT_TRUE(a->messages.wait_count(2));
  expect_reply(*a, publish_frame(50, "chat", "ChatMessage", R"({"text":false})"),
               R"x({"type":"error","id":50,"code":"invalid_message","message":"invalid ChatMessage: field \"text\": expected String, got bool"})x");
}

}  // namespace
}  // namespace switchboard::testing
