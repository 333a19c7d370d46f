#include "session/token_bucket.hpp"

#include <gtest/gtest.h>

namespace switchboard::server {
namespace {

using namespace std::chrono_literals;
const auto t0 = TokenBucket::Clock::time_point{} + 1h;

TEST(TokenBucket, UnlimitedWithoutRate) {
  TokenBucket bucket;
  for (int i = 0; i < 10000; ++i) EXPECT_TRUE(bucket.try_take(t0));
}

TEST(TokenBucket, BurstThenRefusesUntilRefilled) {
  TokenBucket bucket(10, 5, t0);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(bucket.try_take(t0)) << i;
  EXPECT_FALSE(bucket.try_take(t0));
  EXPECT_FALSE(bucket.try_take(t0 + 99ms));  // 0.99 tokens
  EXPECT_TRUE(bucket.try_take(t0 + 100ms));  // 1 token after 100 ms at 10/s
  EXPECT_FALSE(bucket.try_take(t0 + 100ms));
}

TEST(TokenBucket, RefillIsCappedAtBurst) {
  TokenBucket bucket(10, 3, t0);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(bucket.try_take(t0));
  const auto later = t0 + 1h;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(bucket.try_take(later)) << i;
  EXPECT_FALSE(bucket.try_take(later));
}

TEST(TokenBucket, BurstDefaultsToOneSecondOfRate) {
  TokenBucket bucket(4, 0, t0);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(bucket.try_take(t0)) << i;
  EXPECT_FALSE(bucket.try_take(t0));
  TokenBucket slow(0.5, 0, t0);  // Less than one per second: a burst of 1.
  EXPECT_TRUE(slow.try_take(t0));
  EXPECT_FALSE(slow.try_take(t0 + 1s));
  EXPECT_TRUE(slow.try_take(t0 + 2s));
}

}  // namespace
}  // namespace switchboard::server
