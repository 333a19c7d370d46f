#include "paced.hpp"

#include <algorithm>

namespace bench {

PacedPublishers::PacedPublishers(Engine& e, std::vector<int> slots, double rate, std::uint64_t start)
    : e_(e), slots_(std::move(slots)), interval_ns_(static_cast<std::uint64_t>(1e9 / rate)) {
  if (interval_ns_ == 0) interval_ns_ = 1;
  for (std::size_t i = 0; i < slots_.size(); ++i)
    e_.conn(slots_[i]).next_due_ns = start + i * interval_ns_ / slots_.size();
}

void PacedPublishers::publish_due(std::uint64_t now) {
  for (const int slot : slots_) {
    Conn& pub = e_.conn(slot);
    if (pub.stage != Stage::open || pub.next_due_ns > now) continue;
    max_lag_ns_ = std::max(max_lag_ns_, now - pub.next_due_ns);
    while (pub.next_due_ns <= now) {
      e_.publish(pub, now);
      pub.next_due_ns += interval_ns_;
    }
    e_.flush(pub);
  }
}

std::uint64_t PacedPublishers::until_next(std::uint64_t now) const {
  std::uint64_t next = UINT64_MAX;
  for (const int slot : slots_)
    if (e_.conn(slot).stage == Stage::open) next = std::min(next, e_.conn(slot).next_due_ns);
  return next > now ? next - now : 0;
}

}  // namespace bench
