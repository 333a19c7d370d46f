#pragma once
// Engine: where channel state that spans event loops lives: per-channel sequence numbers and which loops
// have subscribers. LocalEngine keeps it in this process; a Redis engine will share it between processes
// behind the same interface.
//
// Every member function is safe to call from any thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/server.hpp"

namespace switchboard::engine {

// One published message, framed once and shared by every loop and every subscriber that delivers it.
struct Broadcast {
  std::string channel;
  std::uint64_t seq;
  std::string frame;  // The complete "message" frame text.
};

// Hands a broadcast to one event loop. Called with the channel's lock held, so that every loop receives a
// channel's broadcasts in sequence order; it must only enqueue.
using Deliver = std::function<void(unsigned loop, std::shared_ptr<const Broadcast>)>;

class Engine {
 public:
  virtual ~Engine() = default;
  // One subscriber on `loop` joined / left `channel`. The channel exists while it has subscribers.
  virtual void join(std::string_view channel, unsigned loop) = 0;
  virtual void leave(std::string_view channel, unsigned loop) = 0;
  // Assigns the next sequence number and hands the framed message to every loop with subscribers.
  virtual PublishResult publish(std::string_view channel, std::string_view class_name, std::string_view data) = 0;
  // Every channel with its subscriber count and last sequence number, sorted by name.
  virtual std::vector<ChannelInfo> channels() const = 0;
  // How many channels exist (have subscribers) now.
  virtual std::size_t channel_count() const = 0;
};

}  // namespace switchboard::engine
