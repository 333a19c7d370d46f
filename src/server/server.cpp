#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "channels/channel_name.hpp"
#include "channels/channel_rules.hpp"
#include "engine/local_engine.hpp"
#include "net/listener.hpp"
#include "protocol/server_frames.hpp"
#include "server/server_impl.hpp"
#include "server/shard.hpp"
#include "session/streaming_session.hpp"

namespace switchboard {

namespace net = boost::asio;
using server::Shard;

// --- Impl ------------------------------------------------------------------------------------------------------

namespace {

unsigned loop_count(unsigned requested) {
  unsigned n = requested ? requested : std::max(1u, std::thread::hardware_concurrency());
  return std::min(n, 256u);  // Session ids keep the loop index in 8 bits.
}

}  // namespace

Server::Impl::Impl(Options opts, std::shared_ptr<Application> application)
    : options(std::move(opts)),
      app(application ? std::move(application) : std::make_shared<Application>()),
      server_version(std::string("switchboard/") + SWITCHBOARD_VERSION),
      connection_limits(options.max_connections, options.max_connections_per_ip),
      log(options.log_level, options.log_sink) {
  const unsigned loops = loop_count(options.threads);
  for (unsigned i = 0; i < loops; ++i) shards.push_back(std::make_unique<Shard>(i, *this));
  engine = std::make_unique<engine::LocalEngine>(
      loops, [this](unsigned loop, auto broadcast) { shards[loop]->hand_over(std::move(broadcast)); });
}

Server::Impl::~Impl() { stop(); }

void Server::Impl::start() {
  if (started_) return;
  const auto address = net::ip::make_address(options.host);
  listener = std::make_shared<server::Listener>(shards, net::ip::tcp::endpoint(address, options.port));
  bound_port = listener->port();
  started_ = true;
  listener->run();
  for (auto& shard : shards) shard->start_thread();
  log.info("listening", {{"host", options.host}, {"port", std::uint64_t{bound_port}},
                         {"loops", static_cast<std::uint64_t>(shards.size())}});
}

std::size_t Server::Impl::stop() {
  if (!started_ || stopped_) return 0;
  stopped_ = true;
  stopping = true;
  listener->stop();
  log.info("shutting down: closing every session with 1001",
           {{"timeout_ms", static_cast<std::uint64_t>(options.shutdown_timeout.count())}});
  for (auto& shard : shards) {
    net::post(shard->io(), [s = shard.get()] { s->close_all(close_code::going_away, "server shutting down"); });
  }
  // Sessions write what they have queued, then the close frame, then wait for the client's close; whoever has
  // not finished by the deadline is dropped.
  const auto deadline = std::chrono::steady_clock::now() + options.shutdown_timeout;
  auto live = [&] {
    std::size_t n = 0;
    for (auto& shard : shards) n += shard->live_sessions.load();
    return n;
  };
  while (live() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const std::size_t dropped = live();
  log.info("stopped", {{"dropped_at_deadline", static_cast<std::uint64_t>(dropped)}});
  for (auto& shard : shards) {
    std::promise<void> done;
    net::post(shard->io(), [s = shard.get(), &done] {
      s->abort_all();
      done.set_value();
    });
    done.get_future().wait();
  }
  for (auto& shard : shards) shard->stop_and_join();
  return dropped;
}

Shard& Server::Impl::shard_of(SessionId id) const { return *shards[id & 0xFF]; }

bool Server::Impl::owns(SessionId id) const noexcept { return (id >> 8) != 0 && (id & 0xFF) < shards.size(); }

// --- Server ----------------------------------------------------------------------------------------------------

AuthResult query_parameter_authenticator(const HandshakeRequest& request) {
  AuthResult result;
  if (auto it = request.query.find("user"); it != request.query.end()) {
    if (it->second.size() > 128) {
      result.accepted = false;
      result.http_status = 400;
      result.reason = "user must be at most 128 bytes";
      return result;
    }
    result.user = it->second;
  }
  return result;
}

Server::Server(Options options, std::shared_ptr<Application> app)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(app))) {}

Server::~Server() { stop(); }

void Server::start() { impl_->start(); }
std::uint16_t Server::port() const noexcept { return impl_->bound_port; }
const Options& Server::options() const noexcept { return impl_->options; }
std::size_t Server::stop() { return impl_->stop(); }
void Server::route(std::string path, HttpHandler handler) { impl_->routes[std::move(path)] = std::move(handler); }

PublishResult Server::publish(std::string_view channel, const Message& message) {
  if (channels::check_name(channel)) return PublishResult{make_error_code(error::invalid_channel), 0, 0};
  const auto& opts = impl_->options;
  if (auto refusal = channels::check_publish(opts.channel_rules, opts.validate_model, channels::Origin::server,
                                             channel, message.class_name, message.data)) {
    return PublishResult{make_error_code(refusal->code), 0, 0};
  }
  impl_->messages_published.fetch_add(1, std::memory_order_relaxed);
  return impl_->engine->publish(channel, message.class_name, message.data);
}

std::error_code Server::send(SessionId session, const Message& message) {
  if (!impl_->owns(session)) return make_error_code(error::session_not_found);
  auto frame = protocol::push_frame(message.class_name, message.data);
  Shard& shard = impl_->shard_of(session);
  net::post(shard.io(), [&shard, session, frame = std::move(frame)] {
    if (auto* s = shard.find(session)) s->enqueue(frame, server::StreamingSession::Kind::push);
  });
  return {};
}

void Server::send_to_user(std::string_view user, const Message& message) {
  auto frame = std::make_shared<const std::string>(protocol::push_frame(message.class_name, message.data));
  for (auto& shard : impl_->shards) {
    net::post(shard->io(), [s = shard.get(), user = std::string(user), frame] { s->push_to_user(user, frame); });
  }
}

std::error_code Server::send_to_group(std::string_view group, const Message& message) {
  if (channels::check_name(group)) return make_error_code(error::invalid_channel);
  auto frame = std::make_shared<const std::string>(protocol::push_frame(message.class_name, message.data, group));
  for (auto& shard : impl_->shards) {
    net::post(shard->io(), [s = shard.get(), group = std::string(group), frame] { s->push_to_group(group, frame); });
  }
  return {};
}

std::error_code Server::add_to_group(SessionId session, std::string_view group) {
  if (!impl_->owns(session)) return make_error_code(error::session_not_found);
  if (channels::check_name(group)) return make_error_code(error::invalid_channel);
  Shard& shard = impl_->shard_of(session);
  net::post(shard.io(), [&shard, session, group = std::string(group)] {
    if (auto* s = shard.find(session)) s->join_group(group);
  });
  return {};
}

std::error_code Server::remove_from_group(SessionId session, std::string_view group) {
  if (!impl_->owns(session)) return make_error_code(error::session_not_found);
  Shard& shard = impl_->shard_of(session);
  net::post(shard.io(), [&shard, session, group = std::string(group)] {
    if (auto* s = shard.find(session)) s->leave_group(group);
  });
  return {};
}

std::error_code Server::close(SessionId session, std::uint16_t code, std::string_view reason) {
  if (!impl_->owns(session)) return make_error_code(error::session_not_found);
  Shard& shard = impl_->shard_of(session);
  net::post(shard.io(), [&shard, session, code, reason = std::string(reason)] {
    if (auto* s = shard.find(session)) s->close(code, reason);
  });
  return {};
}

void Server::snapshot(std::function<void(Snapshot)> done) {
  struct Gather {
    std::mutex mu;
    Snapshot snapshot;           // GUARDED_BY(mu)
    std::size_t remaining;       // GUARDED_BY(mu)
    std::function<void(Snapshot)> done;
  };
  auto gather = std::make_shared<Gather>();
  gather->remaining = impl_->shards.size();
  gather->done = std::move(done);
  for (auto& shard : impl_->shards) {
    net::post(shard->io(), [s = shard.get(), gather, impl = impl_.get()] {
      Snapshot part;
      s->collect(part);
      std::unique_lock lock(gather->mu);
      auto& out = gather->snapshot;
      std::move(part.sessions.begin(), part.sessions.end(), std::back_inserter(out.sessions));
      out.subscriptions += part.subscriptions;
      out.group_memberships += part.group_memberships;
      if (--gather->remaining != 0) return;
      lock.unlock();
      std::sort(out.sessions.begin(), out.sessions.end(), [](auto& a, auto& b) { return a.id < b.id; });
      out.channels = impl->engine->channels();
      for (auto& sh : impl->shards) {
        out.sessions_opened += sh->sessions_opened.load();
        out.sessions_closed += sh->sessions_closed.load();
      }
      gather->done(std::move(out));
    });
  }
}

std::future<Snapshot> Server::snapshot() {
  auto promise = std::make_shared<std::promise<Snapshot>>();
  auto future = promise->get_future();
  snapshot([promise](Snapshot s) { promise->set_value(std::move(s)); });
  return future;
}

}  // namespace switchboard
