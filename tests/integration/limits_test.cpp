// Limits (docs/protocol.md, "Limits"): each one at its bound and just past it, and the session (or the
// server) going on afterwards.
#include "support/raw_socket.hpp"
#include "support/test_server.hpp"

#include <thread>

namespace switchboard::testing {
namespace {

using namespace std::chrono_literals;

std::string upgrade_request(const std::string& extra_headers = "") {
  return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
         extra_headers + "\r\n";
}

std::string status_line(const std::string& head) { return head.substr(0, head.find("\r\n")); }

class LimitsTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.max_subscriptions = 3;
    o.publish_rate = 1;
    o.publish_burst = 3;
    o.max_connections = 4;
    o.allowed_origins = {"https://chat.example.com", "http://127.0.0.1:8080"};
    return o;
  }
};

TEST_F(LimitsTest, WelcomeAnnouncesTheLimits) {
  auto a = connect();
  ASSERT_TRUE(a->frames.wait_count(1));
  EXPECT_NE(a->frames.items()[0].find(
                R"("limits":{"maxMessageBytes":4096,"maxSubscriptions":3,"publishRate":1,"publishBurst":3}})"),
            std::string::npos)
      << a->frames.items()[0];
}

TEST_F(LimitsTest, SubscriptionsUpToTheLimitThenTooManySubscriptions) {
  auto a = connect();
  for (const char* channel : {"c1", "c2", "c3"}) ASSERT_TRUE((*a)->subscribe(channel).get().ok()) << channel;
  auto refused = (*a)->subscribe("c4").get();
  EXPECT_EQ(refused.error, "too_many_subscriptions");
  EXPECT_EQ(refused.message, "this session already follows 3 channels, the most allowed");
  // At the limit a channel already followed is still reported as such, not as a limit.
  EXPECT_EQ((*a)->subscribe("c1").get().error, "already_subscribed");
  // Leaving one makes room again; the refused subscribe left no trace.
  ASSERT_TRUE((*a)->unsubscribe("c2").get().ok());
  EXPECT_TRUE((*a)->subscribe("c4").get().ok());
  auto snap = snapshot();
  EXPECT_EQ(snap.subscriptions, 3u);
  // The limit is per session: another session has its own three.
  auto b = connect();
  for (const char* channel : {"c1", "c2", "c3"}) EXPECT_TRUE((*b)->subscribe(channel).get().ok()) << channel;
}

TEST_F(LimitsTest, PublishRateBurstThenRateLimitedThenRefilled) {
  auto a = connect(), watcher = connect();
  ASSERT_TRUE((*watcher)->subscribe("room").get().ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*a)->publish("room", chat("m" + std::to_string(i))).get().ok()) << i;
  auto refused = (*a)->publish("room", chat("too fast")).get();
  EXPECT_EQ(refused.error, "rate_limited");
  EXPECT_EQ(refused.message, "more than 1 messages per second (burst 3); this one was dropped");
  EXPECT_EQ((*a)->send(Message{"Note", "{}"}).get().error, "rate_limited");  // send draws on the same bucket
  EXPECT_TRUE((*a)->ping().get().ok());  // pings are not limited
  std::this_thread::sleep_for(1100ms);  // one token back
  auto again = (*a)->publish("room", chat("later"));
  EXPECT_TRUE(again.get().ok());
  // The refused message reached nobody: the watcher saw m0 m1 m2 later, seq 1..4 with no gap.
  ASSERT_TRUE(watcher->messages.wait_count(4));
  std::this_thread::sleep_for(100ms);
  const auto got = watcher->messages.items();
  ASSERT_EQ(got.size(), 4u);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].seq, i + 1);
  EXPECT_EQ(got[3].message.data, R"({"text":"later"})");
}

TEST_F(LimitsTest, ConnectionsUpToTheLimitThen503WhileHealthStillAnswers) {
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(connect());
  RawSocket fifth(server->port());
  fifth.write(upgrade_request());
  const auto head = fifth.read_http_head();
  ASSERT_TRUE(head);
  EXPECT_EQ(status_line(*head), "HTTP/1.1 503 Service Unavailable");
  auto body = fifth.read_to_eof().first;
  EXPECT_EQ(body, "the server is at its connection limit; retry later\n");

  RawSocket health(server->port());
  health.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(health.read_to_eof().first.starts_with("HTTP/1.1 200 OK"));

  // A session that ends gives its slot back.
  (*clients[0])->close().get();
  ASSERT_TRUE(app->closed.wait_count(1));
  std::unique_ptr<TestClient> replacement;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!replacement && std::chrono::steady_clock::now() < deadline) {
    try {
      replacement = connect();
    } catch (const std::exception&) {
      std::this_thread::sleep_for(10ms);  // the slot is released when the session object goes
    }
  }
  ASSERT_TRUE(replacement);
  EXPECT_TRUE((*replacement)->ping().get().ok());
}

TEST_F(LimitsTest, OriginAllowListRefusesOtherBrowsersWith403) {
  {
    RawSocket raw(server->port());
    raw.write(upgrade_request("Origin: https://evil.example.com\r\n"));
    auto head = raw.read_http_head();
    ASSERT_TRUE(head);
    EXPECT_EQ(status_line(*head), "HTTP/1.1 403 Forbidden");
    EXPECT_EQ(raw.read_to_eof().first, "origin https://evil.example.com is not allowed\n");
  }
  for (const char* ok : {"https://chat.example.com", "HTTPS://Chat.Example.COM", "http://127.0.0.1:8080"}) {
    RawSocket raw(server->port());
    raw.write(upgrade_request(std::string("Origin: ") + ok + "\r\n"));
    auto head = raw.read_http_head();
    ASSERT_TRUE(head);
    EXPECT_EQ(status_line(*head), "HTTP/1.1 101 Switching Protocols") << ok;
  }
  {  // Non-browser clients send no Origin and are not affected.
    RawSocket raw(server->port());
    raw.write(upgrade_request());
    auto head = raw.read_http_head();
    ASSERT_TRUE(head);
    EXPECT_EQ(status_line(*head), "HTTP/1.1 101 Switching Protocols");
  }
  // A prefix or suffix of an allowed origin is not that origin.
  RawSocket raw(server->port());
  raw.write(upgrade_request("Origin: https://chat.example.com.evil.net\r\n"));
  auto head = raw.read_http_head();
  ASSERT_TRUE(head);
  EXPECT_EQ(status_line(*head), "HTTP/1.1 403 Forbidden");
}

TEST_F(LimitsTest, MessageSizeAtTheLimitIsReadAndOneBytePastClosesWith1009) {
  auto a = connect(), b = connect();
  const std::string head = R"({"type":"ping","id":7,"pad":")";
  const auto frame_of = [&](std::size_t size) { return head + std::string(size - head.size() - 2, 'x') + "\"}"; };
  ASSERT_EQ(frame_of(4096).size(), 4096u);
  (*a)->send_text(frame_of(4096));  // max_message_bytes is 4096 here
  ASSERT_TRUE(a->frames.wait([](auto& f) { return f.back() == R"({"type":"pong","id":7})"; }));
  (*a)->send_text(frame_of(4097));
  ASSERT_TRUE(a->closes.wait_count(1));
  EXPECT_EQ(a->closes.items()[0].code, close_code::too_big);
  EXPECT_TRUE((*b)->ping().get().ok());
}

class PerIpLimitTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.max_connections_per_ip = 2;
    return o;
  }
};

TEST_F(PerIpLimitTest, ConnectionsFromOneAddressUpToTheLimitThen429) {
  auto a = connect(), b = connect();
  RawSocket third(server->port());
  third.write(upgrade_request());
  auto head = third.read_http_head();
  ASSERT_TRUE(head);
  EXPECT_EQ(status_line(*head), "HTTP/1.1 429 Too Many Requests");
  EXPECT_EQ(third.read_to_eof().first, "too many connections from 127.0.0.1\n");
  EXPECT_TRUE((*a)->ping().get().ok());
  EXPECT_TRUE((*b)->ping().get().ok());
}

class IdleTimeoutTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.idle_timeout = 400ms;
    return o;
  }
};

TEST_F(IdleTimeoutTest, SilentSessionIsClosedWith4002WhileABusyOneStays) {
  // Before the connects: the session's idle clock starts when it is created, which is before connect() returns.
  const auto start = std::chrono::steady_clock::now();
  auto idle = connect(), busy = connect();
  std::atomic<bool> stop{false};
  std::thread pinger([&] {
    while (!stop) {
      (*busy)->ping().get();
      std::this_thread::sleep_for(50ms);
    }
  });
  ASSERT_TRUE(idle->closes.wait_count(1, 5s));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 400ms);
  EXPECT_EQ(idle->closes.items()[0].code, close_code::idle_timeout);
  EXPECT_EQ(idle->closes.items()[0].reason, "idle timeout: no request received");
  ASSERT_TRUE(app->closed.wait_count(1));
  EXPECT_EQ(app->closed.items()[0].reason.kind, CloseReason::Kind::timeout);
  EXPECT_EQ(app->closed.items()[0].reason.code, close_code::idle_timeout);
  std::this_thread::sleep_for(600ms);  // well past the timeout for the busy one
  stop = true;
  pinger.join();
  EXPECT_TRUE((*busy)->is_open());
  EXPECT_TRUE(busy->closes.items().empty());
}

}  // namespace
}  // namespace switchboard::testing
