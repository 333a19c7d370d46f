#include "channels/channel_index.hpp"

#include <gtest/gtest.h>

#include <map>

namespace switchboard::channels {
namespace {

using Index = ChannelIndex<int>;
using R = Index::Result;

TEST(ChannelIndex, FirstSubscribeCreatesChannel) {
  Index index;
  EXPECT_EQ(index.subscribe("chat", 1), R::added_first);
  EXPECT_EQ(index.subscribe("chat", 2), R::added);
  ASSERT_NE(index.subscribers("chat"), nullptr);
  EXPECT_EQ(*index.subscribers("chat"), (std::vector<int>{1, 2}));
  EXPECT_EQ(index.channel_count(), 1u);
  EXPECT_EQ(index.subscription_count(), 2u);
}

TEST(ChannelIndex, DuplicateSubscribeChangesNothing) {
  Index index;
  index.subscribe("chat", 1);
  EXPECT_EQ(index.subscribe("chat", 1), R::already);
  EXPECT_EQ(index.subscribers("chat")->size(), 1u);
  EXPECT_EQ(index.subscription_count(), 1u);
}

TEST(ChannelIndex, LastUnsubscribeDeletesChannel) {
  Index index;
  index.subscribe("chat", 1);
  index.subscribe("chat", 2);
  EXPECT_EQ(index.unsubscribe("chat", 1), R::removed);
  EXPECT_EQ(*index.subscribers("chat"), (std::vector<int>{2}));
  EXPECT_EQ(index.unsubscribe("chat", 2), R::removed_last);
  EXPECT_EQ(index.subscribers("chat"), nullptr);
  EXPECT_EQ(index.channel_count(), 0u);
  EXPECT_EQ(index.subscriber_count(), 0u);
  EXPECT_EQ(index.subscription_count(), 0u);
}

TEST(ChannelIndex, UnsubscribeWhenAbsentChangesNothing) {
  Index index;
  EXPECT_EQ(index.unsubscribe("chat", 1), R::absent);
  index.subscribe("chat", 2);
  EXPECT_EQ(index.unsubscribe("chat", 1), R::absent);
  index.subscribe("news", 1);
  EXPECT_EQ(index.unsubscribe("chat", 1), R::absent);
  EXPECT_EQ(index.subscription_count(), 2u);
}

TEST(ChannelIndex, RemoveSubscriberLeavesEveryChannelAndReportsDeletions) {
  Index index;
  index.subscribe("a", 1);
  index.subscribe("b", 1);
  index.subscribe("b", 2);
  index.subscribe("c", 2);
  std::map<std::string, R> left;
  index.remove_subscriber(1, [&](std::string_view name, R r) { left[std::string(name)] = r; });
  EXPECT_EQ(left, (std::map<std::string, R>{{"a", R::removed_last}, {"b", R::removed}}));
  EXPECT_EQ(index.subscribers("a"), nullptr);
  EXPECT_EQ(*index.subscribers("b"), (std::vector<int>{2}));
  EXPECT_FALSE(index.contains("b", 1));
  EXPECT_TRUE(index.names_of(1).empty());
  EXPECT_EQ(index.names_of(2), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(index.subscription_count(), 2u);
  EXPECT_EQ(index.subscriber_count(), 1u);
}

TEST(ChannelIndex, RemoveUnknownSubscriberIsHarmless) {
  Index index;
  index.subscribe("a", 1);
  int calls = 0;
  index.remove_subscriber(7, [&](std::string_view, R) { ++calls; });
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(index.subscription_count(), 1u);
}

TEST(ChannelIndex, NamesOfIsSorted) {
  Index index;
  for (auto name : {"zeta", "alpha", "mid"}) index.subscribe(name, 1);
  EXPECT_EQ(index.names_of(1), (std::vector<std::string>{"alpha", "mid", "zeta"}));
  EXPECT_EQ(index.count_of(1), 3u);
}

TEST(ChannelIndex, ChurnLeavesNothingBehind) {
  Index index;
  for (int round = 0; round < 3; ++round) {
    for (int s = 0; s < 200; ++s) {
      for (int c = 0; c < 5; ++c) index.subscribe("ch" + std::to_string((s + c) % 17), s);
    }
    for (int s = 0; s < 200; s += 2) index.unsubscribe("ch" + std::to_string(s % 17), s);
    for (int s = 0; s < 200; ++s) index.remove_subscriber(s, [](std::string_view, R) {});
    EXPECT_EQ(index.channel_count(), 0u);
    EXPECT_EQ(index.subscriber_count(), 0u);
    EXPECT_EQ(index.subscription_count(), 0u);
  }
}

}  // namespace
}  // namespace switchboard::channels
