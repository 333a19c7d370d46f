#include "server/shard.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "server/server_impl.hpp"
#include "session/streaming_session.hpp"

namespace switchboard::server {

Shard::Shard(unsigned index, Server::Impl& server) : index_(index), server_(server) {
  work_.emplace(io_.get_executor());
}

Shard::~Shard() { stop_and_join(); }

void Shard::start_thread() {
  if (server_.options.idle_timeout.count() > 0) {
    idle_sweep_.emplace(io_);
    sweep_idle();
  }
  thread_ = std::thread([this] { io_.run(); });
}

void Shard::sweep_idle() {
  const auto timeout = server_.options.idle_timeout;
  idle_sweep_->expires_after(std::max<std::chrono::milliseconds>(timeout / 4, std::chrono::milliseconds(10)));
  idle_sweep_->async_wait([this, timeout](boost::system::error_code ec) {
    if (ec) return;
    const auto cutoff = std::chrono::steady_clock::now() - timeout;
    for (const auto& [id, session] : sessions_) session->close_if_idle_since(cutoff);
    sweep_idle();
  });
}

void Shard::stop_and_join() {
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void Shard::add(StreamingSession& session) {
  sessions_.emplace(session.id(), &session);
  if (!session.user().empty()) users.subscribe(session.user(), &session);
  live_sessions.fetch_add(1, std::memory_order_relaxed);
  sessions_opened.fetch_add(1, std::memory_order_relaxed);
}

void Shard::remove(StreamingSession& session) {
  channels.remove_subscriber(&session, [&](std::string_view channel, auto) {
    server_.engine->leave(channel, index_);
  });
  groups.remove_subscriber(&session, [](std::string_view, auto) {});
  users.remove_subscriber(&session, [](std::string_view, auto) {});
  metrics.subscriptions.store(channels.subscription_count(), std::memory_order_relaxed);
  sessions_.erase(session.id());
  live_sessions.fetch_sub(1, std::memory_order_relaxed);
  sessions_closed.fetch_add(1, std::memory_order_relaxed);
}

StreamingSession* Shard::find(SessionId id) const {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second;
}

void Shard::hand_over(std::shared_ptr<const engine::Broadcast> broadcast) {
  bool was_empty;
  {
    std::lock_guard lock(inbox_mu_);
    was_empty = inbox_.empty();
    inbox_.push_back(std::move(broadcast));
  }
  // One drain per burst: later broadcasts join the inbox that the pending drain will empty.
  if (was_empty) boost::asio::post(io_, [this] { drain_inbox(); });
}

void Shard::drain_inbox() {
  {
    std::lock_guard lock(inbox_mu_);
    draining_.swap(inbox_);
  }
  for (const auto& broadcast : draining_) deliver(broadcast);
  draining_.clear();
}

void Shard::deliver(const std::shared_ptr<const engine::Broadcast>& broadcast) {
  const auto* subscribers = channels.subscribers(broadcast->channel);
  if (!subscribers) return;
  // A slow consumer closed inside enqueue() never leaves the channel before finish(), which runs later from
  // its read handler, so the list is stable while we walk it.
  std::uint64_t queued = 0;
  for (StreamingSession* session : *subscribers) {
    queued += session->enqueue(broadcast->frame, StreamingSession::Kind::message, broadcast->channel, broadcast->seq) !=
              SendStatus::dropped;
  }
  metrics.deliveries.add(queued);
}

void Shard::push_to_user(std::string_view user, const std::shared_ptr<const std::string>& frame) {
  if (const auto* sessions = users.subscribers(user)) {
    for (StreamingSession* session : *sessions) session->enqueue(*frame, StreamingSession::Kind::push);
  }
}

void Shard::push_to_group(std::string_view group, const std::shared_ptr<const std::string>& frame) {
  if (const auto* sessions = groups.subscribers(group)) {
    for (StreamingSession* session : *sessions) session->enqueue(*frame, StreamingSession::Kind::push);
  }
}

void Shard::close_all(std::uint16_t code, std::string_view reason) {
  for (auto& [id, session] : sessions_) session->close(code, reason);
}

void Shard::abort_all() {
  // finish_now() removes the session from sessions_, so walk a copy.
  std::vector<StreamingSession*> all;
  all.reserve(sessions_.size());
  for (auto& [id, session] : sessions_) all.push_back(session);
  for (StreamingSession* session : all) session->finish_now();
}

void Shard::collect(Snapshot& out) const {
  for (const auto& [id, session] : sessions_) {
    out.sessions.push_back({id, session->user(), session->remote(), session->channels(), session->groups()});
  }
  out.subscriptions += channels.subscription_count();
  out.group_memberships += groups.subscription_count();
}

}  // namespace switchboard::server
