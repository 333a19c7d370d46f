#pragma once
// FlushScheduler: when one event loop hands its sessions' outbound bytes to the kernel (docs/architecture.md,
// "The write path"). A session written to is scheduled once; flush_all() then runs after the handlers already
// queued and flushes every scheduled session, one send() each, newest first (a request's sender is scheduled by
// its reply, after the fan-out the request caused).
//
// Before flushing it lets read completions already queued run (Beast completes each buffered message with a
// post of its own, so the rest of a publisher's window joins the same flush), bounded to kMaxDeferrals rounds;
// and under load it holds the flush a little: an eighth of how long the last flush took, at most 1 ms, and not
// at all after a flush shorter than 100 us. A loop writing to a thousand sockets per flush spends milliseconds
// there; the hold lets more messages join each send() (the kernel's cost is per call and per segment) for about
// an eighth more latency. A lightly loaded loop's flushes take microseconds, so it never waits.
//
// It also owns the loop's spare outbound buffers (BufferPool): trimmed to what the last flush used, and all
// freed once the loop has flushed nothing for kReleaseAfter. One loop's: no locking.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "server/buffer_pool.hpp"

namespace switchboard::server {

class StreamingSession;

class FlushScheduler {
 public:
  explicit FlushScheduler(boost::asio::io_context& io) : io_(io), hold_timer_(io), release_timer_(io) {}

  // Flushes `session` (StreamingSession::flush_turn) in the next flush; the caller schedules a session once.
  void schedule(std::shared_ptr<StreamingSession> session);
  // Called by a session for every read completion: a flush lets queued reads run first.
  void note_read() noexcept { ++reads_; }

  BufferPool buffers;

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr unsigned kMaxDeferrals = 16;
  static constexpr Clock::duration kMaxHold = std::chrono::milliseconds(1);
  static constexpr Clock::duration kHoldAfter = std::chrono::microseconds(100);
  static constexpr Clock::duration kReleaseAfter = std::chrono::seconds(1);

  void flush_all();
  void release_buffers_when_idle(Clock::duration after);

  boost::asio::io_context& io_;
  // Owning, so a session lives until its bytes are handed over.
  std::vector<std::shared_ptr<StreamingSession>> scheduled_, flushing_;
  std::uint64_t reads_ = 0, reads_seen_ = 0;  // reads_seen_: reads_ when flush_all() last looked.
  unsigned deferrals_ = 0;
  Clock::duration hold_{};
  bool held_ = false;
  boost::asio::steady_timer hold_timer_;
  Clock::time_point last_flush_;
  bool release_armed_ = false;
  boost::asio::steady_timer release_timer_;
};

}  // namespace switchboard::server
