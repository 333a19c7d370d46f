#pragma once
// LocalEngine: the embedded, in-memory engine for a single process.
//
// Channel state is split into lock stripes by name hash, so publishes to different channels rarely contend.
// A publish holds its channel's stripe lock while it assigns the sequence number and hands the broadcast to
// the loops, which is what keeps every subscriber's view in sequence order.

#include <array>
#include <mutex>
#include <unordered_map>

#include "channels/channel_index.hpp"
#include "engine/engine.hpp"

namespace switchboard::engine {

class LocalEngine final : public Engine {
 public:
  LocalEngine(unsigned loops, Deliver deliver);

  void join(std::string_view channel, unsigned loop) override;
  void leave(std::string_view channel, unsigned loop) override;
  PublishResult publish(std::string_view channel, std::string_view class_name, std::string_view data) override;
  std::vector<ChannelInfo> channels() const override;
  std::size_t channel_count() const override;

 private:
  struct ChannelState {
    std::uint64_t last_seq = 0;
    std::size_t subscribers = 0;
    std::vector<std::uint32_t> per_loop;  // Subscribers on each loop.
  };
  struct Stripe {
    mutable std::mutex mu;
    std::unordered_map<std::string, ChannelState, channels::StringHash, std::equal_to<>> channels;  // GUARDED_BY(mu)
  };
  static constexpr std::size_t stripe_count = 64;

  Stripe& stripe_for(std::string_view channel);

  const unsigned loops_;
  const Deliver deliver_;
  std::array<Stripe, stripe_count> stripes_;
};

}  // namespace switchboard::engine
