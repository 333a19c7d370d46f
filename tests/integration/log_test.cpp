// Structured logs: what a server operator sees for the events that matter, as logfmt lines at their level.
#include "support/raw_socket.hpp"
#include "support/test_server.hpp"

namespace switchboard::testing {
namespace {

using namespace std::chrono_literals;

class LogTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.log_level = level_;
    o.allowed_origins = {"https://ok.example"};
    o.log_sink = [this](LogLevel, std::string_view line) { lines.add(std::string(line)); };
    return o;
  }
  void restart(LogLevel level) {
    server.reset();
    level_ = level;
    start();
  }
  bool logged(std::string_view needle) {
    return lines.wait([&](const auto& all) {
      return std::any_of(all.begin(), all.end(), [&](const std::string& l) { return l.find(needle) != std::string::npos; });
    }, 5s);
  }
  std::size_t count(std::string_view needle) {
    const auto all = lines.items();
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](const std::string& l) {
      return l.find(needle) != std::string::npos;
    }));
  }

  LogLevel level_ = LogLevel::info;
  Log<std::string> lines;
};

TEST_F(LogTest, AHookExceptionIsAnErrorWithWhatItSaid) {
  auto a = connect("/ws?user=ada");
  (*a)->send_text(R"({"type":"send","message":{"className":"Throw","data":null}})");
  ASSERT_TRUE(a->closes.wait_count(1));
  const auto id = a->welcome.session;
  ASSERT_TRUE(logged(R"(level=error msg="application hook threw; closing the session with 1011" session=)" + id +
                     R"( user=ada remote=127.0.0.1:)"));
  EXPECT_TRUE(logged(R"(what="application bug")"));
}

TEST_F(LogTest, RefusedUpgradesAreInfoAndOrdinarySessionsOnlyDebug) {
  EXPECT_TRUE(logged(" level=info msg=listening host=127.0.0.1 port=" + std::to_string(server->port()) + " loops=2"));
  RawSocket raw(server->port());
  raw.write("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            "Origin: https://evil.example\r\n\r\n");
  raw.read_to_eof();
  EXPECT_TRUE(logged(R"(level=info msg="upgrade refused" reason=origin status=403 remote=127.0.0.1:)"));
  auto a = connect();
  (*a)->close().get();
  ASSERT_TRUE(app->closed.wait_count(1));
  EXPECT_EQ(count("session opened"), 0u);  // debug, below info
  EXPECT_EQ(count("session closed"), 0u);

  restart(LogLevel::debug);
  auto b = connect("/ws?user=bob");
  (*b)->close().get();
  ASSERT_TRUE(logged(R"(level=debug msg="session opened" session=)" + b->welcome.session + " user=bob"));
  EXPECT_TRUE(logged(R"(level=debug msg="session closed" session=)" + b->welcome.session +
                     " user=bob remote=127.0.0.1:"));
  EXPECT_TRUE(logged(" reason=client_closed code=1000 detail=\"\""));
}

TEST_F(LogTest, ShutdownIsLoggedWithWhatWasDropped) {
  server->stop();
  EXPECT_TRUE(logged(R"(level=info msg="shutting down: closing every session with 1001" timeout_ms=5000)"));
  EXPECT_TRUE(logged("level=info msg=stopped dropped_at_deadline=0"));
}

TEST_F(LogTest, OffSilencesEverything) {
  restart(LogLevel::off);
  const auto before = lines.items().size();  // the first server's start and stop
  auto a = connect();
  (*a)->send_text(R"({"type":"send","message":{"className":"Throw","data":null}})");
  ASSERT_TRUE(a->closes.wait_count(1));
  server.reset();
  EXPECT_EQ(lines.items().size(), before);
}

}  // namespace
}  // namespace switchboard::testing
