#include "server/flush_scheduler.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "session/streaming_session.hpp"

namespace switchboard::server {

void FlushScheduler::schedule(std::shared_ptr<StreamingSession> session) {
  // One flush per burst: sessions scheduled meanwhile join the one already posted.
  if (scheduled_.empty()) boost::asio::post(io_, [this] { flush_all(); });
  scheduled_.push_back(std::move(session));
}

void FlushScheduler::flush_all() {
  if (reads_ != reads_seen_ && deferrals_ < kMaxDeferrals) {
    reads_seen_ = reads_;
    ++deferrals_;
    boost::asio::post(io_, [this] { flush_all(); });
    return;
  }
  if (!held_ && hold_.count() > 0) {
    held_ = true;
    deferrals_ = 0;
    hold_timer_.expires_after(hold_);
    hold_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) flush_all();
    });
    return;
  }
  held_ = false;
  deferrals_ = 0;
  const auto start = Clock::now();
  flushing_.swap(scheduled_);
  for (auto it = flushing_.rbegin(); it != flushing_.rend(); ++it) (*it)->flush_turn();
  buffers.trim(flushing_.size());
  flushing_.clear();
  last_flush_ = Clock::now();
  const auto took = last_flush_ - start;
  hold_ = took < kHoldAfter ? Clock::duration::zero() : std::min(kMaxHold, took / 8);
  if (buffers.size() != 0 && !release_armed_) release_buffers_when_idle(kReleaseAfter);
}

void FlushScheduler::release_buffers_when_idle(Clock::duration after) {
  release_armed_ = true;
  release_timer_.expires_after(after);
  release_timer_.async_wait([this](boost::system::error_code ec) {
    release_armed_ = false;
    if (ec || buffers.size() == 0) return;
    const auto idle = Clock::now() - last_flush_;
    if (idle >= kReleaseAfter) return buffers.trim(0);
    release_buffers_when_idle(kReleaseAfter - idle);
  });
}

}  // namespace switchboard::server
