#pragma once
// StreamingSession: the server side of one WebSocket connection, from the upgrade to the last byte.
//
// Lifetime: owned by its pending asynchronous operations (shared_from_this), so it dies exactly when its
// connection is gone and the last handler returned. Its shard holds only a non-owning pointer, removed in
// finish() before that can happen. Every member runs on the shard's thread.
//
// Writes: every outbound frame is appended to the connection's CorkedStream (one buffer, no allocation per
// frame) and the shard flushes each written-to session once per loop iteration, one send() for all its frames.
// What the kernel has not taken is bounded by Options::max_outbound_bytes; a session past it is a slow
// consumer, handled by Options::slow_consumer_policy: closed with 4008, or its channel messages and pushes are
// dropped until the buffer is half empty and then reported in "gap" frames. Replies (ack, error, pong) are
// never dropped.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <any>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/corked_stream.hpp"
#include "server/connection_limits.hpp"
#include "session/token_bucket.hpp"
#include "switchboard/error.hpp"
#include "switchboard/session.hpp"

namespace switchboard::server {

class Shard;

class StreamingSession final : public Session,
                               public std::enable_shared_from_this<StreamingSession>,
                               private CorkedStream::Listener {
 public:
  StreamingSession(boost::asio::ip::tcp::socket&& socket, Shard& shard, std::string user, std::string remote,
                   ConnectionLimits::Slot slot);
  ~StreamingSession() override;

  // Completes the WebSocket upgrade of `request`, then sends the welcome and starts reading.
  void run(boost::beast::http::request<boost::beast::http::string_body> request);

  // Session
  SessionId id() const noexcept override { return id_; }
  const std::string& user() const noexcept override { return user_; }
  const std::string& remote() const noexcept override { return remote_; }
  std::any& data() noexcept override { return data_; }
  std::vector<std::string> channels() const override;
  std::vector<std::string> groups() const override;
  bool join_group(std::string_view group) override;
  void leave_group(std::string_view group) override;
  SendStatus send(const Message& message) override;
  std::size_t buffered_bytes() const noexcept override { return queued_bytes_; }
  void close(std::uint16_t code, std::string_view reason) override;

  // What a queued frame is, for the slow-consumer policy: only channel messages and pushes may be dropped.
  enum class Kind : std::uint8_t { reply, message, push };
  // Queues a frame unless the session is closing or past its limit. `channel` and `seq` describe a message.
  SendStatus enqueue(std::string_view frame, Kind kind = Kind::reply, std::string_view channel = {},
                     std::uint64_t seq = 0);
  // The shard's flush turn (once per loop iteration after a write): hands what was queued to the kernel.
  void flush_turn();
  // Drops the connection at once; finish() follows from the failing read.
  void abort();
  // Runs the closing steps now (used at shutdown, when the loop is about to stop).
  void finish_now();
  // Closes the session with 4002 when its last request is older than `cutoff` (Options::idle_timeout).
  void close_if_idle_since(std::chrono::steady_clock::time_point cutoff);

 private:
  void on_accept(boost::beast::error_code ec);
  static constexpr std::size_t kFirstRead = 64;  // See do_read().
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void handle_text(std::string_view text);
  void reply(std::string_view frame) { enqueue(frame); }
  void append(std::string_view frame);  // Queues without a limit check.
  // CorkedStream::Listener: schedules a flush when the buffer is no longer empty; buffers from the shard's pool.
  void on_output() override;
  std::string take_buffer() override;
  void give_back(std::string buffer) override;
  void flush();  // Sends what the socket takes now; waits for it to drain when full.
  void on_writable(boost::beast::error_code ec);
  void sync_queued_bytes();  // Keeps queued_bytes_ and the loop's outbound_bytes gauge in step with the stream.
  void slow_consumer();
  SendStatus drop(Kind kind, std::string_view channel, std::uint64_t seq);
  void send_gaps();
  void reply_error(std::optional<std::uint64_t> id, error code, std::string_view message);
  void start_close();
  void arm_close_deadline();
  CloseReason reason_for(boost::beast::error_code ec) const;
  void finish(CloseReason reason);
  // Runs application code. An exception escaping it must not take the event loop down: the session is
  // closed with 1011 (internal error) instead.
  template <class F>
  void call_app(F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      application_failed(e.what());
    } catch (...) {
      application_failed("an exception not derived from std::exception");
    }
  }
  void application_failed(std::string_view what);

  boost::beast::websocket::stream<CorkedStream> ws_;
  boost::beast::flat_buffer buffer_;
  Shard& shard_;
  const SessionId id_;
  const std::string user_;
  const std::string remote_;
  std::any data_;
  ConnectionLimits::Slot slot_;  // Options::max_connections*: released with this object.
  TokenBucket publish_bucket_;   // Options::publish_rate.
  std::chrono::steady_clock::time_point last_request_;  // Set only when Options::idle_timeout is on.

  std::size_t queued_bytes_ = 0;  // ws_.next_layer().pending() as of the last sync_queued_bytes().
  bool flush_scheduled_ = false;  // Scheduled with the loop's FlushScheduler.
  bool waiting_writable_ = false;  // The socket was full: a wait for it to take more is pending.

  // Closing: once close is requested nothing more is queued; the close frame goes after what is queued.
  std::optional<boost::beast::websocket::close_reason> close_request_;
  bool slow_consumer_ = false;

  // SlowConsumerPolicy::drop: what was dropped since the queue filled up. Allocated only then; while it exists
  // every message and push is dropped too, so that the gap frames come before anything newer.
  struct Gaps {
    struct Range {
      std::string channel;
      std::uint64_t from_seq, to_seq;
    };
    std::vector<Range> channels;
    std::uint64_t pushes = 0;
  };
  std::unique_ptr<Gaps> gaps_;
  std::unique_ptr<boost::asio::steady_timer> close_deadline_;  // Allocated only when closing.

  bool registered_ = false;  // In the shard's registry and hooks run: on_close is owed.
  bool finished_ = false;
};

}  // namespace switchboard::server
