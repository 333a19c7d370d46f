#pragma once
// CorkedStream: the layer under beast::websocket::stream on a server connection. It owns the write path:
// nothing written to it is sent at once. Bytes collect in one buffer per connection and leave with one send()
// when the session flushes, which its shard does once per loop iteration (or at once past kFlushAt).
//
// Why not Beast's write path: with one websocket::stream::async_write per frame, bench/ scenario S1 spent 79%
// of the server's core in the kernel's sendmsg path, one call (and one TCP segment) per frame per subscriber,
// and an Asio composed operation per frame on top. Batching every frame a connection gets in one loop
// iteration into one send() is what uWebSockets calls corking; here it is the only write path.
//
// Beast still writes its own frames (the 101 response, pongs, keep-alive pings, the close frame) through
// async_write_some, which appends and completes without waiting. The session appends its data frames with
// append_text(), framed here. Both go into the same buffer in call order, whole frames at a time, so frames never
// interleave and Beast's write state is untouched (it never sees a data frame).

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace switchboard::server {

class CorkedStream {
 public:
  using socket_type = boost::asio::ip::tcp::socket;
  using executor_type = socket_type::executor_type;

  // Told when the buffer stops being empty, so that a flush gets scheduled; and lends the buffers, so that a
  // connection written to in every loop iteration does not allocate and free one each time.
  class Listener {
   public:
    virtual void on_output() = 0;
    virtual std::string take_buffer() = 0;           // An empty string, with capacity if one is spare.
    virtual void give_back(std::string buffer) = 0;  // Sent: cleared, its capacity is the listener's again.

   protected:
    ~Listener() = default;
  };

  // Past this many unsent bytes the owner flushes at once instead of at the end of the loop iteration: a burst
  // within one handler must not pile up in memory while the kernel would take it.
  static constexpr std::size_t kFlushAt = 64 * 1024;

  explicit CorkedStream(socket_type&& socket) : socket_(std::move(socket)) {}
  // Best effort: what still waits (say, the response refusing an upgrade) is sent if the socket takes it now.
  ~CorkedStream();
  CorkedStream(const CorkedStream&) = delete;
  CorkedStream& operator=(const CorkedStream&) = delete;

  executor_type get_executor() noexcept { return socket_.get_executor(); }
  socket_type& socket() noexcept { return socket_; }
  void set_listener(Listener* listener) noexcept { listener_ = listener; }

  // Appends one unmasked, unfragmented WebSocket text frame (RFC 6455 5.2) holding `payload`.
  void append_text(std::string_view payload);
  // Bytes appended and not yet taken by the kernel.
  std::size_t pending() const noexcept { return out_.size() - sent_; }
  // Sends what the socket takes without blocking. Adds the bytes sent to `sent` and the send() calls made to
  // `calls`. Returns success when nothing is left, boost::asio::error::would_block when the socket is full, or
  // the socket's error.
  boost::beast::error_code flush(std::size_t& sent, std::size_t& calls);
  // Forgets what was not sent (the connection is gone) and gives the buffer back.
  void discard();

  // AsyncReadStream: reads go straight to the socket.
  template <class MutableBufferSequence, class ReadHandler>
  auto async_read_some(const MutableBufferSequence& buffers, ReadHandler&& handler) {
    return socket_.async_read_some(buffers, std::forward<ReadHandler>(handler));
  }

  // AsyncWriteStream: takes every byte at once (so a Beast frame is never split) and completes as a post.
  template <class ConstBufferSequence, class WriteHandler>
  void async_write_some(const ConstBufferSequence& buffers, WriteHandler&& handler) {
    std::size_t bytes = 0;
    for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
      const boost::asio::const_buffer b(*it);
      append(std::string_view(static_cast<const char*>(b.data()), b.size()));
      bytes += b.size();
    }
    boost::asio::post(get_executor(), boost::beast::bind_front_handler(std::forward<WriteHandler>(handler),
                                                                       boost::beast::error_code{}, bytes));
  }

 private:
  void append(std::string_view head, std::string_view body = {});

  socket_type socket_;
  std::string out_;       // out_[sent_..] waits for the kernel.
  std::size_t sent_ = 0;
  Listener* listener_ = nullptr;
};

// Beast's customization points (found by argument-dependent lookup).
void beast_close_socket(CorkedStream& stream);
void teardown(boost::beast::role_type role, CorkedStream& stream, boost::beast::error_code& ec);

namespace detail {
// Sends what waits (the close frame at least), then tears the socket down the way Beast does for a plain socket.
struct CorkedTeardownOp {
  boost::beast::role_type role;
  CorkedStream& stream;
  enum { start, draining, tearing_down } state = start;

  template <class Self>
  void operator()(Self& self, boost::beast::error_code ec = {}) {
    if (state == start) {
      state = draining;  // Never complete inside the initiating call.
      return boost::asio::post(stream.get_executor(), std::move(self));
    }
    if (state == draining) {
      std::size_t sent = 0, calls = 0;
      if (!ec) ec = stream.flush(sent, calls);
      if (ec == boost::asio::error::would_block) {
        return stream.socket().async_wait(CorkedStream::socket_type::wait_write, std::move(self));
      }
      if (!ec) {
        state = tearing_down;
        return boost::beast::websocket::async_teardown(role, stream.socket(), std::move(self));
      }
    }
    self.complete(ec);
  }
};
}  // namespace detail

template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, CorkedStream& stream, TeardownHandler&& handler) {
  boost::asio::async_compose<TeardownHandler, void(boost::beast::error_code)>(detail::CorkedTeardownOp{role, stream},
                                                                             handler, stream.socket());
}

}  // namespace switchboard::server
