// The channel index (channels/channel_index.hpp), as the server uses it: the lookup and walk of a channel's
// subscribers on every publish, subscribe/unsubscribe, and the removal of a disconnecting session; and the
// channel rules' pattern lookup (switchboard/channel_rules.hpp: exact names and "prefix*" patterns), which runs
// once per subscribe and per publish. The index has no patterns of its own.
//
// Subscribers are pointer-sized handles, as the server's session pointers are (same hash: the value itself).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "channels/channel_index.hpp"
#include "switchboard/channel_rules.hpp"

namespace {

using Handle = std::uintptr_t;
using Index = switchboard::channels::ChannelIndex<Handle>;

constexpr std::string_view channel = "room:bench-1234";

Handle handle(std::int64_t n) { return static_cast<Handle>(0x10000 + n * 64); }  // Spread like heap addresses.

// One channel with `n` subscribers, among 100 other channels of 10 subscribers each.
Index populated(std::int64_t n) {
  Index index;
  for (std::int64_t i = 0; i < n; ++i) index.subscribe(channel, handle(i));
  for (int c = 0; c < 100; ++c) {
    for (int i = 0; i < 10; ++i) index.subscribe("room:other-" + std::to_string(c), handle(1'000'000 + c * 10 + i));
  }
  return index;
}

// Per publish: find the channel and visit every subscriber (here summing handles, where the server queues a
// frame). items/s: publishes; subscribers/s: subscribers visited.
void BM_PublishLookup(benchmark::State& state) {
  const Index index = populated(state.range(0));
  for (auto _ : state) {
    Handle sum = 0;
    if (const auto* subscribers = index.subscribers(channel)) {
      for (Handle s : *subscribers) sum += s;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["subscribers"] =
      benchmark::Counter(static_cast<double>(state.iterations() * state.range(0)), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PublishLookup)->Arg(1)->Arg(1000);

// A session joins a channel that has `n` subscribers and leaves it again (the pair is one item: the index
// must not grow). Unsubscribe searches the channel's subscriber list, so it is linear in `n`.
void BM_SubscribeUnsubscribe(benchmark::State& state) {
  Index index = populated(state.range(0));
  const Handle session = handle(state.range(0) + 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(index.subscribe(channel, session));
    benchmark::DoNotOptimize(index.unsubscribe(channel, session));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SubscribeUnsubscribe)->Arg(1)->Arg(1000);

// A session subscribes to a channel nobody is in (the channel is created) and leaves it (deleted).
void BM_SubscribeUnsubscribeNewChannel(benchmark::State& state) {
  Index index = populated(1);
  const Handle session = handle(5);
  for (auto _ : state) {
    benchmark::DoNotOptimize(index.subscribe("room:fresh-channel-name", session));
    benchmark::DoNotOptimize(index.unsubscribe("room:fresh-channel-name", session));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SubscribeUnsubscribeNewChannel);

// A session in `k` channels of 1,000 subscribers each disconnects (remove_subscriber), then joins them again
// for the next iteration: one item is one disconnect plus its `k` re-subscribes.
void BM_DisconnectSession(benchmark::State& state) {
  const std::int64_t k = state.range(0);
  Index index;
  std::vector<std::string> names;
  for (std::int64_t c = 0; c < k; ++c) {
    names.push_back("room:busy-" + std::to_string(c));
    for (std::int64_t i = 0; i < 1000; ++i) index.subscribe(names.back(), handle(c * 1000 + i));
  }
  const Handle session = handle(k * 1000 + 1);
  for (const auto& name : names) index.subscribe(name, session);
  for (auto _ : state) {
    std::size_t left = 0;
    index.remove_subscriber(session, [&](std::string_view, Index::Result) { ++left; });
    benchmark::DoNotOptimize(left);
    for (const auto& name : names) index.subscribe(name, session);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DisconnectSession)->Arg(1)->Arg(10);

// The rule governing a channel: the demo's three rules ("chat", "room:*", "notifications") plus `extra`
// exact names and patterns, looked up for a room (a pattern match) and for "chat" (an exact name).
switchboard::ChannelRules rules_with(std::int64_t extra) {
  switchboard::ChannelRules rules;
  rules.add({"chat", {"ChatMessage"}});
  rules.add({"room:*", {"ChatMessage"}});
  rules.add({"notifications", {"Notice"}, switchboard::Publishers::server});
  for (std::int64_t i = 0; i < extra; ++i) {
    rules.add({"topic-" + std::to_string(i), {}});
    rules.add({"feed-" + std::to_string(i) + ":*", {}});
  }
  return rules;
}

void rule_lookup(benchmark::State& state, std::string_view name) {
  const auto rules = rules_with(state.range(0));
  for (auto _ : state) {
    const auto* rule = rules.lookup(name);
    if (rule == nullptr) {
      state.SkipWithError("no rule matched");
      break;
    }
    benchmark::DoNotOptimize(rule);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(rules.rules().size()) + " rules");
}

void BM_RulesLookupPattern(benchmark::State& state) { rule_lookup(state, channel); }
BENCHMARK(BM_RulesLookupPattern)->Arg(0)->Arg(15);

void BM_RulesLookupExact(benchmark::State& state) { rule_lookup(state, "chat"); }
BENCHMARK(BM_RulesLookupExact)->Arg(0)->Arg(15);

}  // namespace
