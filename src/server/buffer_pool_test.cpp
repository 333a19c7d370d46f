#include "server/buffer_pool.hpp"

#include <gtest/gtest.h>

namespace switchboard::server {
namespace {

std::string buffer_of(std::size_t capacity) {
  std::string s;
  s.reserve(capacity);
  s = "leftover";  // give_back clears it
  return s;
}

TEST(BufferPoolTest, GivesBackTheSameBufferEmptyWithItsCapacity) {
  BufferPool pool;
  EXPECT_EQ(pool.take().capacity(), std::string().capacity());  // nothing spare: a new, empty string
  auto b = buffer_of(4096);
  const auto* data = b.data();
  pool.give_back(std::move(b));
  EXPECT_EQ(pool.size(), 1u);
  auto again = pool.take();
  EXPECT_TRUE(again.empty());
  EXPECT_GE(again.capacity(), 4096u);
  EXPECT_EQ(again.data(), data);  // reused, not reallocated
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(pool.bytes(), 0u);
}

TEST(BufferPoolTest, FreesBuffersLargerThanTheCapAndStopsAtTheByteBound) {
  BufferPool pool;
  pool.give_back(buffer_of(BufferPool::kMaxCapacity + 1));
  EXPECT_EQ(pool.size(), 0u);  // after a large message, the memory goes back
  std::size_t kept = 0;
  for (std::size_t i = 0; i < 2 * BufferPool::kMaxBytes / BufferPool::kMaxCapacity; ++i) {
    pool.give_back(buffer_of(BufferPool::kMaxCapacity));
    kept = pool.size();
  }
  EXPECT_LE(pool.bytes(), BufferPool::kMaxBytes);
  EXPECT_GE(pool.bytes(), BufferPool::kMaxBytes - BufferPool::kMaxCapacity - 64);
  EXPECT_EQ(kept, pool.size());
}

TEST(BufferPoolTest, TrimKeepsOnlyWhatTheLastRoundUsed) {
  BufferPool pool;
  for (int i = 0; i < 10; ++i) pool.give_back(buffer_of(4096));
  const auto each = pool.bytes() / 10;
  pool.trim(3);
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_EQ(pool.bytes(), 3 * each);
  pool.trim(0);
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(pool.bytes(), 0u);
}

}  // namespace
}  // namespace switchboard::server
