// The typed server API (switchboard/typed.hpp) over real sockets, with the models generated from
// tests/integration/protocol/: typed publish and pushes encode for clients (serverOnly fields left out), clients'
// publishes and sends reach typed handlers decoded, and a registry-backed validator refuses what the generated
// decoders refuse, with the documented error frames, while the session goes on.
#include <string>
#include <utility>

#include "channels/channel_config.hpp"
#include "support/test_server.hpp"
#include "switchboard/model/registry.hpp"
#include "switchboard/typed.hpp"
#include "switchboard_models.hpp"

namespace switchboard::testing {
namespace {

constexpr std::string_view kChannelsYaml = R"(
channels:
  chat: { classes: [ChatMessage] }
  "room:*": { classes: [ChatMessage] }
  notifications: { classes: [Notice], publish: server }
  legacy: { classes: [OldMessage] }
  lobby:
)";

// Records what the typed handlers saw. Every session joins the group "all".
class TypedApp : public TypedApplication {
 public:
  struct Received {
    SessionId session;
    std::string channel;
    models::ChatMessage message;
  };

  TypedApp() {
    router().on<models::ChatMessage>("chat", [this](Session& s, const models::ChatMessage& m) {
      chats.add({s.id(), "chat", m});
    });
    // A pattern, with the handler form that is told the channel.
    router().on<models::ChatMessage>("room:*", [this](Session& s, std::string_view channel, const models::ChatMessage& m) {
      chats.add({s.id(), std::string(channel), m});
    });
    router().on<models::ChatMessage>("lobby", [this](Session& s, const models::ChatMessage& m) {
      chats.add({s.id(), "lobby", m});
    });
    router().on_send<models::Typing>([this](Session& s, const models::Typing& t) {
      typing.add({s.id(), t.on});
      switchboard::send(s, models::Notice{.text = t.on ? "typing" : "stopped"});
    });
  }

  void on_open(Session& s) override { s.join_group("all"); }

  Log<Received> chats;
  Log<std::pair<SessionId, bool>> typing;
  Log<Message> untyped_publishes, untyped_messages, decode_errors;

 protected:
  void on_untyped_publish(Session&, std::string_view, const Message& m) override { untyped_publishes.add(m); }
  void on_untyped_message(Session&, const Message& m) override { untyped_messages.add(m); }
  void on_decode_error(Session&, std::string_view, const Message& m) override { decode_errors.add(m); }
};

class TypedApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model::Registry registry;
    models::register_models(registry);
    Options o;
    o.port = 0;
    o.threads = 2;
    o.heartbeat = std::chrono::milliseconds(5000);
    o.channel_rules = channels::parse_channel_rules(kChannelsYaml, "channels.yaml");
    o.validate_model = model_validator(std::move(registry));
    app = std::make_shared<TypedApp>();
    server = std::make_unique<Server>(o, app);
    server->start();
  }
  void TearDown() override { server.reset(); }

  std::unique_ptr<TestClient> connect(const std::string& target = "/ws") {
    auto c = std::make_unique<TestClient>();
    client::Options o;
    o.port = server->port();
    o.target = target;
    c->welcome = c->client->connect(o);
    return c;
  }

  static SessionId id_of(const TestClient& c) { return std::stoull(c.welcome.session); }


  std::shared_ptr<TypedApp> app;
  std::unique_ptr<Server> server;
};

TEST_F(TypedApiTest, TypedPublishStripsServerOnlyFieldsOnTheWire) {
  auto a = connect();
  ASSERT_TRUE((*a)->subscribe("chat").get().ok());
  ASSERT_TRUE((*a)->subscribe("notifications").get().ok());

  const auto chat = publish(*server, "chat", models::ChatMessage{.text = "hi", .sender = "ada", .moderatorNote = "watch"});
  EXPECT_FALSE(chat.error);
  EXPECT_EQ(chat.seq, 1u);
  const auto notice = publish(*server, "notifications", models::Notice{.text = "maintenance", .audience = "admins"});
  EXPECT_FALSE(notice.error);
  auto message_frames = [](const std::vector<std::string>& all) {  // Exactly as on the wire.
    std::vector<std::string> frames;
    for (const auto& f : all) {
      if (f.starts_with(R"({"type":"message")")) frames.push_back(f);
    }
    return frames;
  };
  ASSERT_TRUE(a->frames.wait([&](const auto& all) { return message_frames(all).size() >= 2; }));
  const auto frames = message_frames(a->frames.items());
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0],
            R"({"type":"message","channel":"chat","seq":1,"message":{"className":"ChatMessage","data":{"__className__":"ChatMessage","text":"hi","sender":"ada"}}})");
  EXPECT_EQ(frames[1],
            R"({"type":"message","channel":"notifications","seq":1,"message":{"className":"Notice","data":{"__className__":"Notice","text":"maintenance"}}})");

  // The typed publish goes through the same checks as any other.
  EXPECT_EQ(publish(*server, "chat", models::Notice{.text = "x"}).error, make_error_code(error::class_not_allowed));
  EXPECT_EQ(publish(*server, "elsewhere", models::Notice{.text = "x"}).error,
            make_error_code(error::undeclared_channel));
}

TEST_F(TypedApiTest, OnPublishHandlerReceivesTheDecodedModelBeforeTheAck) {
  auto a = connect(), b = connect();
  ASSERT_TRUE((*b)->subscribe("room:7").get().ok());
  const Message sent{"ChatMessage",
                     R"({"text":"look","sender":"ada","attachments":[{"fileName":"a.png","size":3}],"unknown":[1]})"};
  const auto ack = (*a)->publish("chat", sent).get();
  ASSERT_TRUE(ack.ok()) << ack.error << ": " << ack.message;
  // on_publish runs before the ack is queued, so the handler has run by now.
  ASSERT_EQ(app->chats.size(), 1u);
  const auto got = app->chats.items()[0];
  EXPECT_EQ(got.session, id_of(*a));
  EXPECT_EQ(got.channel, "chat");
  EXPECT_EQ(got.message, (models::ChatMessage{.text = "look",
                                              .sender = "ada",
                                              .attachments = std::vector<models::Attachment>{{"a.png", 3}}}));

  // A pattern handler is told the channel; the subscribers get the client's message exactly as sent.
  const Message room{"ChatMessage", R"({"text":"in the room"})"};
  ASSERT_TRUE((*a)->publish("room:7", room).get().ok());
  ASSERT_EQ(app->chats.size(), 2u);
  EXPECT_EQ(app->chats.items()[1].channel, "room:7");
  EXPECT_EQ(app->chats.items()[1].message.text, "in the room");
  EXPECT_FALSE(app->chats.items()[1].message.sender.has_value());
  ASSERT_TRUE(b->messages.wait_count(1));
  EXPECT_EQ(b->messages.items()[0].message, room);

  // A class without a handler goes to on_untyped_publish; data a handler cannot decode (lobby is declared
  // without classes, so nothing validated it) goes to on_decode_error.
  ASSERT_TRUE((*a)->publish("lobby", Message{"Whatever", "[1]"}).get().ok());
  ASSERT_TRUE((*a)->publish("lobby", Message{"ChatMessage", R"({"text":5})"}).get().ok());
  EXPECT_EQ(app->untyped_publishes.items(), (std::vector<Message>{Message{"Whatever", "[1]"}}));
  EXPECT_EQ(app->decode_errors.items(), (std::vector<Message>{Message{"ChatMessage", R"({"text":5})"}}));
  EXPECT_EQ(app->chats.size(), 2u);

  // Neither Server::publish nor a refused publish reaches the handlers.
  ASSERT_FALSE(publish(*server, "chat", models::ChatMessage{.text = "from the server"}).error);
  expect_reply(*a, publish_frame(9, "chat", "ChatMessage", R"({"text":1})"),
               R"x({"type":"error","id":9,"code":"invalid_message","message":"invalid ChatMessage: field \"text\": expected String, got number"})x");
  EXPECT_EQ(app->chats.size(), 2u);
}

TEST_F(TypedApiTest, RegistryValidatorRefusesWithTheDocumentedErrorsAndTheSessionGoesOn) {
  auto a = connect(), b = connect();
  ASSERT_TRUE((*b)->subscribe("chat").get().ok());
  // A class the channel does not list (the channel rules), and one it lists but the registry does not know.
  expect_reply(*a, publish_frame(1, "chat", "Notice", R"({"text":"hi"})"),
               R"x({"type":"error","id":1,"code":"class_not_allowed","message":"class \"Notice\" is not allowed on channel \"chat\" (allowed: ChatMessage)"})x");
  expect_reply(*a, publish_frame(2, "legacy", "OldMessage", R"({"text":"hi"})"),
               R"x({"type":"error","id":2,"code":"invalid_message","message":"invalid OldMessage: unknown className \"OldMessage\""})x");
  // A missing required field, data that is not an object, a wrong type deep in a list.
  expect_reply(*a, publish_frame(3, "chat", "ChatMessage", R"({"sender":"ada"})"),
               R"x({"type":"error","id":3,"code":"invalid_message","message":"invalid ChatMessage: field \"text\": missing, expected String"})x");
  expect_reply(*a, publish_frame(4, "chat", "ChatMessage", "[1]"),
               R"x({"type":"error","id":4,"code":"invalid_message","message":"invalid ChatMessage: expected ChatMessage, got array"})x");
  expect_reply(
      *a,
      publish_frame(5, "room:1", "ChatMessage",
                    R"({"text":"look","attachments":[{"fileName":"a.png","size":1},{"fileName":"b.png","size":"big"}]})"),
      R"x({"type":"error","id":5,"code":"invalid_message","message":"invalid ChatMessage: field \"attachments[1].size\": expected int, got string"})x");

  // Nothing was delivered nor handled, no sequence number was taken, and the session still publishes.
  EXPECT_EQ(app->chats.size(), 0u);
  const auto ack = (*a)->publish("chat", Message{"ChatMessage", R"({"text":"ok"})"}).get();
  ASSERT_TRUE(ack.ok()) << ack.error << ": " << ack.message;
  EXPECT_EQ(ack.seq, 1u);
  ASSERT_TRUE(b->messages.wait_count(1));
  EXPECT_EQ(b->messages.items()[0].seq, 1u);
  EXPECT_EQ(app->chats.size(), 1u);
}

TEST_F(TypedApiTest, TypedPushesReachTheSessionTheUserAndTheGroup) {
  auto ada1 = connect("/ws?user=ada"), ada2 = connect("/ws?user=ada"), bob = connect("/ws?user=bob");
  const std::string notice_data = R"({"__className__":"Notice","text":"n"})";

  EXPECT_FALSE(send(*server, id_of(*bob), models::Notice{.text = "n", .audience = "bob only"}));
  ASSERT_TRUE(bob->pushes.wait_count(1));
  EXPECT_EQ(bob->pushes.items()[0].message, (Message{"Notice", notice_data}));

  send_to_user(*server, "ada", models::Notice{.text = "n"});
  ASSERT_TRUE(ada1->pushes.wait_count(1));
  ASSERT_TRUE(ada2->pushes.wait_count(1));
  EXPECT_EQ(ada1->pushes.items()[0].message, (Message{"Notice", notice_data}));
  EXPECT_EQ(ada2->pushes.items()[0].message, (Message{"Notice", notice_data}));

  EXPECT_FALSE(send_to_group(*server, "all", models::Notice{.text = "n"}));
  for (auto* c : {ada1.get(), ada2.get(), bob.get()}) {
    ASSERT_TRUE(c->pushes.wait_count(2));
    EXPECT_EQ(c->pushes.items().back().group, "all");
    EXPECT_EQ(c->pushes.items().back().message, (Message{"Notice", notice_data}));
  }
  ASSERT_TRUE((*bob)->ping().get().ok());
  EXPECT_EQ(bob->pushes.size(), 2u);  // bob got no ada push
}

TEST_F(TypedApiTest, SendFramesReachTheHandlerOfTheirClass) {
  auto a = connect();
  ASSERT_TRUE((*a)->send(Message{"Typing", R"({"on":true})"}).get().ok());
  // on_message runs before the ack: the handler ran and its push came first.
  EXPECT_EQ(app->typing.items(), (std::vector<std::pair<SessionId, bool>>{{id_of(*a), true}}));
  ASSERT_EQ(a->pushes.size(), 1u);
  EXPECT_EQ(a->pushes.items()[0].message, (Message{"Notice", R"({"__className__":"Notice","text":"typing"})"}));

  ASSERT_TRUE((*a)->send(Message{"Typing", R"({"on":"yes"})"}).get().ok());
  ASSERT_TRUE((*a)->send(Message{"Other", "{}"}).get().ok());
  EXPECT_EQ(app->typing.size(), 1u);
  EXPECT_EQ(app->decode_errors.items(), (std::vector<Message>{Message{"Typing", R"({"on":"yes"})"}}));
  EXPECT_EQ(app->untyped_messages.items(), (std::vector<Message>{Message{"Other", "{}"}}));
}

TEST(TypedApi, ToMessageAndFromMessageRoundTrip) {
  const models::ChatMessage chat{.text = "hi", .sender = std::nullopt, .moderatorNote = "secret"};
  const Message m = to_message(chat);
  EXPECT_EQ(m, (Message{"ChatMessage", R"({"__className__":"ChatMessage","text":"hi"})"}));
  models::ChatMessage back;
  ASSERT_TRUE(from_message(m, back)) << from_message(m, back).error();
  EXPECT_EQ(back, (models::ChatMessage{.text = "hi"}));
  models::Notice notice;
  const auto wrong = from_message(m, notice);
  EXPECT_FALSE(wrong);
  EXPECT_EQ(wrong.error(), R"(expected className "Notice", got "ChatMessage")");
}

TEST(TypedApi, ModelErrorSplitsThePathFromTheProblem) {
  auto split = [](std::string_view text) {
    const ModelError e = model_error(text);
    return std::pair{e.path, e.message};
  };
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(split("text: required field is missing"), (P{"text", "required field is missing"}));
  EXPECT_EQ(split("attachments[2].fileName: expected String, got number"),
            (P{"attachments[2].fileName", "expected String, got number"}));
  EXPECT_EQ(split(R"(counts{"a: b"}.x: bad)"), (P{R"(counts{"a: b"}.x)", "bad"}));
  EXPECT_EQ(split("pair.$1: expected int, got string"), (P{"pair.$1", "expected int, got string"}));
  EXPECT_EQ(split("expected ChatMessage, got array"), (P{"", "expected ChatMessage, got array"}));
  EXPECT_EQ(split(R"(unknown className "X")"), (P{"", R"(unknown className "X")"}));
  EXPECT_EQ(split("invalid JSON (TAPE_ERROR: bad)"), (P{"", "invalid JSON (TAPE_ERROR: bad)"}));
  EXPECT_EQ(split("[0]: expected int, got null"), (P{"[0]", "expected int, got null"}));
}

}  // namespace
}  // namespace switchboard::testing
