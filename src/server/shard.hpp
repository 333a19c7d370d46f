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
#include "server/flush_scheduler.hpp"
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
  void push_to_user(std::string_view user, const std::shared_ptr<const std::string>& frame);
  void push_to_group(std::string_view group, const std::shared_ptr<const std::string>& frame);

  void close_all(std::uint16_t code, std::string_view reason);
  void abort_all();
  void collect(Snapshot& out) const;

  protocol::ClientFrameDecoder& decoder() noexcept { return decoder_; }
  // When this loop's sessions write (server/flush_scheduler.hpp).
  FlushScheduler flushes{io_};

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

  // Options::idle_timeout: one timer per loop rather than one per session. A session is closed between 1 and
  // 1.25 idle timeouts after its last request.
  void sweep_idle();
  std::optional<boost::asio::steady_timer> idle_sweep_;
};

}  // namespace switchboard::server
