// Backpressure (docs/protocol.md, "Backpressure"): among 200 subscribers of a busy channel one stops reading.
// The others receive every message in order, the server holds at most max_outbound_bytes for the stalled one,
// and the stalled one is handled per Options::slow_consumer_policy: closed with 4008, or its messages dropped
// and reported in a gap frame that, with what it did receive, accounts for every sequence number exactly once.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <malloc.h>

#include <atomic>
#include <thread>

#include "support/raw_socket.hpp"
#include "support/test_server.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace switchboard::testing {
namespace {

using namespace std::chrono_literals;

#if defined(__SANITIZE_THREAD__)
constexpr std::uint64_t kMessages = 500;  // TSan is several times slower
#else
constexpr std::uint64_t kMessages = 1500;
#endif
constexpr int kReaders = 200;
constexpr std::uint64_t kWarmUp = 20;
constexpr std::size_t kLimit = 64 * 1024;
// What the server may keep over the run: the stalled session's limit and slack; not the 200 readers' buffers.
constexpr std::size_t kHeapBound = 4 * kLimit + 256 * 1024;
const std::string kPayload = "\"" + std::string(1000, 'p') + "\"";  // about 1 KB per message frame

std::size_t heap_in_use() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return __sanitizer_get_current_allocated_bytes();
#else
  return mallinfo2().uordblks;
#endif
}

// A subscriber that only counts, checking that seq goes 1, 2, 3, ... (no storage: 200 x 3,000 messages).
struct Reader {
  std::unique_ptr<client::Client> client;
  std::atomic<std::uint64_t> next{1};
  std::atomic<bool> out_of_order{false};
};

// A client that upgrades with a tiny receive buffer, subscribes, and then reads nothing until told to.
class StalledSocket {
 public:
  explicit StalledSocket(std::uint16_t port) : raw_(port, 4096) {
    raw_.upgrade();
    raw_.write(RawSocket::frame(0x81, R"({"type":"subscribe","id":1,"channel":"busy"})"));
  }
  RawSocket& raw() { return raw_; }

 private:
  RawSocket raw_;
};

class BackpressureTest : public ServerTest, public ::testing::WithParamInterface<SlowConsumerPolicy> {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.max_outbound_bytes = kLimit;
    o.max_message_bytes = 64 * 1024;
    o.slow_consumer_policy = GetParam();
    o.socket_send_buffer = 16 * 1024;  // Else the kernel's autotuned buffer swallows the whole run.
    o.handshake_timeout = 1s;          // How long the closed stalled socket has to answer the close.
    o.heartbeat = 60s;                 // The stalled socket answers no ping; the run must not outlast 2x this.
    return o;
  }

  // Subscribes 200 readers and the stalled socket, publishes kMessages to "busy", waits for every reader.
  void run_busy_channel(StalledSocket& stalled) {
    client::EventLoop loop;
    std::vector<std::unique_ptr<Reader>> readers;
    for (int i = 0; i < kReaders; ++i) {
      auto r = std::make_unique<Reader>();
      r->client = std::make_unique<client::Client>(loop);
      r->client->on_message([reader = r.get()](const client::ChannelMessage& m) {
        if (m.seq != reader->next.load()) reader->out_of_order = true;
        reader->next = m.seq + 1;
      });
      client::Options o;
      o.port = server->port();
      o.max_message_bytes = 64 * 1024;
      r->client->connect(o);
      ASSERT_TRUE(r->client->subscribe("busy").get().ok());
      readers.push_back(std::move(r));
    }
    ASSERT_TRUE(eventually([](const Snapshot& s) { return s.subscriptions == kReaders + 1; }));

    for (std::uint64_t i = 1; i <= kMessages; ++i) {
      // The baseline after a warm-up, once the readers' buffers have grown to a message's size.
      if (i == kWarmUp + 1) heap_before_ = heap_in_use();
      const auto result = server->publish("busy", Message{"Blob", kPayload});
      ASSERT_EQ(result.seq, i);
      if (i % 10 == 0) {
        // Keep the readers within 10 messages (10 KB, well under their limit), as a real publisher's rate would;
        // the stalled one never reads. The readers share one client thread, slower than the server under ASan.
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        auto behind = [&] {
          for (auto& r : readers) {
            if (r->next.load() + 10 <= i) return true;
          }
          return false;
        };
        while (behind() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
      }
    }
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    auto all_done = [&] {
      for (auto& r : readers) {
        if (r->next.load() != kMessages + 1) return false;
      }
      return true;
    };
    while (!all_done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    for (std::size_t i = 0; i < readers.size(); ++i) {
      EXPECT_EQ(readers[i]->next.load(), kMessages + 1) << "reader " << i << " missed messages";
      EXPECT_FALSE(readers[i]->out_of_order.load()) << "reader " << i << " saw a seq out of order";
    }
    // A loop frees its spare outbound buffers a second after its last flush (FlushScheduler):
    // wait for that, 5 s at most.
    const auto released_by = std::chrono::steady_clock::now() + 5s;
    do {
      std::this_thread::sleep_for(100ms);
      heap_after_ = heap_in_use();
    } while (heap_after_ > heap_before_ + kHeapBound && std::chrono::steady_clock::now() < released_by);
    (void)stalled;
  }

  std::size_t heap_before_ = 0, heap_after_ = 0;
};

TEST_P(BackpressureTest, OthersGetEveryMessageInOrderAndTheStalledOneIsHandledPerPolicy) {
  StalledSocket stalled(server->port());
  ASSERT_TRUE(eventually([](const Snapshot& s) { return s.subscriptions == 1; }));
  run_busy_channel(stalled);
  if (HasFatalFailure()) return;

  // The server kept at most the limit for the stalled session: kMessages KB went by, and the heap grew by far
  // less (the 200 readers' queues are empty again by now).
  const auto grown = heap_after_ > heap_before_ ? heap_after_ - heap_before_ : 0;
  std::printf("published %llu x %zu bytes; heap grew by %zu bytes; limit %zu\n",
              static_cast<unsigned long long>(kMessages), kPayload.size(), grown, kLimit);
  EXPECT_LT(grown, kHeapBound);

  auto& raw = stalled.raw();
  raw.set_timeout(10s);
  // What the stalled socket gets when it reads again: the welcome, its ack, messages 1..k, then per policy:
  // a close (4008), or gap frames and messages that together account for every seq up to kMessages.
  ASSERT_TRUE(raw.read_frame());  // welcome
  ASSERT_TRUE(raw.read_frame());  // ack
  std::uint64_t expected = 1;
  bool saw_gap = false, saw_close = false;
  while (expected <= kMessages && !saw_close) {
    auto f = raw.read_frame();
    if (!f) {
      // Under the close policy the server drops the connection when its close frame could not be delivered
      // within the close deadline (the socket was full): the stream just ends.
      ASSERT_EQ(GetParam(), SlowConsumerPolicy::close) << "no frame after seq " << expected - 1;
      EXPECT_LT(expected, kMessages) << "the stalled one was never past its limit: the test proves nothing";
      break;
    }
    const auto& p = f->payload;
    if (f->opcode == 0x9 || f->opcode == 0xA) continue;  // heartbeat ping (or pong)
    if (f->opcode == 0x8) {
      ASSERT_EQ(GetParam(), SlowConsumerPolicy::close) << "a close under the drop policy";
      ASSERT_GE(p.size(), 2u);
      EXPECT_EQ((static_cast<unsigned char>(p[0]) << 8) | static_cast<unsigned char>(p[1]), close_code::slow_consumer);
      EXPECT_EQ(p.substr(2), "slow consumer: outbound buffer limit exceeded");
      EXPECT_LT(expected, kMessages) << "the stalled one was never past its limit: the test proves nothing";
      saw_close = true;
    } else if (p.starts_with(R"({"type":"gap")")) {
      ASSERT_EQ(GetParam(), SlowConsumerPolicy::drop);
      const auto gap = R"({"type":"gap","channel":"busy","fromSeq":)" + std::to_string(expected) + ",";
      ASSERT_TRUE(p.starts_with(gap)) << p << " expected from " << expected;
      const auto to = std::stoull(p.substr(p.find("\"toSeq\":") + 8));
      ASSERT_GE(to, expected);
      expected = to + 1;
      saw_gap = true;
    } else {
      const auto seq_at = p.find("\"seq\":");
      ASSERT_NE(seq_at, std::string::npos) << p.substr(0, 200);
      ASSERT_EQ(std::stoull(p.substr(seq_at + 6)), expected);
      ++expected;
    }
  }
  if (GetParam() == SlowConsumerPolicy::drop) {
    EXPECT_TRUE(saw_gap) << "the stalled one was never past its limit: the test proves nothing";
    EXPECT_EQ(expected, kMessages + 1);  // every seq accounted for: received or inside a gap
    // Still connected, and it hears the next message normally.
    ASSERT_EQ(server->publish("busy", Message{"Blob", "1"}).seq, kMessages + 1);
    auto next = raw.read_frame();
    ASSERT_TRUE(next);
    EXPECT_NE(next->payload.find("\"seq\":" + std::to_string(kMessages + 1)), std::string::npos) << next->payload;
  } else {
    ASSERT_TRUE(app->closed.wait([](const auto& c) {
      return std::any_of(c.begin(), c.end(), [](const auto& x) {
        return x.reason.kind == CloseReason::Kind::slow_consumer && x.reason.code == close_code::slow_consumer;
      });
    }));
  }
}

INSTANTIATE_TEST_SUITE_P(Policies, BackpressureTest,
                         ::testing::Values(SlowConsumerPolicy::close, SlowConsumerPolicy::drop),
                         [](const auto& info) { return info.param == SlowConsumerPolicy::close ? "Close" : "Drop"; });

class SendStatusTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.max_outbound_bytes = 8 * 1024;
    o.slow_consumer_policy = SlowConsumerPolicy::drop;
    o.socket_send_buffer = 4096;  // The kernel's buffer comes on top of the limit: keep it small.
    return o;
  }
};

// Session::send reports queued, then backpressured past half the buffer, then dropped past all of it; and the
// pushes it dropped are counted in a gap frame once the client reads again.
TEST_F(SendStatusTest, QueuedThenBackpressuredThenDroppedAndCountedInAGap) {
  static constexpr int kPushes = 80;
  struct PushingApp : RecordingApp {
    void on_message(Session& s, const Message& m) override {
      if (m.class_name != "Flood") return RecordingApp::on_message(s, m);
      for (int i = 0; i < kPushes; ++i) statuses.push_back(s.send(Message{"Blob", "\"" + std::string(500, 'x') + "\""}));
      buffered = s.buffered_bytes();
      done.store(true, std::memory_order_release);
    }
    std::vector<SendStatus> statuses;  // Read by the test after `done`.
    std::size_t buffered = 0;
    std::atomic<bool> done{false};
  };
  auto pushing = std::make_shared<PushingApp>();
  server.reset();
  app = pushing;
  server = std::make_unique<Server>(options(), app);
  server->start();

  RawSocket raw(server->port(), 4096);
  raw.upgrade();
  ASSERT_TRUE(raw.read_frame());  // welcome
  raw.write(RawSocket::frame(0x81, R"({"type":"send","message":{"className":"Flood","data":null}})"));
  ASSERT_TRUE(eventually([&](const Snapshot&) { return pushing->done.load(std::memory_order_acquire); }));
  const auto statuses = pushing->statuses;
  ASSERT_EQ(statuses.size(), static_cast<std::size_t>(kPushes));
  // 80 pushes of about 540 bytes (43 KB) into 8 KiB plus small kernel buffers: the first ones queue, then
  // backpressure, then drops.
  EXPECT_EQ(statuses.front(), SendStatus::queued);
  const auto first_bp = std::find(statuses.begin(), statuses.end(), SendStatus::backpressured);
  const auto first_drop = std::find(statuses.begin(), statuses.end(), SendStatus::dropped);
  ASSERT_NE(first_bp, statuses.end());
  ASSERT_NE(first_drop, statuses.end());
  EXPECT_LT(first_bp, first_drop);
  EXPECT_TRUE(std::all_of(first_drop, statuses.end(), [](auto s) { return s == SendStatus::dropped; }));
  EXPECT_LE(pushing->buffered, 8u * 1024);
  const auto dropped = static_cast<std::size_t>(std::count(statuses.begin(), statuses.end(), SendStatus::dropped));

  std::size_t pushes = 0;
  std::optional<std::string> gap;
  while (auto f = raw.read_frame()) {
    if (f->payload.starts_with(R"({"type":"push")")) ++pushes;
    if (f->payload.starts_with(R"({"type":"gap")")) {
      gap = f->payload;
      break;
    }
  }
  ASSERT_TRUE(gap);
  EXPECT_EQ(*gap, R"({"type":"gap","pushes":)" + std::to_string(dropped) + "}");
  EXPECT_EQ(pushes + dropped, static_cast<std::size_t>(kPushes));
}

}  // namespace
}  // namespace switchboard::testing

namespace switchboard::testing {
namespace {

class ManyGapsTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.max_outbound_bytes = 1024;  // smaller than the gap frames of the 40 channels below together
    o.socket_send_buffer = 4096;
    o.slow_consumer_policy = SlowConsumerPolicy::drop;
    o.heartbeat = 60s;
    return o;
  }
};

// The gap frames of many channels may together exceed the buffer limit: they are still all sent, before any
// newer message, and the session stays open.
TEST_F(ManyGapsTest, EveryChannelGetsItsGapFrameEvenPastTheLimit) {
  constexpr int kChannels = 40;
  RawSocket raw(server->port(), 4096);
  raw.upgrade();
  for (int c = 0; c < kChannels; ++c) {
    raw.write(RawSocket::frame(0x81, R"({"type":"subscribe","id":)" + std::to_string(c) + R"(,"channel":"g)" +
                                         std::to_string(c) + R"("})"));
  }
  ASSERT_TRUE(eventually([](const Snapshot& s) { return s.subscriptions == kChannels; }));
  const std::string payload = "\"" + std::string(200, 'z') + "\"";
  for (int round = 0; round < 100; ++round) {
    for (int c = 0; c < kChannels; ++c) server->publish("g" + std::to_string(c), Message{"Blob", payload});
  }
  std::set<std::string> gapped;
  std::map<std::string, std::uint64_t> next;  // per channel: the next seq it must account for
  raw.set_timeout(10s);
  while (gapped.size() < kChannels) {
    auto f = raw.read_frame();
    ASSERT_TRUE(f) << "stream ended with " << gapped.size() << " channels gapped";
    ASSERT_NE(f->opcode, 0x8) << "closed: " << f->payload.substr(2);
    const auto& p = f->payload;
    const auto at = p.find(R"("channel":"g)");
    if (at == std::string::npos) continue;  // welcome, acks
    const auto channel = p.substr(at + 11, p.find('"', at + 11) - at - 11);
    auto& expected = next.try_emplace(channel, 1).first->second;
    if (p.starts_with(R"({"type":"gap")")) {
      ASSERT_NE(p.find(R"("fromSeq":)" + std::to_string(expected) + ","), std::string::npos) << p;
      expected = std::stoull(p.substr(p.find(R"("toSeq":)") + 8)) + 1;
      gapped.insert(channel);
    } else {
      ASSERT_NE(p.find(R"("seq":)" + std::to_string(expected) + ","), std::string::npos) << p;
      ++expected;
    }
  }
  EXPECT_EQ(snapshot().sessions.size(), 1u);
}

}  // namespace
}  // namespace switchboard::testing
