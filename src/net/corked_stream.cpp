#include "net/corked_stream.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

namespace switchboard::server {

namespace {
// A new buffer starts with room for a few dozen typical frames, so a busy iteration does not grow it by doubling.
constexpr std::size_t kInitialCapacity = 4096;
}  // namespace

CorkedStream::~CorkedStream() {
  if (pending() != 0 && socket_.is_open()) {
    std::size_t bytes = 0, calls = 0;
    flush(bytes, calls);
  }
}

void CorkedStream::append(std::string_view head, std::string_view body) {
  const bool was_empty = pending() == 0;
  if (out_.empty()) {
    // Holding no buffer (a std::string's inline capacity is all it has): borrow one.
    if (out_.capacity() < kInitialCapacity && listener_) out_ = listener_->take_buffer();
    out_.reserve(std::max(kInitialCapacity, head.size() + body.size()));
  }
  out_.append(head);
  out_.append(body);
  if (was_empty && listener_) listener_->on_output();
}

void CorkedStream::append_text(std::string_view payload) {
  // Server frames are never masked; FIN set, opcode 1 (text). Length: 7 bits, or 126 + 16 bits, or 127 + 64 bits,
  // in network byte order.
  char header[10];
  std::size_t size = 2;
  const std::uint64_t n = payload.size();
  header[0] = static_cast<char>(0x81);
  if (n < 126) {
    header[1] = static_cast<char>(n);
  } else if (n <= 0xffff) {
    header[1] = 126;
    header[2] = static_cast<char>(n >> 8);
    header[3] = static_cast<char>(n);
    size = 4;
  } else {
    header[1] = 127;
    for (int i = 0; i < 8; ++i) header[2 + i] = static_cast<char>(n >> (56 - 8 * i));
    size = 10;
  }
  append(std::string_view(header, size), payload);
}

boost::beast::error_code CorkedStream::flush(std::size_t& sent, std::size_t& calls) {
  while (sent_ < out_.size()) {
    // MSG_DONTWAIT: never block the loop, whatever mode Asio left the descriptor in. MSG_NOSIGNAL: a peer that
    // went away is an EPIPE here, not a SIGPIPE for the process.
    const ssize_t n = ::send(socket_.native_handle(), out_.data() + sent_, out_.size() - sent_,
                             MSG_DONTWAIT | MSG_NOSIGNAL);
    ++calls;
    if (n >= 0) {
      sent_ += static_cast<std::size_t>(n);
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      // Keep the buffer from growing with sent bytes: move the rest to the front once they are most of it.
      if (2 * sent_ >= out_.size()) {
        out_.erase(0, sent_);
        sent_ = 0;
      }
      return boost::asio::error::would_block;
    }
    return {errno, boost::system::system_category()};
  }
  // Everything went out: the buffer goes back to the listener, so an idle connection holds none.
  discard();
  return {};
}

void CorkedStream::discard() {
  sent_ = 0;
  out_.clear();
  if (out_.capacity() >= kInitialCapacity && listener_) listener_->give_back(std::move(out_));
  out_ = std::string();
}

void beast_close_socket(CorkedStream& stream) {
  boost::beast::error_code ignored;
  stream.socket().close(ignored);
}

void teardown(boost::beast::role_type role, CorkedStream& stream, boost::beast::error_code& ec) {
  std::size_t bytes = 0, calls = 0;
  stream.flush(bytes, calls);
  boost::beast::websocket::teardown(role, stream.socket(), ec);
}

}  // namespace switchboard::server
