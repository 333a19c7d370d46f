#pragma once
// TokenBucket: the per-session request rate limit (Options::publish_rate / publish_burst).
//
// Holds up to `burst` tokens and gains `rate` per second; each request takes one. Time is passed in, so the
// owner reads the clock only when a limit is configured and tests need no sleeping.

#include <algorithm>
#include <chrono>

namespace switchboard::server {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  TokenBucket() = default;
  TokenBucket(double rate, double burst, Clock::time_point now)
      : rate_(rate), burst_(burst > 0 ? burst : std::max(1.0, rate)), tokens_(burst_), last_(now) {}

  bool limited() const noexcept { return rate_ > 0; }
  double burst() const noexcept { return burst_; }

  // Takes a token if there is one. Always true when no rate is set.
  bool try_take(Clock::time_point now) noexcept {
    if (!limited()) return true;
    const std::chrono::duration<double> elapsed = now - last_;
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double rate_ = 0;
  double burst_ = 0;
  double tokens_ = 0;
  Clock::time_point last_{};
};

}  // namespace switchboard::server
