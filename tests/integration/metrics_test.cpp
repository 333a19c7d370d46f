// GET /metrics: Prometheus text format, and each counter moving exactly with what happened on the wire.
#include "support/metrics_scrape.hpp"
#include "support/raw_socket.hpp"
#include "support/test_server.hpp"

namespace switchboard::testing {
namespace {

using namespace std::chrono_literals;

class MetricsTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.allowed_origins = {"https://ok.example"};
    o.handshake_timeout = 1s;  // how long a closed slow consumer gets to answer the close
    return o;
  }

  std::map<std::string, std::uint64_t> scrape() { return scrape_metrics(server->port()); }
};

TEST_F(MetricsTest, CountersFollowWhatHappenedOnTheWire) {
  auto zero = scrape();
  EXPECT_EQ(zero.at("switchboard_sessions"), 0u);
  EXPECT_EQ(zero.at("switchboard_channels"), 0u);
  EXPECT_EQ(zero.at("switchboard_errors_total{code=\"invalid_channel\"}"), 0u);  // every code, zeros included
  EXPECT_EQ(zero.at("switchboard_errors_total{code=\"rate_limited\"}"), 0u);

  auto a = connect(), b = connect();
  ASSERT_TRUE((*a)->subscribe("chat").get().ok());
  ASSERT_TRUE((*b)->subscribe("chat").get().ok());
  ASSERT_TRUE((*b)->subscribe("other").get().ok());
  ASSERT_TRUE((*a)->publish("chat", chat("hi")).get().ok());
  EXPECT_EQ((*a)->subscribe("bad channel").get().error, "invalid_channel");
  EXPECT_EQ((*a)->subscribe("chat").get().error, "already_subscribed");
  ASSERT_TRUE(b->messages.wait_count(1));

  RawSocket refused(server->port());
  refused.write("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                "Origin: https://evil.example\r\n\r\n");
  ASSERT_TRUE(refused.read_to_eof().first.starts_with("HTTP/1.1 403"));

  auto m = scrape();
  EXPECT_EQ(m.at("switchboard_sessions"), 2u);
  EXPECT_EQ(m.at("switchboard_sessions_opened_total"), 2u);
  EXPECT_EQ(m.at("switchboard_channels"), 2u);
  EXPECT_EQ(m.at("switchboard_subscriptions"), 3u);
  EXPECT_EQ(m.at("switchboard_messages_published_total"), 1u);
  EXPECT_EQ(m.at("switchboard_deliveries_total"), 2u);  // a and b follow "chat"
  EXPECT_EQ(m.at("switchboard_errors_total{code=\"invalid_channel\"}"), 1u);
  EXPECT_EQ(m.at("switchboard_errors_total{code=\"already_subscribed\"}"), 1u);
  EXPECT_EQ(m.at("switchboard_upgrades_refused_total{reason=\"origin\"}"), 1u);
  // a: 3 subscribes + 1 publish; b: 2 subscribes.
  EXPECT_EQ(m.at("switchboard_frames_received_total"), 6u);
  // a: welcome, ack, message, ack(publish), error, error = 6; b: welcome, ack, ack, message = 4.
  EXPECT_EQ(m.at("switchboard_frames_sent_total"), 10u);
  EXPECT_GT(m.at("switchboard_sent_bytes_total"), 0u);
  EXPECT_GT(m.at("switchboard_received_bytes_total"), 0u);

  (*a)->close().get();
  ASSERT_TRUE(app->closed.wait_count(1));
  b->client->abort();
  ASSERT_TRUE(app->closed.wait_count(2));
  auto end = scrape();
  EXPECT_EQ(end.at("switchboard_sessions"), 0u);
  EXPECT_EQ(end.at("switchboard_channels"), 0u);
  EXPECT_EQ(end.at("switchboard_subscriptions"), 0u);
  EXPECT_EQ(end.at("switchboard_sessions_closed_total{reason=\"client_closed\"}"), 1u);
  EXPECT_EQ(end.at("switchboard_sessions_closed_total{reason=\"network_error\"}"), 1u);
}

TEST_F(MetricsTest, SlowConsumerCloseAndDropsAreCounted) {
  auto slow = connect();
  ASSERT_TRUE((*slow)->subscribe("firehose").get().ok());
  // Stop reading on the client side: the raw socket below subscribes and then never reads.
  RawSocket raw(server->port());
  raw.upgrade();
  raw.write(RawSocket::frame(0x81, R"({"type":"subscribe","id":1,"channel":"firehose"})"));
  ASSERT_TRUE(eventually([](const Snapshot& s) { return s.subscriptions == 2; }));
  const std::string big(3000, 'x');
  for (int i = 0; i < 2000; ++i) {
    server->publish("firehose", Message{"Blob", "\"" + big + "\""});
    if (i % 100 == 0) {
      auto closed = scrape().at("switchboard_sessions_closed_total{reason=\"slow_consumer\"}");
      if (closed == 1) break;
    }
  }
  ASSERT_TRUE(eventually([](const Snapshot& s) { return s.sessions.size() == 1; }));
  auto m = scrape();
  EXPECT_EQ(m.at("switchboard_sessions_closed_total{reason=\"slow_consumer\"}"), 1u);
  EXPECT_GT(m.at("switchboard_frames_dropped_total"), 0u);
}

TEST_F(MetricsTest, DisabledByAnEmptyPathAndOnlyGet) {
  RawSocket post(server->port());
  post.write("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(post.read_to_eof().first.starts_with("HTTP/1.1 405"));
  server.reset();
  auto o = options();
  o.metrics_path.clear();
  server = std::make_unique<Server>(o, app);
  server->start();
  RawSocket raw(server->port());
  raw.write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(raw.read_to_eof().first.starts_with("HTTP/1.1 404"));
}

}  // namespace
}  // namespace switchboard::testing
