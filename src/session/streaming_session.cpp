#include "session/streaming_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/websocket.hpp>

#include <fmt/format.h>

#include <algorithm>

#include "channels/channel_name.hpp"
#include "channels/channel_rules.hpp"
#include "protocol/server_frames.hpp"
#include "server/server_impl.hpp"
#include "server/shard.hpp"

namespace switchboard::server {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;

StreamingSession::StreamingSession(net::ip::tcp::socket&& socket, Shard& shard, std::string user, std::string remote,
                                   ConnectionLimits::Slot slot)
    : ws_(std::move(socket)),
      shard_(shard),
      id_(shard.next_session_id()),
      user_(std::move(user)),
      remote_(std::move(remote)),
      slot_(std::move(slot)) {
  const auto& opts = shard.server().options;
  if (opts.publish_rate > 0) {
    publish_bucket_ = TokenBucket(opts.publish_rate, opts.publish_burst, TokenBucket::Clock::now());
  }
  if (opts.idle_timeout.count() > 0) last_request_ = std::chrono::steady_clock::now();
  ws_.next_layer().set_listener(this);
}

StreamingSession::~StreamingSession() {
  ws_.next_layer().set_listener(nullptr);  // Its last flush must not call back into a half-destroyed session.
}

void StreamingSession::run(beast::http::request<beast::http::string_body> request) {
  const auto& opts = shard_.server().options;
  // Heartbeat: Beast pings after half the idle timeout without reads and drops the connection when the whole
  // idle timeout passes without any frame (pong included) from the peer.
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = opts.handshake_timeout;
  timeouts.idle_timeout = 2 * opts.heartbeat;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator([version = shard_.server().server_version](
                                                       websocket::response_type& res) {
    res.set(beast::http::field::server, version);
  }));
  ws_.read_message_max(opts.max_message_bytes);
  if (opts.socket_send_buffer != 0) {
    beast::error_code ignored;  // Best effort: the kernel clamps the value to its own bounds.
    beast::get_lowest_layer(ws_).socket().set_option(
        net::socket_base::send_buffer_size(static_cast<int>(opts.socket_send_buffer)), ignored);
  }
  ws_.auto_fragment(false);
  ws_.async_accept(request, beast::bind_front_handler(&StreamingSession::on_accept, shared_from_this()));
}

void StreamingSession::on_accept(beast::error_code ec) {
  if (ec) return;  // Failed upgrade: never registered, nothing owed; the socket closes with this object.
  auto& server = shard_.server();
  if (server.stopping.load()) {
    // Upgraded while the server shuts down: say so, and never register (no hooks run, none are owed).
    close_request_ = websocket::close_reason(websocket::close_code::going_away);
    return start_close();
  }
  shard_.add(*this);
  registered_ = true;
  server.log.debug("session opened", {{"session", id_}, {"user", user_}, {"remote", remote_}});
  const auto& opts = server.options;
  reply(protocol::welcome_frame({id_, server.server_version, opts.heartbeat, opts.max_message_bytes,
                                 opts.max_subscriptions, opts.publish_rate, publish_bucket_.burst()}));
  call_app([&] { server.app->on_open(*this); });
  do_read();  // Always reading: the read loop is what sees the end of the connection and calls finish().
}

void StreamingSession::do_read() {
  // A read waiting for the next message holds the buffer Beast prepared for it, 1,536 bytes for a whole-message
  // read. Asking for the first kFirstRead bytes only keeps that small on an idle connection (scenario S3: 1 KB
  // less per connection); on_read() reads the rest of a longer message.
  ws_.async_read_some(buffer_, kFirstRead,
                      beast::bind_front_handler(&StreamingSession::on_read, shared_from_this()));
}

void StreamingSession::on_read(beast::error_code ec, std::size_t bytes) {
  if (ec) return finish(reason_for(ec));
  shard_.flushes.note_read();  // Every completion, the first part of a message too (FlushScheduler).
  shard_.metrics.bytes_received.add(bytes);
  if (!ws_.is_message_done()) {
    return ws_.async_read(buffer_, beast::bind_front_handler(&StreamingSession::on_read, shared_from_this()));
  }
  shard_.metrics.frames_received.add();
  if (ws_.got_text()) {
    const auto data = buffer_.cdata();
    call_app([&] { handle_text(std::string_view(static_cast<const char*>(data.data()), data.size())); });
  } else {
    reply_error(std::nullopt, error::binary_unsupported, "binary frames are not supported; send JSON text frames");
  }
  buffer_.consume(buffer_.size());
  buffer_.shrink_to_fit();  // An idle connection keeps no buffer from its last message.
  if (!finished_) do_read();
}

void StreamingSession::handle_text(std::string_view text) {
  using Type = protocol::ClientFrame::Type;
  auto decoded = shard_.decoder().decode(text);
  if (auto* err = std::get_if<protocol::DecodeError>(&decoded)) {
    return reply_error(err->id, err->code, err->message);
  }
  const auto& frame = std::get<protocol::ClientFrame>(decoded);
  auto& server = shard_.server();
  auto fail = [&](error code, std::string_view message) { reply_error(frame.id, code, message); };
  if (server.options.idle_timeout.count() > 0) last_request_ = std::chrono::steady_clock::now();

  if (frame.type == Type::ping) return reply(protocol::pong_frame(frame.id));
  if ((frame.type == Type::send || frame.type == Type::publish) && publish_bucket_.limited() &&
      !publish_bucket_.try_take(TokenBucket::Clock::now())) {
    return fail(error::rate_limited,
                fmt::format("more than {} messages per second (burst {}); this one was dropped",
                            server.options.publish_rate, publish_bucket_.burst()));
  }
  if (frame.type == Type::send) {
    server.app->on_message(*this, Message{std::string(frame.class_name), std::string(frame.data)});
    if (frame.id) reply(protocol::ack_frame(*frame.id));
    return;
  }

  if (auto problem = channels::check_name(frame.channel)) return fail(error::invalid_channel, *problem);
  switch (frame.type) {
    case Type::subscribe:
      if (auto refusal = channels::check_subscribe(server.options.channel_rules, frame.channel)) {
        return fail(refusal->code, refusal->message);
      }
      if (!server.app->may_subscribe(*this, frame.channel)) {
        return fail(error::forbidden, fmt::format("subscribing to \"{}\" is not allowed", frame.channel));
      }
      // At the limit, a channel already followed is still answered already_subscribed below.
      if (const auto max = server.options.max_subscriptions;
          max != 0 && shard_.channels.count_of(this) >= max && !shard_.channels.contains(frame.channel, this)) {
        return fail(error::too_many_subscriptions,
                    fmt::format("this session already follows {} channels, the most allowed", max));
      }
      if (shard_.channels.subscribe(frame.channel, this) == channels::ChannelIndex<StreamingSession*>::Result::already) {
        return fail(error::already_subscribed, fmt::format("already subscribed to \"{}\"", frame.channel));
      }
      shard_.metrics.subscriptions.store(shard_.channels.subscription_count(), std::memory_order_relaxed);
      server.engine->join(frame.channel, shard_.index());
      return reply(protocol::ack_frame(*frame.id));
    case Type::unsubscribe:
      if (shard_.channels.unsubscribe(frame.channel, this) == channels::ChannelIndex<StreamingSession*>::Result::absent) {
        return fail(error::not_subscribed, fmt::format("not subscribed to \"{}\"", frame.channel));
      }
      shard_.metrics.subscriptions.store(shard_.channels.subscription_count(), std::memory_order_relaxed);
      server.engine->leave(frame.channel, shard_.index());
      return reply(protocol::ack_frame(*frame.id));
    case Type::publish: {
      if (auto refusal = channels::check_publish(server.options.channel_rules, server.options.validate_model,
                                                 channels::Origin::client, frame.channel, frame.class_name,
                                                 frame.data)) {
        return fail(refusal->code, refusal->message);
      }
      if (!server.app->may_publish(*this, frame.channel)) {
        return fail(error::forbidden, fmt::format("publishing to \"{}\" is not allowed", frame.channel));
      }
      const auto result = server.engine->publish(frame.channel, frame.class_name, frame.data);
      server.messages_published.fetch_add(1, std::memory_order_relaxed);
      // Deliver what this loop's inbox holds (this message and every earlier one) before the ack, so a
      // publisher that follows the channel sees its own message first.
      shard_.drain_inbox();
      server.app->on_publish(*this, frame.channel,
                             Message{std::string(frame.class_name), std::string(frame.data)});
      reply(protocol::ack_frame(*frame.id, result.seq));
      // The ack leaves now, not after the fan-out's writes: the publisher's next publishes then arrive while
      // those writes run, and join the next batch.
      return flush();
    }
    case Type::send:
    case Type::ping:
      break;  // Handled above.
  }
}

std::vector<std::string> StreamingSession::channels() const { return shard_.channels.names_of(const_cast<StreamingSession*>(this)); }

std::vector<std::string> StreamingSession::groups() const { return shard_.groups.names_of(const_cast<StreamingSession*>(this)); }

bool StreamingSession::join_group(std::string_view group) {
  if (channels::check_name(group) || finished_) return false;
  shard_.groups.subscribe(group, this);
  return true;
}

void StreamingSession::leave_group(std::string_view group) { shard_.groups.unsubscribe(group, this); }

SendStatus StreamingSession::send(const Message& message) {
  return enqueue(protocol::push_frame(message.class_name, message.data), Kind::push);
}

void StreamingSession::reply_error(std::optional<std::uint64_t> id, error code, std::string_view message) {
  shard_.metrics.count_error(code);
  reply(protocol::error_frame(id, code, message));
}

SendStatus StreamingSession::enqueue(std::string_view frame, Kind kind, std::string_view channel, std::uint64_t seq) {
  if (close_request_ || finished_) {
    shard_.metrics.frames_dropped.add();
    return SendStatus::dropped;
  }
  const auto& opts = shard_.server().options;
  const auto limit = opts.max_outbound_bytes;
  const bool dropping = opts.slow_consumer_policy == SlowConsumerPolicy::drop;
  if (dropping && kind != Kind::reply && (gaps_ || queued_bytes_ + frame.size() > limit)) {
    return drop(kind, channel, seq);
  }
  // Replies are never dropped; under the drop policy they may use a second limit's worth before the session is
  // closed all the same (a client that sends requests and never reads).
  if (queued_bytes_ + frame.size() > (dropping ? 2 * limit : limit)) {
    slow_consumer();
    shard_.metrics.frames_dropped.add();
    return SendStatus::dropped;
  }
  append(frame);
  // A burst within one handler goes to the kernel as it grows instead of piling up until the loop iteration ends.
  // Half the limit at most, so that a burst the kernel would take never makes a slow consumer.
  if (queued_bytes_ >= std::min(CorkedStream::kFlushAt, limit / 2) && !waiting_writable_) flush();
  return queued_bytes_ > limit / 2 ? SendStatus::backpressured : SendStatus::queued;
}

void StreamingSession::append(std::string_view frame) {
  shard_.metrics.frames_sent.add();
  ws_.next_layer().append_text(frame);
  sync_queued_bytes();
}

void StreamingSession::on_output() {
  // Beast's own frames (pongs, pings, the close frame) arrive here too, so this, not append(), schedules.
  if (flush_scheduled_ || waiting_writable_) return;
  flush_scheduled_ = true;
  shard_.flushes.schedule(shared_from_this());
}

std::string StreamingSession::take_buffer() { return shard_.flushes.buffers.take(); }

void StreamingSession::give_back(std::string buffer) { shard_.flushes.buffers.give_back(std::move(buffer)); }

void StreamingSession::flush_turn() {
  flush_scheduled_ = false;
  flush();
}

void StreamingSession::flush() {
  if (waiting_writable_ || finished_) return;
  std::size_t sent = 0, calls = 0;
  const auto ec = ws_.next_layer().flush(sent, calls);
  shard_.metrics.bytes_sent.add(sent);
  shard_.metrics.socket_writes.add(calls);
  sync_queued_bytes();
  if (ec == net::error::would_block) {
    waiting_writable_ = true;
    ws_.next_layer().socket().async_wait(net::ip::tcp::socket::wait_write,
                                         beast::bind_front_handler(&StreamingSession::on_writable, shared_from_this()));
    return;
  }
  if (ec) return abort();  // The read side notices and finishes the session.
  if (gaps_ && !close_request_ && queued_bytes_ <= shard_.server().options.max_outbound_bytes / 2) send_gaps();
}

void StreamingSession::on_writable(beast::error_code ec) {
  waiting_writable_ = false;
  if (ec || finished_) return;
  flush();
}

void StreamingSession::application_failed(std::string_view what) {
  shard_.server().log.error("application hook threw; closing the session with 1011",
                            {{"session", id_}, {"user", user_}, {"remote", remote_}, {"what", what}});
  close(close_code::internal, "internal error");
}

void StreamingSession::sync_queued_bytes() {
  const std::size_t bytes = ws_.next_layer().pending();
  shard_.metrics.outbound_bytes.add(static_cast<std::int64_t>(bytes) - static_cast<std::int64_t>(queued_bytes_));
  queued_bytes_ = bytes;
}

void StreamingSession::slow_consumer() {
  // Close with 4008. What is queued stays (it is within the limit): the close frame follows it, and a client
  // that does not read it in time is dropped by the close deadline.
  slow_consumer_ = true;
  shard_.server().log.warn("slow consumer: outbound buffer limit exceeded, closing with 4008",
                           {{"session", id_}, {"user", user_}, {"remote", remote_},
                            {"buffered", static_cast<std::uint64_t>(queued_bytes_)},
                            {"limit", static_cast<std::uint64_t>(shard_.server().options.max_outbound_bytes)}});
  gaps_.reset();
  close(close_code::slow_consumer, "slow consumer: outbound buffer limit exceeded");
}

SendStatus StreamingSession::drop(Kind kind, std::string_view channel, std::uint64_t seq) {
  shard_.metrics.frames_dropped.add();
  if (!gaps_) gaps_ = std::make_unique<Gaps>();
  if (kind == Kind::push) {
    ++gaps_->pushes;
    return SendStatus::dropped;
  }
  // A channel's messages reach a session in seq order and all of them are dropped while gaps_ exists, so the
  // dropped ones of a channel are one contiguous range.
  auto& ranges = gaps_->channels;
  auto it = std::find_if(ranges.begin(), ranges.end(), [&](const auto& r) { return r.channel == channel; });
  if (it == ranges.end()) {
    ranges.push_back({std::string(channel), seq, seq});
  } else {
    it->to_seq = seq;
  }
  return SendStatus::dropped;
}

void StreamingSession::send_gaps() {
  // Runs from flush() when the buffer is back to half the limit: the gap frames go first, then delivery
  // resumes. Appended past the limit check: they are at most one per followed channel, plus one.
  auto gaps = std::move(gaps_);
  for (const auto& range : gaps->channels) append(protocol::gap_frame(range.channel, range.from_seq, range.to_seq));
  if (gaps->pushes != 0) append(protocol::gap_frame(gaps->pushes));
}

void StreamingSession::close(std::uint16_t code, std::string_view reason) {
  if (close_request_ || finished_) return;
  websocket::close_reason request(code);
  // A close frame's payload is at most 125 bytes: 2 for the code, 123 for the reason.
  request.reason = reason.substr(0, request.reason.max_size());
  close_request_ = request;
  arm_close_deadline();
  start_close();  // The close frame goes into the same buffer, after everything queued before it.
}

void StreamingSession::start_close() {
  ws_.async_close(*close_request_, [self = shared_from_this()](beast::error_code ec) {
    if (ec) self->abort();
  });
}

void StreamingSession::arm_close_deadline() {
  // A peer that neither reads nor answers the close must not hold the session: drop it after the deadline.
  close_deadline_ = std::make_unique<net::steady_timer>(ws_.get_executor());
  close_deadline_->expires_after(shard_.server().options.handshake_timeout);
  close_deadline_->async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec && !self->finished_) self->abort();
  });
}

void StreamingSession::abort() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

CloseReason StreamingSession::reason_for(beast::error_code ec) const {
  using Kind = CloseReason::Kind;
  if (slow_consumer_) return {Kind::slow_consumer, close_code::slow_consumer, "outbound buffer limit exceeded"};
  if (close_request_ && close_request_->code == close_code::idle_timeout) {
    return {Kind::timeout, close_code::idle_timeout, "no request within the idle timeout"};
  }
  if (close_request_) {
    return {Kind::server_closed, static_cast<std::uint16_t>(close_request_->code),
            std::string(close_request_->reason.data(), close_request_->reason.size())};
  }
  if (ec == websocket::error::closed) {
    const auto& r = ws_.reason();
    return {Kind::client_closed, static_cast<std::uint16_t>(r.code), std::string(r.reason.data(), r.reason.size())};
  }
  if (ec == beast::error::timeout) return {Kind::timeout, 1006, "no frame from the client within two heartbeats"};
  if (ec == websocket::error::message_too_big) return {Kind::protocol_error, close_code::too_big, ec.message()};
  if (ec == websocket::error::bad_frame_payload) return {Kind::protocol_error, close_code::invalid_payload, ec.message()};
  if (ec == websocket::condition::protocol_violation) return {Kind::protocol_error, close_code::protocol_error, ec.message()};
  return {Kind::network_error, 1006, ec.message()};
}

void StreamingSession::finish(CloseReason reason) {
  if (finished_) return;
  finished_ = true;
  ws_.next_layer().discard();
  sync_queued_bytes();
  gaps_.reset();
  if (close_deadline_) close_deadline_->cancel();
  if (!registered_) return;
  shard_.metrics.count_close(reason.kind);
  // Clients breaking the protocol are worth an operator's attention; ordinary closes are not.
  shard_.server().log.log(reason.kind == CloseReason::Kind::protocol_error ? LogLevel::info : LogLevel::debug,
                          "session closed",
                          {{"session", id_}, {"user", user_}, {"remote", remote_}, {"reason", to_string(reason.kind)},
                           {"code", std::uint64_t{reason.code}}, {"detail", reason.message}});
  shard_.remove(*this);
  call_app([&] { shard_.server().app->on_close(*this, reason); });
}

void StreamingSession::close_if_idle_since(std::chrono::steady_clock::time_point cutoff) {
  if (last_request_ < cutoff) close(close_code::idle_timeout, "idle timeout: no request received");
}

void StreamingSession::finish_now() {
  abort();
  finish({CloseReason::Kind::server_closed, close_code::going_away, "server stopped"});
}

}  // namespace switchboard::server
