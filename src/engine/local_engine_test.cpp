#include "engine/local_engine.hpp"

#include <gtest/gtest.h>

#include <map>
#include <thread>

namespace switchboard::engine {
namespace {

struct Recorder {
  std::mutex mu;
  std::map<unsigned, std::vector<std::shared_ptr<const Broadcast>>> by_loop;
  Deliver deliver() {
    return [this](unsigned loop, std::shared_ptr<const Broadcast> b) {
      std::lock_guard lock(mu);
      by_loop[loop].push_back(std::move(b));
    };
  }
};

TEST(LocalEngine, PublishWithoutSubscribersNumbersNothing) {
  Recorder rec;
  LocalEngine engine(2, rec.deliver());
  auto r = engine.publish("chat", "X", "1");
  EXPECT_EQ(r.seq, 0u);
  EXPECT_EQ(r.subscribers, 0u);
  EXPECT_TRUE(rec.by_loop.empty());
}

TEST(LocalEngine, SequenceStartsAtOneAndReachesOnlyLoopsWithSubscribers) {
  Recorder rec;
  LocalEngine engine(3, rec.deliver());
  engine.join("chat", 0);
  engine.join("chat", 2);
  engine.join("chat", 2);
  auto r1 = engine.publish("chat", "ChatMessage", R"({"text":"a"})");
  auto r2 = engine.publish("chat", "ChatMessage", R"({"text":"b"})");
  EXPECT_EQ(r1.seq, 1u);
  EXPECT_EQ(r2.seq, 2u);
  EXPECT_EQ(r2.subscribers, 3u);
  ASSERT_EQ(rec.by_loop.size(), 2u);
  ASSERT_EQ(rec.by_loop[2].size(), 2u);
  EXPECT_EQ(rec.by_loop[0][0].get(), rec.by_loop[2][0].get()) << "one frame shared by every loop";
  EXPECT_EQ(rec.by_loop[2][1]->frame,
            R"({"type":"message","channel":"chat","seq":2,"message":{"className":"ChatMessage","data":{"text":"b"}}})");
}

TEST(LocalEngine, ChannelIsDeletedWithItsLastSubscriberAndRestartsAtOne) {
  Recorder rec;
  LocalEngine engine(1, rec.deliver());
  engine.join("chat", 0);
  engine.publish("chat", "X", "1");
  EXPECT_EQ(engine.channels().size(), 1u);
  EXPECT_EQ(engine.channels()[0].last_seq, 1u);
  engine.leave("chat", 0);
  EXPECT_TRUE(engine.channels().empty());
  engine.join("chat", 0);
  EXPECT_EQ(engine.publish("chat", "X", "1").seq, 1u);
}

TEST(LocalEngine, ConcurrentPublishersGetDistinctConsecutiveSeqsDeliveredInOrder) {
  Recorder rec;
  LocalEngine engine(2, rec.deliver());
  engine.join("chat", 0);
  engine.join("chat", 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) engine.publish("chat", "X", "null");
    });
  }
  for (auto& t : threads) t.join();
  for (unsigned loop = 0; loop < 2; ++loop) {
    ASSERT_EQ(rec.by_loop[loop].size(), 2000u);
    for (std::size_t i = 0; i < 2000; ++i) EXPECT_EQ(rec.by_loop[loop][i]->seq, i + 1);
  }
}

}  // namespace
}  // namespace switchboard::engine
