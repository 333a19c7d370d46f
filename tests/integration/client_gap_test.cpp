// The C++ client's gap frames (docs/protocol.md, "gap") from a real Server under SlowConsumerPolicy::drop.
//
// How the client stalls: its callbacks run on its EventLoop's thread, which is also the thread that reads the
// socket, so an on_message callback that blocks stops all reading, exactly as a slow application would. The
// kernel's receive buffer fills, then the server's socket and outbound buffers, and the server drops. Once the
// callback returns, on_message, on_push and on_gap must account for every message and every push exactly once.
#include <cstdio>
#include <future>
#include <string>
#include <utility>

#include "support/test_server.hpp"

namespace switchboard::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kMessages = 1000;
constexpr std::uint64_t kPushes = 50;
const std::string kPayload = "\"" + std::string(1000, 'p') + "\"";  // about 1 KB per frame

// One callback of the client, in the order they ran.
struct Event {
  enum class Kind { message, push, gap } kind;
  std::uint64_t seq = 0;  // For a message.
  client::Gap gap;        // For a gap.
};

// What the blocked callback waits for. Only the test thread releases it.
struct Gate {
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();
  bool is_open = false;
  void release() {
    if (!std::exchange(is_open, true)) open.set_value();
  }
};

class ClientGapTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.slow_consumer_policy = SlowConsumerPolicy::drop;
    o.max_outbound_bytes = 16 * 1024;
    o.socket_send_buffer = 4096;  // Else the kernel's autotuned send buffer swallows the whole run.
    return o;
  }
};

TEST_F(ClientGapTest, AStalledClientGetsGapsThatWithWhatItReceivedAccountForEverything) {
  // Declared before the client, whose callbacks use them until it is destroyed.
  Gate gate;
  Log<Event> events;
  Log<client::Reply> errors;
  client::Client slow;  // Its own loop: blocking it blocks no other client.
  // Destroyed before `slow`: a failed assertion must not leave its loop blocked, which ~Client waits for.
  struct OpenOnExit {
    Gate& gate;
    ~OpenOnExit() { gate.release(); }
  } open_on_exit{gate};
  slow.on_message([&](const client::ChannelMessage& m) {
    EXPECT_EQ(m.message.data, kPayload);
    events.add({Event::Kind::message, m.seq, {}});
    gate.opened.wait();  // The first message stalls the loop until the test opens the gate.
  });
  slow.on_push([&](const client::Push&) { events.add({Event::Kind::push, 0, {}}); });
  slow.on_gap([&](const client::Gap& g) { events.add({Event::Kind::gap, 0, g}); });
  slow.on_error([&](const client::Reply& r) { errors.add(r); });
  client::Options o;
  o.port = server->port();
  const auto welcome = slow.connect(o);
  ASSERT_TRUE(slow.subscribe("busy").get().ok());
  const SessionId id = std::stoull(welcome.session);

  for (std::uint64_t i = 1; i <= kMessages; ++i) ASSERT_EQ(server->publish("busy", Message{"Blob", kPayload}).seq, i);
  for (std::uint64_t i = 0; i < kPushes; ++i) ASSERT_FALSE(server->send(id, Message{"Blob", kPayload}));
  // A snapshot visits every loop after the pushes posted to the session's loop: they have been handled.
  snapshot();
  EXPECT_EQ(events.size(), 1u) << "the client read on while its loop was blocked";
  gate.release();

  // Everything is accounted for once the last message has been received or reported missing.
  auto accounted = [](const std::vector<Event>& all) {
    std::uint64_t messages = 0, pushes = 0;
    for (const auto& e : all) {
      if (e.kind == Event::Kind::message) ++messages;
      if (e.kind == Event::Kind::push) ++pushes;
      if (e.kind == Event::Kind::gap) {
        messages += e.gap.pushes ? 0 : e.gap.to_seq - e.gap.from_seq + 1;
        pushes += e.gap.pushes;
      }
    }
    return messages >= kMessages && pushes >= kPushes;
  };
  ASSERT_TRUE(events.wait(accounted, 30s)) << events.size() << " events";

  std::uint64_t next = 1, pushes = 0, channel_gaps = 0, push_gaps = 0, received = 0;
  for (const auto& e : events.items()) {
    switch (e.kind) {
      case Event::Kind::message:
        ASSERT_EQ(e.seq, next) << "message out of order";
        ++next;
        ++received;
        break;
      case Event::Kind::push:
        ++pushes;
        break;
      case Event::Kind::gap:
        if (e.gap.pushes) {
          EXPECT_EQ(e.gap.channel, "");
          pushes += e.gap.pushes;
          ++push_gaps;
        } else {
          EXPECT_EQ(e.gap.channel, "busy");
          ASSERT_EQ(e.gap.from_seq, next) << "gap does not start where the messages stopped";
          ASSERT_GE(e.gap.to_seq, e.gap.from_seq);
          next = e.gap.to_seq + 1;
          ++channel_gaps;
        }
        break;
    }
  }
  std::printf("received %llu of %llu messages in %llu channel gaps; %llu push gaps\n",
              static_cast<unsigned long long>(received), static_cast<unsigned long long>(kMessages),
              static_cast<unsigned long long>(channel_gaps), static_cast<unsigned long long>(push_gaps));
  EXPECT_EQ(next, kMessages + 1);  // every seq exactly once: received or inside one gap
  EXPECT_EQ(pushes, kPushes);
  EXPECT_GE(channel_gaps, 1u) << "nothing was dropped: the client did not stall";
  EXPECT_GE(push_gaps, 1u) << "no push was dropped: the pushes came after the stall ended";
  for (const auto& r : errors.items()) ADD_FAILURE() << "on_error: " << r.error << ": " << r.message;

  // The session stays open under the drop policy and hears the next message normally.
  ASSERT_EQ(server->publish("busy", Message{"Blob", kPayload}).seq, kMessages + 1);
  EXPECT_TRUE(events.wait([](const auto& all) {
    return all.back().kind == Event::Kind::message && all.back().seq == kMessages + 1;
  }));
  EXPECT_TRUE(slow.is_open());
}

}  // namespace
}  // namespace switchboard::testing
