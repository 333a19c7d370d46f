#pragma once
// Shard: one event loop (an io_context run by one thread) and everything pinned to it: its sessions and the
// channel, group and user memberships of those sessions. Shared-nothing: a shard's indexes are touched only
// on its own thread, so fan-out runs without locks. Other threads reach a shard with post().

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "channels/channel_index.hpp"
#include "engine/engine.hpp"
#include "protocol/client_frame.hpp"
#include "server/buffer_pool.hpp"
#include "server/metrics.hpp"
#include "switchboard/server.hpp"

namespace switchboard::server {

class StreamingSession;

class Shard {
  // Declared first so that it is destroyed last: handlers it still holds may reference the members below.
  boost::asio::io_context io_{1};

 public:
  Shard(unsigned index, Server::Impl& server);
  ~Shard();

  unsigned index() const noexcept { return index_; }
  boost::asio::io_context& io() noexcept { return io_; }
  Server::Impl& server() noexcept { return server_; }

  void start_thread();
  // Releases the loop's work guard and waits for the thread to end.
  void stop_and_join();

  // --- Everything below: only on this shard's thread. ---
  SessionId next_session_id() noexcept { return (++session_counter_ << 8) | index_; }
  void add(StreamingSession& session);
  // Leaves every channel, group and user index and forgets the session.
  void remove(StreamingSession& session);
  StreamingSession* find(SessionId id) const;

  // Any thread. Broadcasts wait in an inbox in the order they were handed over (the engine hands them over in
  // sequence order) until the loop drains it. A plain post() per broadcast would not keep that order: Asio
  // queues posts made from the loop's own thread separately from posts made by other threads.
  void hand_over(std::shared_ptr<const engine::Broadcast> broadcast);
  // Loop thread: delivers every broadcast waiting in the inbox, in order.
  void drain_inbox();
  // Flushes `session` (once) after the handlers already queued in this loop: see StreamingSession::flush.
  void schedule_flush(std::shared_ptr<StreamingSession> session);
  // Spare outbound buffers for this loop's sessions; flush_all() trims it to what its last round used, and a loop
  // that flushed nothing for kReleaseAfter frees them all.
  BufferPool buffers;
  // Called by a session for every message it reads: flush_all() lets pending reads run before it flushes.
  void note_read() noexcept { ++reads_; }
  void push_to_user(std::string_view user, const std::shared_ptr<const std::string>& frame);
  void push_to_group(std::string_view group, const std::shared_ptr<const std::string>& frame);

  void close_all(std::uint16_t code, std::string_view reason);
  void abort_all();
  void collect(Snapshot& out) const;

  protocol::ClientFrameDecoder& decoder() noexcept { return decoder_; }

  channels::ChannelIndex<StreamingSession*> channels;
  channels::ChannelIndex<StreamingSession*> groups;
  channels::ChannelIndex<StreamingSession*> users;

  // Readable from any thread.
  std::atomic<std::size_t> live_sessions{0};
  std::atomic<std::uint64_t> sessions_opened{0};
  std::atomic<std::uint64_t> sessions_closed{0};
  LoopMetrics metrics;  // Written by this loop only.

 private:
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  const unsigned index_;
  Server::Impl& server_;
  std::thread thread_;
  std::uint64_t session_counter_ = 0;
  // Non-owning: a session removes itself (on this thread) before it can be destroyed.
  std::unordered_map<SessionId, StreamingSession*> sessions_;
  protocol::ClientFrameDecoder decoder_;

  std::mutex inbox_mu_;
  std::vector<std::shared_ptr<const engine::Broadcast>> inbox_;  // GUARDED_BY(inbox_mu_)
  std::vector<std::shared_ptr<const engine::Broadcast>> draining_;  // Loop thread only.
  void deliver(const std::shared_ptr<const engine::Broadcast>& broadcast);

  // Sessions written to since the last flush_all(); owning, so a session lives until its bytes are handed over.
  std::vector<std::shared_ptr<StreamingSession>> flush_list_;
  std::vector<std::shared_ptr<StreamingSession>> flushing_;
  void flush_all();
  std::uint64_t reads_ = 0;       // Messages read by this loop's sessions (note_read()).
  std::uint64_t reads_seen_ = 0;  // reads_ when flush_all() last looked.
  unsigned deferrals_ = 0;
  static constexpr unsigned kMaxFlushDeferrals = 16;
  // How long the next flush waits for more input: an eighth of how long the last flush took, at most 1 ms, and
  // nothing after a flush shorter than 100 us. A loop writing to a thousand sockets per flush spends
  // milliseconds there; holding the next flush a little lets more messages join each send() (fewer, fuller
  // writes: the kernel's cost is per call and per segment) for about an eighth more latency. A lightly loaded
  // loop's flushes take microseconds, so it never waits.
  std::chrono::steady_clock::duration flush_hold_{};
  static constexpr std::chrono::steady_clock::duration kMaxFlushHold = std::chrono::milliseconds(1);
  static constexpr std::chrono::steady_clock::duration kHoldAfter = std::chrono::microseconds(100);
  bool held_ = false;
  boost::asio::steady_timer flush_timer_{io_};
  std::chrono::steady_clock::time_point last_flush_;
  bool release_armed_ = false;
  boost::asio::steady_timer release_timer_{io_};
  static constexpr std::chrono::steady_clock::duration kReleaseAfter = std::chrono::seconds(1);
  void release_spare_buffers_when_idle(std::chrono::steady_clock::duration after);

  // Options::idle_timeout: one timer per loop rather than one per session. A session is closed between 1 and
  // 1.25 idle timeouts after its last request.
  void sweep_idle();
  std::optional<boost::asio::steady_timer> idle_sweep_;
};

}  // namespace switchboard::server
