// Connection over Beast: the WebSocket state machine (resolve, connect, handshake, welcome), the read loop,
// the write queue, pending requests and their timeouts, and the close handshake. Contract in connection.hpp.
//
// This is the only translation unit of the client that includes Beast.

#include "client/connection.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <deque>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "client/event_loop.hpp"
#include "client/server_frame.hpp"
#include "protocol/json_writer.hpp"

namespace switchboard::client {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

// {"type":<type>,"id":<id>[,"channel":<channel>][,"message":{"className":...,"data":<data as-is>}]}
std::string request_frame(std::string_view type, std::uint64_t id, const std::string_view* channel,
                          const Message* message) {
  std::string out;
  out.reserve(64 + (channel ? channel->size() : 0) +
              (message ? message->class_name.size() + message->data.size() : 0));
  out.append("{\"type\":");
  protocol::append_json_string(out, type);
  out.append(",\"id\":");
  protocol::append_uint(out, id);
  if (channel) {
    out.append(",\"channel\":");
    protocol::append_json_string(out, *channel);
  }
  if (message) {
    out.append(",\"message\":{\"className\":");
    protocol::append_json_string(out, message->class_name);
    out.append(",\"data\":");
    out.append(message->data);  // Already JSON text; sent exactly as given.
    out.push_back('}');
  }
  out.push_back('}');
  return out;
}

// A WebSocket close reason holds at most 123 bytes; cut longer ones at a UTF-8 character boundary.
std::string_view clamp_reason(std::string_view reason) {
  constexpr std::size_t kMax = 123;
  if (reason.size() <= kMax) return reason;
  std::size_t n = kMax;
  while (n > 0 && (static_cast<unsigned char>(reason[n]) & 0xC0) == 0x80) --n;
  return reason.substr(0, n);
}

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// The Beast implementation of Connection (contract in connection.hpp). Thread: members marked "any thread"
// may be called from anywhere; everything else, and all data members not marked atomic, are touched only on
// the loop thread.
class WebSocketConnection final : public Connection, public std::enable_shared_from_this<WebSocketConnection> {
 public:
  WebSocketConnection(EventLoop::Impl& loop, const Options& options, Callbacks callbacks)
      : loop_(loop),
        options_(options),
        callbacks_(std::move(callbacks)),
        resolver_(loop.context()),
        ws_(loop.context()),
        deadline_(loop.context()),
        sweep_(loop.context()) {}

  // Any thread.
  std::future<Welcome> start() override {
    auto welcome = welcome_.get_future();
    net::post(loop_.context(), [self = shared_from_this()] { self->resolve(); });
    return welcome;
  }

  // Any thread. Sends a request with a fresh id; the future settles with its reply, "timeout" or "closed".
  std::future<Reply> request(std::string_view type, const std::string_view* channel,
                             const Message* message) override {
    const std::uint64_t id = next_id_.fetch_add(1, std::memory_order_relaxed);
    std::promise<Reply> reply;
    auto future = reply.get_future();
    net::post(loop_.context(), [self = shared_from_this(), id, frame = request_frame(type, id, channel, message),
                                reply = std::move(reply)]() mutable {
      self->submit(id, std::move(frame), std::move(reply));
    });
    return future;
  }

  // Any thread. Queues a raw frame; dropped unless the connection is open.
  void send_raw(std::string bytes, bool text) override {
    net::post(loop_.context(), [self = shared_from_this(), bytes = std::move(bytes), text]() mutable {
      if (self->state_ == State::open) self->enqueue({text ? Outgoing::text : Outgoing::binary, std::move(bytes), {}});
    });
  }

  // Any thread. Starts the close handshake after the queued writes; settles when the connection has ended.
  std::future<Closed> close(std::uint16_t code, std::string_view reason) override {
    std::promise<Closed> closed;
    auto future = closed.get_future();
    websocket::close_reason cr;
    cr.code = code;
    cr.reason = clamp_reason(reason);
    net::post(loop_.context(), [self = shared_from_this(), cr, closed = std::move(closed)]() mutable {
      self->begin_close(cr, std::move(closed));
    });
    return future;
  }

  // Any thread.
  void abort() override {
    net::post(loop_.context(), [self = shared_from_this()] { self->drop(); });
  }

  // Any thread. Silences every callback and drops the connection. Blocks until that has happened on the loop
  // thread, so that no callback runs once this returns; runs inline when called on the loop thread.
  void shutdown() override {
    auto work = [self = shared_from_this()] {
      self->silenced_ = true;
      self->drop();
    };
    if (loop_.on_loop_thread()) return work();
    std::promise<void> done;
    net::post(loop_.context(), [&work, &done] {
      work();
      done.set_value();
    });
    done.get_future().wait();
  }

  // Any thread.
  bool is_open() const noexcept override { return open_.load(std::memory_order_acquire); }
  bool ended() const noexcept override { return ended_.load(std::memory_order_acquire); }

 private:
  enum class State { idle, connecting, open, closing, closed };

  struct Outgoing {
    enum Kind { text, binary, close } kind;
    std::string bytes;
    websocket::close_reason reason;  // For kind == close.
  };

  std::string where() const { return options_.host + ":" + std::to_string(options_.port); }

  // --- connecting ----------------------------------------------------------------------------------------------

  void resolve() {
    state_ = State::connecting;
    deadline_.expires_after(options_.timeout);
    deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && self->state_ == State::connecting) {
        self->timed_out_ = true;
        self->drop();  // The pending resolve, connect, handshake or read fails and reports the timeout.
      }
    });
    resolver_.async_resolve(options_.host, std::to_string(options_.port),
                            [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type results) {
                              self->on_resolve(ec, results);
                            });
  }

  void on_resolve(beast::error_code ec, const tcp::resolver::results_type& results) {
    if (!ec && dropped_) ec = net::error::operation_aborted;  // Timed out or aborted as the resolve succeeded.
    if (ec) return fail_connect(ec, "cannot resolve " + options_.host);
    beast::get_lowest_layer(ws_).async_connect(
        results, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) { self->on_connect(ec); });
  }

  void on_connect(beast::error_code ec) {
    if (!ec && dropped_) ec = net::error::operation_aborted;
    if (ec) return fail_connect(ec, "cannot connect to " + where());
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ignored);
    ws_.read_message_max(options_.max_message_bytes);
    ws_.auto_fragment(false);  // One frame per message, so tests see the frames they asked for.
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::request_type& req) { req.set(http::field::user_agent, "switchboard-client"); }));
    // The Host header; an IPv6 literal needs brackets.
    std::string host = options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host;
    host += ":" + std::to_string(options_.port);
    ws_.async_handshake(response_, host, options_.target,
                        [self = shared_from_this()](beast::error_code ec) { self->on_handshake(ec); });
  }

  void on_handshake(beast::error_code ec) {
    if (!ec && dropped_) ec = net::error::operation_aborted;
    if (ec == websocket::error::upgrade_declined) {
      std::string what = "WebSocket upgrade of " + where() + options_.target + " refused: HTTP " +
                         std::to_string(response_.result_int()) + " " + std::string(response_.reason());
      std::string_view body(response_.body());
      body = body.substr(0, 200);
      while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.remove_suffix(1);
      if (!body.empty()) what += " (" + std::string(body) + ")";
      return fail_connect(ec, what);
    }
    if (ec) return fail_connect(ec, "WebSocket handshake with " + where() + " failed");
    response_ = {};
    read();  // The first frame must be the welcome; handle_text() completes the connect.
  }

  // Settles start()'s future with an error, once, and drops the connection.
  void fail_connect(beast::error_code ec, const std::string& what) {
    if (state_ != State::connecting) return;
    state_ = State::closed;
    closed_ = Closed{};
    drop();
    deadline_.cancel();
    ended_.store(true, std::memory_order_release);
    if (timed_out_) {
      welcome_.set_exception(std::make_exception_ptr(std::system_error(
          std::make_error_code(std::errc::timed_out),
          "connect to " + where() + " timed out after " + std::to_string(options_.timeout.count()) + " ms")));
    } else {
      welcome_.set_exception(std::make_exception_ptr(std::system_error(std::error_code(ec), what)));
    }
    settle_close_waiters();
  }

  // --- reading ---------------------------------------------------------------------------------------------------

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return on_read_end(ec);
    if (ws_.got_text()) {
      const auto data = buffer_.cdata();
      handle_text(std::string_view(static_cast<const char*>(data.data()), data.size()));
    }
    // Binary frames are not part of the protocol from the server; they are dropped.
    buffer_.consume(buffer_.size());
    if (state_ == State::closed) return;  // The first frame was not a welcome; fail_connect() ran.
    read();  // After drop() this fails at once and ends the loop through on_read_end().
  }

  // The read loop is over: a close frame arrived (ws_.reason() holds it), or the connection failed.
  void on_read_end(beast::error_code ec) {
    Closed closed;  // 1006 unless the server sent a close frame.
    const websocket::close_reason& cr = ws_.reason();
    if (cr.code != websocket::close_code::none) {
      closed.code = cr.code;
      closed.reason.assign(cr.reason.data(), cr.reason.size());
    }
    if (state_ == State::connecting) {
      std::string what = "connection to " + where() + " ended before the welcome frame";
      if (cr.code != websocket::close_code::none) {
        what += " (close " + std::to_string(closed.code) + " " + closed.reason + ")";
      }
      return fail_connect(ec, what);
    }
    finish(std::move(closed));
  }

  void handle_text(std::string_view text) {
    if (state_ == State::closed) return;
    if (!silenced_ && callbacks_.on_frame) callbacks_.on_frame(text);
    std::string error;
    std::optional<ServerFrame> frame = loop_.decoder().decode(text, error);
    if (state_ == State::connecting) return on_first_frame(std::move(frame), error, text);
    if (!frame) return emit_error(Reply{"bad_frame", error, 0});
    std::visit(Overloaded{
                   [&](Welcome&) { emit_error(Reply{"bad_frame", "a second welcome frame", 0}); },
                   [&](AckFrame& ack) { settle(ack.id, Reply{"", "", ack.seq}); },
                   [&](ErrorFrame& e) {
                     Reply reply{std::move(e.code), std::move(e.message), 0};
                     // An error whose id matches no pending request (late, or from send_text) is still
                     // worth seeing: it goes to on_error like an error without id.
                     if (!e.id || !settle(*e.id, reply)) emit_error(reply);
                   },
                   [&](ChannelMessage& m) {
                     if (!silenced_ && callbacks_.on_message) callbacks_.on_message(m);
                   },
                   [&](Push& p) {
                     if (!silenced_ && callbacks_.on_push) callbacks_.on_push(p);
                   },
                   [&](Gap& g) {
                     if (!silenced_ && callbacks_.on_gap) callbacks_.on_gap(g);
                   },
                   [&](PongFrame& pong) {
                     if (pong.id) settle(*pong.id, Reply{});
                   },
               },
               *frame);
  }

  void on_first_frame(std::optional<ServerFrame> frame, const std::string& error, std::string_view text) {
    if (!frame || !std::holds_alternative<Welcome>(*frame)) {
      const std::string why = frame ? "is not a welcome: " + std::string(text.substr(0, 200)) : "is bad: " + error;
      return fail_connect(make_error_code(beast::errc::protocol_error), "the server's first frame " + why);
    }
    state_ = State::open;
    open_.store(true, std::memory_order_release);
    deadline_.cancel();
    welcome_.set_value(std::get<Welcome>(std::move(*frame)));
  }

  void emit_error(const Reply& reply) {
    if (!silenced_ && callbacks_.on_error) callbacks_.on_error(reply);
  }

  // --- requests --------------------------------------------------------------------------------------------------

  void submit(std::uint64_t id, std::string frame, std::promise<Reply> reply) {
    if (state_ != State::open) {
      const char* why = state_ == State::idle || state_ == State::connecting ? "not connected" : "connection closed";
      return reply.set_value(Reply{"closed", why, 0});
    }
    // Deadlines are in submission order (one timeout for all), so one timer for the oldest one suffices.
    // Entries whose request already settled are dropped from the front as we go.
    while (!deadlines_.empty() && !pending_.contains(deadlines_.front().second)) deadlines_.pop_front();
    pending_.emplace(id, std::move(reply));
    deadlines_.emplace_back(std::chrono::steady_clock::now() + options_.timeout, id);
    if (!sweep_armed_) arm_sweep();
    enqueue({Outgoing::text, std::move(frame), {}});
  }

  // Settles request `id` if it is pending; returns whether it was.
  bool settle(std::uint64_t id, Reply reply) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return false;
    it->second.set_value(std::move(reply));
    pending_.erase(it);
    return true;
  }

  void arm_sweep() {
    sweep_armed_ = !deadlines_.empty();
    if (!sweep_armed_) return;
    sweep_.expires_at(deadlines_.front().first);
    sweep_.async_wait([self = shared_from_this()](beast::error_code ec) { self->on_sweep(ec); });
  }

  void on_sweep(beast::error_code ec) {
    sweep_armed_ = false;
    if (ec || state_ == State::closed) return;
    const auto now = std::chrono::steady_clock::now();
    while (!deadlines_.empty() && deadlines_.front().first <= now) {
      settle(deadlines_.front().second,
             Reply{"timeout", "no reply within " + std::to_string(options_.timeout.count()) + " ms", 0});
      deadlines_.pop_front();
    }
    arm_sweep();
  }

  // --- writing ---------------------------------------------------------------------------------------------------

  // Beast allows one async_write at a time, so frames wait here. The queue is not capped: callers that need
  // backpressure wait on their replies' futures.
  void enqueue(Outgoing out) {
    writes_.push_back(std::move(out));
    if (!writing_) write_next();
  }

  void write_next() {
    writing_ = !writes_.empty() && state_ != State::closed;
    if (!writing_) return;
    Outgoing& out = writes_.front();
    if (out.kind == Outgoing::close) {
      // The server may have closed first; Beast then already answered its close frame, and the read loop is
      // about to end the connection.
      if (!ws_.is_open()) {
        writes_.clear();
        writing_ = false;
        return;
      }
      ws_.async_close(out.reason, [self = shared_from_this()](beast::error_code ec) { self->on_write(ec); });
      return;
    }
    ws_.text(out.kind == Outgoing::text);
    ws_.async_write(net::buffer(out.bytes),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(beast::error_code ec) {
    writes_.pop_front();  // The frame in flight stays queued until here: Beast reads from it.
    if (state_ == State::closed) {
      writes_.clear();
      writing_ = false;
      return;
    }
    // A failed write (or close) means the connection is gone; the read loop sees that and finishes.
    if (ec) {
      drop();
      writing_ = false;
      return;
    }
    write_next();
  }

  // --- closing ---------------------------------------------------------------------------------------------------

  void begin_close(const websocket::close_reason& cr, std::promise<Closed> closed) {
    if (state_ == State::closed) return closed.set_value(*closed_);
    close_waiters_.push_back(std::move(closed));
    if (state_ == State::closing) return;
    if (state_ != State::open) return drop();  // Still connecting: give up on it.
    state_ = State::closing;
    open_.store(false, std::memory_order_release);
    // If the server does not answer the close frame in time, drop the connection (1006).
    deadline_.expires_after(options_.timeout);
    deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && self->state_ == State::closing) self->drop();
    });
    enqueue({Outgoing::close, {}, cr});
  }

  // Closes the socket at once; pending operations then fail and the read loop ends the connection.
  void drop() {
    dropped_ = true;
    resolver_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  // The connection has ended: runs once, on the loop thread.
  void finish(Closed closed) {
    if (state_ == State::closed) return;
    state_ = State::closed;
    open_.store(false, std::memory_order_release);
    ended_.store(true, std::memory_order_release);
    closed_ = closed;
    drop();  // A read error other than a close frame may leave the socket open.
    deadline_.cancel();
    sweep_.cancel();
    // The frame being written (if any) must outlive its async_write; on_write() clears the rest later.
    if (writes_.size() > 1) writes_.erase(writes_.begin() + 1, writes_.end());
    if (!writing_) writes_.clear();
    // on_close first, so that whoever waits on a future below sees on_close's effects.
    if (!silenced_ && callbacks_.on_close) callbacks_.on_close(closed);
    for (auto& [id, reply] : pending_) reply.set_value(Reply{"closed", "connection closed before the reply", 0});
    pending_.clear();
    deadlines_.clear();
    settle_close_waiters();
  }

  void settle_close_waiters() {
    for (auto& waiter : close_waiters_) waiter.set_value(*closed_);
    close_waiters_.clear();
  }

  EventLoop::Impl& loop_;
  const Options options_;
  Callbacks callbacks_;
  bool silenced_ = false;  // Set by shutdown(): no callback runs after that.

  tcp::resolver resolver_;
  websocket::stream<beast::tcp_stream> ws_;
  websocket::response_type response_;  // The HTTP answer to the upgrade; read when it was refused.
  beast::flat_buffer buffer_;
  net::steady_timer deadline_;  // Bounds connect (through the welcome) and the close handshake.
  net::steady_timer sweep_;     // Fires at the oldest request deadline.

  State state_ = State::idle;
  bool timed_out_ = false;
  bool dropped_ = false;  // drop() ran: a connect step that still succeeds must not go on.
  std::promise<Welcome> welcome_;
  std::optional<Closed> closed_;  // Set when state_ becomes closed.
  std::vector<std::promise<Closed>> close_waiters_;

  std::unordered_map<std::uint64_t, std::promise<Reply>> pending_;
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::uint64_t>> deadlines_;
  bool sweep_armed_ = false;

  std::deque<Outgoing> writes_;
  bool writing_ = false;

  std::atomic<bool> open_{false};          // Any thread: welcome received, close not begun, not ended.
  std::atomic<bool> ended_{false};         // Any thread: the connection is over (or never came up).
  std::atomic<std::uint64_t> next_id_{1};  // Any thread: request ids, from 1.
};

}  // namespace

std::shared_ptr<Connection> make_connection(EventLoop::Impl& loop, const Options& options, Callbacks callbacks) {
  return std::make_shared<WebSocketConnection>(loop, options, std::move(callbacks));
}

}  // namespace switchboard::client
