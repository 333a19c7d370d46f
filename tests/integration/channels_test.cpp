// Channels over real loopback sockets: subscribe, broadcast, unsubscribe, order and sequence numbers.
#include "support/test_server.hpp"

namespace switchboard::testing {
namespace {

using ChannelsTest = ServerTest;

bool has_message_for(const TestClient& c, std::string_view channel) {
  for (const auto& m : c.messages.items()) {
    if (m.channel == channel) return true;
  }
  return false;
}

TEST_F(ChannelsTest, BroadcastReachesEverySubscriberAndNoOneElse) {
  auto a = connect(), b = connect(), outsider = connect();
  ASSERT_TRUE((*a)->subscribe("chat").get().ok());
  ASSERT_TRUE((*b)->subscribe("chat").get().ok());
  ASSERT_TRUE((*outsider)->subscribe("other").get().ok());

  auto ack = (*a)->publish("chat", chat("hello")).get();
  ASSERT_TRUE(ack.ok()) << ack.error;
  EXPECT_EQ(ack.seq, 1u);
  for (auto* c : {a.get(), b.get()}) {
    ASSERT_TRUE(c->messages.wait_count(1));
    const auto m = c->messages.items()[0];
    EXPECT_EQ(m.channel, "chat");
    EXPECT_EQ(m.seq, 1u);
    EXPECT_EQ(m.message, chat("hello"));
  }
  // The wire form, exactly as docs/protocol.md shows it.
  ASSERT_TRUE(b->frames.wait([](auto& f) { return f.size() >= 3; }));
  EXPECT_EQ(b->frames.items()[2],
            R"({"type":"message","channel":"chat","seq":1,"message":{"className":"ChatMessage","data":{"text":"hello"}}})");
  // A ping answered after the publish proves the outsider's connection has delivered everything before it.
  ASSERT_TRUE((*outsider)->ping().get().ok());
  EXPECT_FALSE(has_message_for(*outsider, "chat"));
  EXPECT_EQ(outsider->messages.size(), 0u);
}

TEST_F(ChannelsTest, PublisherSeesItsOwnMessageBeforeTheAck) {
  auto a = connect();
  ASSERT_TRUE((*a)->subscribe("chat").get().ok());
  ASSERT_TRUE((*a)->publish("chat", chat("me")).get().ok());
  const auto frames = a->frames.items();
  ASSERT_EQ(frames.size(), 4u);  // welcome, ack(subscribe), message, ack(publish)
  EXPECT_NE(frames[2].find(R"("type":"message")"), std::string::npos);
  EXPECT_EQ(frames[3], R"({"type":"ack","id":2,"seq":1})");
}

TEST_F(ChannelsTest, UnsubscribeStopsDelivery) {
  auto a = connect(), b = connect();
  ASSERT_TRUE((*a)->subscribe("chat").get().ok());
  ASSERT_TRUE((*b)->subscribe("chat").get().ok());
  ASSERT_TRUE((*b)->unsubscribe("chat").get().ok());
  ASSERT_EQ((*a)->publish("chat", chat("after")).get().seq, 1u);
  ASSERT_TRUE(a->messages.wait_count(1));
  ASSERT_TRUE((*b)->ping().get().ok());
  EXPECT_EQ(b->messages.size(), 0u);
}

TEST_F(ChannelsTest, EverySubscriberGetsEveryMessageInSequenceOrder) {
  constexpr int kSubscribers = 6, kPublishers = 3, kEach = 200;
  client::EventLoop loop;
  std::vector<std::unique_ptr<TestClient>> subs, pubs;
  for (int i = 0; i < kSubscribers; ++i) {
    subs.push_back(connect("/ws", &loop));
    ASSERT_TRUE((*subs.back())->subscribe("feed").get().ok());
  }
  for (int i = 0; i < kPublishers; ++i) pubs.push_back(connect());
  std::vector<std::thread> threads;
  for (int p = 0; p < kPublishers; ++p) {
    threads.emplace_back([&, p] {
      std::vector<std::future<client::Reply>> acks;
      for (int i = 0; i < kEach; ++i) {
        acks.push_back((*pubs[p])->publish("feed", Message{"N", "{\"p\":" + std::to_string(p) + ",\"i\":" + std::to_string(i) + "}"}));
      }
      for (auto& f : acks) EXPECT_TRUE(f.get().ok());
    });
  }
  for (auto& t : threads) t.join();
  const std::size_t total = kPublishers * kEach;
  for (auto& s : subs) {
    ASSERT_TRUE(s->messages.wait_count(total)) << s->messages.size();
    const auto got = s->messages.items();
    ASSERT_EQ(got.size(), total);
    std::vector<int> next(kPublishers, 0);
    for (std::size_t i = 0; i < total; ++i) {
      EXPECT_EQ(got[i].seq, i + 1);
      // Each publisher's own messages keep their order too.
      const auto& data = got[i].message.data;
      const int p = data[5] - '0';
      EXPECT_EQ(data, "{\"p\":" + std::to_string(p) + ",\"i\":" + std::to_string(next[p]) + "}");
      ++next[p];
    }
  }
}

TEST_F(ChannelsTest, ServerPublishFromAnyThreadReachesSubscribers) {
  auto a = connect();
  ASSERT_TRUE((*a)->subscribe("news").get().ok());
  PublishResult r;
  std::thread([&] { r = server->publish("news", Message{"Notice", R"({"text":"x"})"}); }).join();
  EXPECT_FALSE(r.error);
  EXPECT_EQ(r.seq, 1u);
  EXPECT_EQ(r.subscribers, 1u);
  ASSERT_TRUE(a->messages.wait_count(1));
  EXPECT_EQ(a->messages.items()[0].message, (Message{"Notice", R"({"text":"x"})"}));
}

TEST_F(ChannelsTest, ServerPublishToInvalidOrEmptyChannel) {
  EXPECT_EQ(server->publish("bad name", chat("x")).error, make_error_code(error::invalid_channel));
  const auto r = server->publish("nobody-here", chat("x"));
  EXPECT_FALSE(r.error);
  EXPECT_EQ(r.seq, 0u);
}

TEST_F(ChannelsTest, ChannelExistsWhileItHasSubscribers) {
  auto a = connect(), b = connect();
  ASSERT_TRUE((*a)->subscribe("room:1").get().ok());
  ASSERT_TRUE((*b)->subscribe("room:1").get().ok());
  ASSERT_TRUE((*a)->publish("room:1", chat("x")).get().ok());
  auto s = snapshot();
  ASSERT_EQ(s.channels.size(), 1u);
  EXPECT_EQ(s.channels[0].name, "room:1");
  EXPECT_EQ(s.channels[0].subscribers, 2u);
  EXPECT_EQ(s.channels[0].last_seq, 1u);
  ASSERT_TRUE((*a)->unsubscribe("room:1").get().ok());
  EXPECT_EQ(snapshot().channels[0].subscribers, 1u);
  ASSERT_TRUE((*b)->unsubscribe("room:1").get().ok());
  EXPECT_TRUE(snapshot().channels.empty());
  // Recreated from scratch: sequence numbers start again at 1.
  ASSERT_TRUE((*a)->subscribe("room:1").get().ok());
  EXPECT_EQ((*a)->publish("room:1", chat("y")).get().seq, 1u);
}

TEST_F(ChannelsTest, SnapshotListsSessionsWithUserAndChannels) {
  auto a = connect("/ws?user=ada");
  ASSERT_TRUE((*a)->subscribe("chat").get().ok());
  ASSERT_TRUE((*a)->subscribe("alpha").get().ok());
  auto s = snapshot();
  ASSERT_EQ(s.sessions.size(), 1u);
  EXPECT_EQ(std::to_string(s.sessions[0].id), a->welcome.session);
  EXPECT_EQ(s.sessions[0].user, "ada");
  EXPECT_EQ(s.sessions[0].channels, (std::vector<std::string>{"alpha", "chat"}));
  EXPECT_EQ(s.subscriptions, 2u);
  EXPECT_TRUE(s.sessions[0].remote.starts_with("127.0.0.1:"));
}

TEST_F(ChannelsTest, PolicyAndStateErrorsCarryTheRequestId) {
  auto a = connect();
  auto r = (*a)->subscribe("secret").get();
  EXPECT_EQ(r.error, "forbidden");
  EXPECT_EQ(r.message, "subscribing to \"secret\" is not allowed");
  EXPECT_EQ((*a)->publish("readonly", chat("x")).get().error, "forbidden");
  EXPECT_EQ((*a)->subscribe("bad channel!").get().error, "invalid_channel");
  EXPECT_EQ((*a)->unsubscribe("chat").get().error, "not_subscribed");
  ASSERT_TRUE((*a)->subscribe("chat").get().ok());
  EXPECT_EQ((*a)->subscribe("chat").get().error, "already_subscribed");
  EXPECT_EQ((*a)->publish(std::string(129, 'x'), chat("x")).get().error, "invalid_channel");
  // Still a working session.
  EXPECT_TRUE((*a)->publish("chat", chat("fine")).get().ok());
  EXPECT_EQ(snapshot().channels.size(), 1u);
}

}  // namespace
}  // namespace switchboard::testing
