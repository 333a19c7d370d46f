// Session lifecycle: welcome first, hooks exactly once, close paths, heartbeats, cleanup, shutdown.
#include "support/raw_socket.hpp"
#include "support/test_server.hpp"

namespace switchboard::testing {
namespace {

using LifecycleTest = ServerTest;

TEST_F(LifecycleTest, WelcomeIsTheFirstFrameAndCarriesTheLimits) {
  auto a = connect("/ws?user=ada");
  const auto frames = a->frames.items();
  ASSERT_GE(frames.size(), 1u);
  EXPECT_EQ(frames[0], R"({"type":"welcome","session":")" + a->welcome.session +
                           R"(","protocol":1,"server":"switchboard/0.1.0","heartbeatMs":5000,"limits":{"maxMessageBytes":4096,"maxSubscriptions":1000}})");
  EXPECT_EQ(a->welcome.protocol, 1);
  EXPECT_EQ(a->welcome.heartbeat, std::chrono::milliseconds(5000));
  EXPECT_EQ(a->welcome.max_message_bytes, 4096u);
  ASSERT_TRUE(app->opened.wait_count(1));
  EXPECT_EQ(std::to_string(app->opened.items()[0]), a->welcome.session);
}

TEST_F(LifecycleTest, SessionIdsAreUnique) {
  std::set<std::string> ids;
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 20; ++i) {
    clients.push_back(connect());
    ids.insert(clients.back()->welcome.session);
  }
  EXPECT_EQ(ids.size(), 20u);
}

TEST_F(LifecycleTest, ClientCloseRunsOnCloseOnceWithTheCodeAndReleasesEverything) {
  auto a = connect();
  ASSERT_TRUE((*a)->subscribe("chat").get().ok());
  ASSERT_FALSE(server->add_to_group(std::stoull(a->welcome.session), "g"));
  ASSERT_TRUE(eventually([](const Snapshot& s) { return s.group_memberships == 1; }));
  const auto closed = (*a)->close(1000, "bye").get();
  EXPECT_EQ(closed.code, 1000);  // The server echoes the client's close.
  ASSERT_TRUE(app->closed.wait_count(1));
  const auto record = app->closed.items()[0];
  EXPECT_EQ(std::to_string(record.id), a->welcome.session);
  EXPECT_EQ(record.reason.kind, CloseReason::Kind::client_closed);
  EXPECT_EQ(record.reason.code, 1000);
  EXPECT_EQ(record.reason.message, "bye");
  EXPECT_EQ(record.user_data, "attached-to-" + a->welcome.session);
  EXPECT_FALSE(app->close_saw_memberships);
  const auto s = snapshot();
  EXPECT_TRUE(s.sessions.empty());
  EXPECT_TRUE(s.channels.empty());
  EXPECT_EQ(s.subscriptions, 0u);
  EXPECT_EQ(s.group_memberships, 0u);
  EXPECT_EQ(s.sessions_opened, 1u);
  EXPECT_EQ(s.sessions_closed, 1u);
}

TEST_F(LifecycleTest, ServerCloseSendsTheCodeAfterQueuedFrames) {
  auto a = connect();
  const auto id = std::stoull(a->welcome.session);
  server->send(id, Message{"Notice", "1"});
  ASSERT_FALSE(server->close(id, 4000, "kicked"));
  ASSERT_TRUE(a->closes.wait_count(1));
  EXPECT_EQ(a->closes.items()[0].code, 4000);
  EXPECT_EQ(a->closes.items()[0].reason, "kicked");
  EXPECT_EQ(a->pushes.size(), 1u);  // Queued before the close: delivered.
  ASSERT_TRUE(app->closed.wait_count(1));
  EXPECT_EQ(app->closed.items()[0].reason.kind, CloseReason::Kind::server_closed);
  EXPECT_EQ(app->closed.items()[0].reason.code, 4000);
}

TEST_F(LifecycleTest, ThousandAbruptDisconnectsLeaveNothingBehind) {
  constexpr int kSessions = 1000;
  client::EventLoop loop;
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < kSessions; ++i) {
    clients.push_back(connect("/ws?user=u" + std::to_string(i % 10), &loop));
    (*clients.back())->subscribe("ch" + std::to_string(i % 7));
    (*clients.back())->subscribe("all");
  }
  ASSERT_TRUE(eventually([&](const Snapshot& s) { return s.subscriptions == 2 * kSessions; }));
  auto before = snapshot();
  EXPECT_EQ(before.sessions.size(), static_cast<std::size_t>(kSessions));
  EXPECT_EQ(before.channels.size(), 8u);
  for (auto& c : clients) (*c)->abort();
  ASSERT_TRUE(app->closed.wait_count(kSessions, std::chrono::seconds(30)));
  const auto after = snapshot();
  EXPECT_TRUE(after.sessions.empty());
  EXPECT_TRUE(after.channels.empty());
  EXPECT_EQ(after.subscriptions, 0u);
  EXPECT_EQ(after.sessions_closed, static_cast<std::uint64_t>(kSessions));
  // on_close ran exactly once per session.
  std::set<SessionId> ids;
  for (const auto& c : app->closed.items()) ids.insert(c.id);
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kSessions));
  EXPECT_EQ(app->closed.size(), static_cast<std::size_t>(kSessions));
  clients.clear();
}

class HeartbeatTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.heartbeat = std::chrono::milliseconds(150);
    return o;
  }
};

TEST_F(HeartbeatTest, ServerPingsAtTheIntervalAndDropsAPeerThatNeverAnswers) {
  RawSocket raw(server->port());
  ASSERT_TRUE(raw.upgrade().starts_with("HTTP/1.1 101"));
  ASSERT_EQ(raw.read_frame()->opcode, 0x1);  // welcome
  const auto start = std::chrono::steady_clock::now();
  auto ping = raw.read_frame();
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->opcode, 0x9);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  // Never answer: the server drops the connection after two intervals of silence.
  auto [rest, eof] = raw.read_to_eof();
  EXPECT_TRUE(eof);
  ASSERT_TRUE(app->closed.wait_count(1));
  EXPECT_EQ(app->closed.items()[0].reason.kind, CloseReason::Kind::timeout);
  EXPECT_TRUE(snapshot().sessions.empty());
}

TEST_F(HeartbeatTest, AClientThatAnswersPingsStaysConnected) {
  auto a = connect();  // Our client answers WebSocket pings.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));  // Several heartbeat intervals.
  EXPECT_TRUE((*a)->ping().get().ok());
  EXPECT_EQ(app->closed.size(), 0u);
}

TEST_F(HeartbeatTest, ApplicationPingIsAnsweredWithPong) {
  RawSocket raw(server->port());
  raw.upgrade();
  raw.read_frame();
  raw.write(RawSocket::frame(0x81, R"({"type":"ping","id":4})"));
  std::optional<RawSocket::Frame> f;
  do f = raw.read_frame(); while (f && f->opcode == 0x9);  // Skip any WebSocket ping.
  ASSERT_TRUE(f);
  EXPECT_EQ(f->payload, R"({"type":"pong","id":4})");
}

TEST(ServerStop, ClosesEverySessionWithGoingAwayAndRunsOnClose) {
  auto app = std::make_shared<RecordingApp>();
  Options o;
  o.port = 0;
  o.threads = 2;
  auto server = std::make_unique<Server>(o, app);
  server->start();
  client::EventLoop loop;
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 50; ++i) {
    clients.push_back(std::make_unique<TestClient>(&loop));
    client::Options co;
    co.port = server->port();
    clients.back()->welcome = (*clients.back())->connect(co);
  }
  server->stop();
  for (auto& c : clients) {
    ASSERT_TRUE(c->closes.wait_count(1));
    EXPECT_EQ(c->closes.items()[0].code, close_code::going_away);
  }
  EXPECT_EQ(app->closed.size(), 50u);
  clients.clear();
}

}  // namespace
}  // namespace switchboard::testing

namespace switchboard::testing {
namespace {

class SlowConsumerTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.max_outbound_bytes = 64 * 1024;
    o.handshake_timeout = std::chrono::milliseconds(1000);  // Also bounds the wait for the close frame.
    return o;
  }
};

TEST_F(SlowConsumerTest, AClientThatStopsReadingIsClosedWith4008AndOthersGetEverything) {
  auto reader = connect();
  ASSERT_TRUE((*reader)->subscribe("busy").get().ok());
  RawSocket stalled(server->port());
  stalled.upgrade();
  stalled.read_frame();  // welcome
  stalled.write(RawSocket::frame(0x81, R"({"type":"subscribe","id":1,"channel":"busy"})"));
  ASSERT_EQ(stalled.read_frame()->payload, R"({"type":"ack","id":1})");
  // From here on the stalled client reads nothing. Publish far more than the kernel's socket buffers hold.
  const std::string data = "\"" + std::string(16 * 1024, 'x') + "\"";
  constexpr int kMessages = 800;  // 12.8 MB
  // Paced by the reading client, whose own buffer (64 KiB here) must never overflow.
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_EQ(server->publish("busy", Message{"Blob", data}).seq, i + 1u);
    if (i % 2 == 1) {
      ASSERT_TRUE(reader->messages.wait_count(i + 1u));
    }
  }
  ASSERT_TRUE(app->closed.wait_count(1, std::chrono::seconds(30)));
  const auto closed = app->closed.items()[0];
  EXPECT_EQ(closed.reason.kind, CloseReason::Kind::slow_consumer);
  EXPECT_EQ(closed.reason.code, close_code::slow_consumer);
  ASSERT_TRUE(reader->messages.wait_count(kMessages, std::chrono::seconds(60)));
  const auto got = reader->messages.items();
  for (int i = 0; i < kMessages; ++i) ASSERT_EQ(got[i].seq, i + 1u);
  EXPECT_TRUE(eventually([](const Snapshot& s) { return s.sessions.size() == 1 && s.subscriptions == 1; }));
}

}  // namespace
}  // namespace switchboard::testing
