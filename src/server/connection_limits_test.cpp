#include "server/connection_limits.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace switchboard::server {
namespace {

using Refusal = ConnectionLimits::Refusal;

TEST(ConnectionLimits, UnlimitedByDefault) {
  ConnectionLimits limits(0, 0);
  std::vector<ConnectionLimits::Slot> slots(1000);
  for (auto& slot : slots) ASSERT_EQ(limits.acquire("10.0.0.1", slot), Refusal::none);
  EXPECT_EQ(limits.total(), 1000u);
  slots.clear();
  EXPECT_EQ(limits.total(), 0u);
  EXPECT_EQ(limits.from("10.0.0.1"), 0u);
}

TEST(ConnectionLimits, TotalAtAndPastTheBound) {
  ConnectionLimits limits(2, 0);
  ConnectionLimits::Slot a, b, c;
  EXPECT_EQ(limits.acquire("10.0.0.1", a), Refusal::none);
  EXPECT_EQ(limits.acquire("10.0.0.2", b), Refusal::none);
  EXPECT_EQ(limits.acquire("10.0.0.3", c), Refusal::total);
  EXPECT_EQ(limits.total(), 2u);
  a = ConnectionLimits::Slot();  // Released: room for one more.
  EXPECT_EQ(limits.acquire("10.0.0.3", c), Refusal::none);
  EXPECT_EQ(limits.from("10.0.0.1"), 0u);
}

TEST(ConnectionLimits, PerAddressAtAndPastTheBound) {
  ConnectionLimits limits(0, 2);
  ConnectionLimits::Slot a, b, c, other;
  EXPECT_EQ(limits.acquire("10.0.0.1", a), Refusal::none);
  EXPECT_EQ(limits.acquire("10.0.0.1", b), Refusal::none);
  EXPECT_EQ(limits.acquire("10.0.0.1", c), Refusal::per_ip);
  EXPECT_EQ(limits.acquire("10.0.0.2", other), Refusal::none);
  EXPECT_EQ(limits.from("10.0.0.1"), 2u);
  {
    ConnectionLimits::Slot moved(std::move(b));  // Moving keeps the count; the moved-to slot releases it.
    EXPECT_EQ(limits.from("10.0.0.1"), 2u);
  }
  EXPECT_EQ(limits.from("10.0.0.1"), 1u);
  EXPECT_EQ(limits.acquire("10.0.0.1", c), Refusal::none);
}

}  // namespace
}  // namespace switchboard::server
