// Write batching (docs/protocol.md, "Write batching"): what a session gets in one loop iteration leaves in one
// send(), in order, each frame whole; a burst past half the outbound limit is written as it grows instead of
// making a slow consumer; and a close frame follows what was queued before it.
#include "support/metrics_scrape.hpp"
#include "support/raw_socket.hpp"
#include "support/test_server.hpp"

namespace switchboard::testing {
namespace {

using namespace std::chrono_literals;

// On a "Burst" message (data: how many), pushes that many numbered frames from the one handler; on "Bye",
// pushes 10 and then closes the session with 4100.
struct BurstApp : RecordingApp {
  void on_message(Session& s, const Message& m) override {
    if (m.class_name == "Burst") {
      const int count = std::stoi(m.data);
      for (int i = 0; i < count; ++i) s.send(Message{"Item", std::to_string(i)});
    } else if (m.class_name == "Bye") {
      for (int i = 0; i < 10; ++i) s.send(Message{"Item", std::to_string(i)});
      s.close(4100, "bye");
    } else {
      RecordingApp::on_message(s, m);
    }
  }
};

class WriteBatchingTest : public ServerTest {
 protected:
  void SetUp() override {
    app = std::make_shared<BurstApp>();
    server = std::make_unique<Server>(options(), app);
    server->start();
  }
  Options options() override {
    auto o = ServerTest::options();
    o.threads = 1;
    o.max_outbound_bytes = 16 * 1024;
    return o;
  }
  std::uint64_t metric(const char* name) { return scrape_metrics(server->port()).at(name); }

  // Every push of `c` must be Item 0..count-1 in order.
  static void expect_items(TestClient& c, int count) {
    ASSERT_TRUE(c.pushes.wait_count(static_cast<std::size_t>(count)));
    const auto pushes = c.pushes.items();
    ASSERT_EQ(pushes.size(), static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) EXPECT_EQ(pushes[i].message.data, std::to_string(i));
  }
};

TEST_F(WriteBatchingTest, FramesQueuedInOneHandlerLeaveInOneWrite) {
  auto c = connect();
  const auto frames_before = metric("switchboard_frames_sent_total");
  const auto writes_before = metric("switchboard_socket_writes_total");
  ASSERT_TRUE((*c)->send(Message{"Burst", "100"}).get().ok());
  expect_items(*c, 100);
  // 100 pushes and the ack of the send, queued in one handler (about 5 KB): one send() for all of them.
  EXPECT_EQ(metric("switchboard_frames_sent_total") - frames_before, 101u);
  EXPECT_EQ(metric("switchboard_socket_writes_total") - writes_before, 1u);
}

TEST_F(WriteBatchingTest, ABurstPastHalfTheLimitIsWrittenAsItGrowsNotTreatedAsASlowConsumer) {
  // 400 pushes of about 60 bytes (24 KB) from one handler, with a 16 KiB limit: written each time 8 KiB wait, so
  // a client that reads gets all of them and the session stays open.
  auto c = connect();
  const auto writes_before = metric("switchboard_socket_writes_total");
  ASSERT_TRUE((*c)->send(Message{"Burst", "400"}).get().ok());
  expect_items(*c, 400);
  EXPECT_GE(metric("switchboard_socket_writes_total") - writes_before, 3u);
  EXPECT_TRUE(c->closes.items().empty());
  EXPECT_TRUE((*c)->ping().get().ok());
  EXPECT_EQ(metric("switchboard_sessions_closed_total{reason=\"slow_consumer\"}"), 0u);
}

TEST_F(WriteBatchingTest, TheCloseFrameFollowsWhatWasQueuedBeforeIt) {
  RawSocket raw(server->port());
  raw.upgrade();
  ASSERT_TRUE(raw.read_frame());  // welcome
  raw.write(RawSocket::frame(0x81, R"({"type":"send","message":{"className":"Bye","data":null}})"));
  for (int i = 0; i < 10; ++i) {
    auto f = raw.read_frame();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->opcode, 0x1);
    EXPECT_EQ(f->payload, R"({"type":"push","message":{"className":"Item","data":)" + std::to_string(i) + "}}");
  }
  auto close = raw.read_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(close->opcode, 0x8);
  EXPECT_EQ(close->payload, std::string("\x10\x04") + "bye");  // 4100, big-endian
}

}  // namespace
}  // namespace switchboard::testing
