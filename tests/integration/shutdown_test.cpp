// Graceful shutdown (Server::stop): stop accepting, every session gets what was queued for it and then a 1001
// close, the loops end within Options::shutdown_timeout, and a client that does not answer is dropped then.
#include "support/raw_socket.hpp"
#include "support/test_server.hpp"

#include <sys/resource.h>

#include <system_error>

namespace switchboard::testing {
namespace {

using namespace std::chrono_literals;

class ShutdownTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.shutdown_timeout = 2s;
    return o;
  }
};

TEST_F(ShutdownTest, AThousandSessionsEachGetTheirMessagesThen1001AndStopReturnsInTime) {
  // Both ends of 1,000 connections live in this process: 2,000+ descriptors.
  rlimit files{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  if (files.rlim_cur < 4096 && files.rlim_max >= 4096) {
    files.rlim_cur = 4096;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &files), 0);
  }
  client::EventLoop loop;
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 1000; ++i) {
    clients.push_back(connect("/ws", &loop));
    if (i % 10 == 0) {
      ASSERT_TRUE((*clients.back())->subscribe("news").get().ok());
    }
  }
  const auto result = server->publish("news", Message{"Notice", R"({"text":"last words"})"});
  ASSERT_EQ(result.subscribers, 100u);
  const auto port = server->port();

  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server->stop(), 0u);  // Everyone answered the close: nobody dropped at the deadline.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);

  for (std::size_t i = 0; i < clients.size(); ++i) {
    auto& c = *clients[i];
    ASSERT_TRUE(c.closes.wait_count(1)) << "client " << i;
    EXPECT_EQ(c.closes.items()[0].code, close_code::going_away);
    EXPECT_EQ(c.closes.items()[0].reason, "server shutting down");
    if (i % 10 == 0) {  // Published before stop(): delivered before the close frame.
      ASSERT_EQ(c.messages.items().size(), 1u) << "client " << i;
      EXPECT_EQ(c.messages.items()[0].message.data, R"({"text":"last words"})");
    }
  }
  EXPECT_EQ(app->closed.items().size(), 1000u);
  // No longer accepting.
  EXPECT_THROW(RawSocket refused(port), std::exception);
}

TEST_F(ShutdownTest, AClientThatNeverAnswersIsDroppedAtTheDeadline) {
  auto good = connect();
  RawSocket mute(server->port());  // Upgrades, then never reads or answers.
  mute.upgrade();
  ASSERT_TRUE(eventually([](const Snapshot& s) { return s.sessions.size() == 2; }));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server->stop(), 1u);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 2s);
  EXPECT_LT(took, 5s);
  ASSERT_TRUE(good->closes.wait_count(1));
  EXPECT_EQ(good->closes.items()[0].code, close_code::going_away);
  EXPECT_EQ(app->closed.items().size(), 2u);  // on_close ran for the dropped one too
}

}  // namespace
}  // namespace switchboard::testing
