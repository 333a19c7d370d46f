#include "engine/local_engine.hpp"

#include <algorithm>

#include "protocol/server_frames.hpp"

namespace switchboard::engine {

LocalEngine::LocalEngine(unsigned loops, Deliver deliver) : loops_(loops), deliver_(std::move(deliver)) {}

LocalEngine::Stripe& LocalEngine::stripe_for(std::string_view channel) {
  return stripes_[channels::StringHash{}(channel) % stripe_count];
}

void LocalEngine::join(std::string_view channel, unsigned loop) {
  auto& stripe = stripe_for(channel);
  std::lock_guard lock(stripe.mu);
  auto it = stripe.channels.find(channel);
  if (it == stripe.channels.end()) {
    it = stripe.channels.emplace(std::string(channel), ChannelState{}).first;
    it->second.per_loop.assign(loops_, 0);
  }
  ++it->second.subscribers;
  ++it->second.per_loop[loop];
}

void LocalEngine::leave(std::string_view channel, unsigned loop) {
  auto& stripe = stripe_for(channel);
  std::lock_guard lock(stripe.mu);
  auto it = stripe.channels.find(channel);
  if (it == stripe.channels.end() || it->second.per_loop[loop] == 0) return;  // Unbalanced leave: ignore.
  --it->second.per_loop[loop];
  if (--it->second.subscribers == 0) stripe.channels.erase(it);
}

PublishResult LocalEngine::publish(std::string_view channel, std::string_view class_name, std::string_view data) {
  auto& stripe = stripe_for(channel);
  std::lock_guard lock(stripe.mu);
  auto it = stripe.channels.find(channel);
  if (it == stripe.channels.end()) return PublishResult{};  // Nobody subscribed: nothing to number or send.
  auto& state = it->second;
  const std::uint64_t seq = ++state.last_seq;
  auto broadcast = std::make_shared<Broadcast>(
      Broadcast{std::string(channel), seq, protocol::message_frame(channel, seq, class_name, data)});
  for (unsigned loop = 0; loop < loops_; ++loop) {
    if (state.per_loop[loop] != 0) deliver_(loop, broadcast);
  }
  return PublishResult{{}, seq, state.subscribers};
}

std::size_t LocalEngine::channel_count() const {
  std::size_t n = 0;
  for (const auto& stripe : stripes_) {
    std::lock_guard lock(stripe.mu);
    n += stripe.channels.size();
  }
  return n;
}

std::vector<ChannelInfo> LocalEngine::channels() const {
  std::vector<ChannelInfo> out;
  for (const auto& stripe : stripes_) {
    std::lock_guard lock(stripe.mu);
    for (const auto& [name, state] : stripe.channels) out.push_back({name, state.subscribers, state.last_seq});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace switchboard::engine
