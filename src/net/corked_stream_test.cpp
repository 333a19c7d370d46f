// CorkedStream over a real loopback TCP connection: frame headers at every length boundary, call order kept
// between appended frames and Beast-style async_write_some bytes, nothing sent before flush(), would_block
// once the socket is full, and the buffer lent by the listener given back once sent.
#include "net/corked_stream.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>

#include <string>
#include <vector>

namespace switchboard::server {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Pair {
  net::io_context io;
  tcp::socket server{io}, client{io};
  Pair() {
    tcp::acceptor acceptor(io, {net::ip::address_v4::loopback(), 0});
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }
  // Reads exactly n bytes on the client side.
  std::string read(std::size_t n) {
    std::string out(n, '\0');
    net::read(client, net::buffer(out));
    return out;
  }
};

struct CountingListener : CorkedStream::Listener {
  void on_output() override { ++outputs; }
  std::string take_buffer() override {
    ++taken;
    return {};
  }
  void give_back(std::string buffer) override {
    EXPECT_TRUE(buffer.empty());
    returned_capacity = buffer.capacity();
  }
  int outputs = 0, taken = 0;
  std::size_t returned_capacity = 0;
};

// The header a server frame of `n` payload bytes must have (RFC 6455 5.2: FIN + text, unmasked, minimal length).
std::string expected_header(std::size_t n) {
  std::string h = "\x81";
  if (n < 126) return h + static_cast<char>(n);
  if (n <= 0xffff) return h + '\x7e' + static_cast<char>(n >> 8) + static_cast<char>(n & 0xff);
  h += '\x7f';
  for (int i = 7; i >= 0; --i) h += static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * i)) & 0xff);
  return h;
}

TEST(CorkedStreamTest, FramesEveryLengthEncodingAndSendsThemInOrderOnFlush) {
  Pair p;
  CorkedStream stream(std::move(p.server));
  CountingListener listener;
  stream.set_listener(&listener);
  std::string expected;
  for (std::size_t n : {0u, 1u, 125u, 126u, 127u, 65535u, 65536u, 70000u}) {
    const std::string payload(n, static_cast<char>('a' + n % 26));
    stream.append_text(payload);
    expected += expected_header(n) + payload;
  }
  EXPECT_EQ(listener.outputs, 1);  // Told once, when the buffer stopped being empty.
  EXPECT_EQ(listener.taken, 1);
  EXPECT_EQ(stream.pending(), expected.size());
  p.client.non_blocking(true);
  char probe;
  boost::system::error_code ec;
  p.client.read_some(net::buffer(&probe, 1), ec);
  EXPECT_EQ(ec, net::error::would_block) << "nothing may leave before flush()";
  p.client.non_blocking(false);

  std::size_t sent = 0, calls = 0;
  // 200 KB may take more than one send() and a little while to drain on the reading side.
  std::string received;
  while (true) {
    const auto result = stream.flush(sent, calls);
    received += p.read(sent - received.size());
    if (!result) break;
    ASSERT_EQ(result, net::error::would_block);
  }
  EXPECT_EQ(received, expected);
  EXPECT_EQ(sent, expected.size());
  EXPECT_GE(calls, 1u);
  EXPECT_EQ(stream.pending(), 0u);
  EXPECT_GE(listener.returned_capacity, expected.size());  // The buffer went back to the listener.
}

TEST(CorkedStreamTest, BeastStyleWritesAndAppendedFramesKeepCallOrderAndCompleteWithoutWaiting) {
  Pair p;
  CorkedStream stream(std::move(p.server));
  stream.append_text("one");
  bool completed = false;
  const std::string ping("\x89\x00", 2);  // what Beast writes for a keep-alive ping
  stream.async_write_some(net::buffer(ping), [&](boost::system::error_code ec, std::size_t n) {
    EXPECT_FALSE(ec);
    EXPECT_EQ(n, 2u);
    completed = true;
  });
  EXPECT_FALSE(completed) << "the handler must not run inside the initiating call";
  stream.append_text("two");
  p.io.poll();
  EXPECT_TRUE(completed);
  std::size_t sent = 0, calls = 0;
  ASSERT_FALSE(stream.flush(sent, calls));
  EXPECT_EQ(calls, 1u);
  EXPECT_EQ(p.read(sent), std::string("\x81\x03one") + ping + "\x81\x03two");
}

TEST(CorkedStreamTest, AFullSocketReportsWouldBlockAndKeepsTheRestInOrder) {
  Pair p;
  const int small = 4096;
  p.server.set_option(net::socket_base::send_buffer_size(small));
  p.client.set_option(net::socket_base::receive_buffer_size(small));
  CorkedStream stream(std::move(p.server));
  std::string expected;
  for (int i = 0; i < 2000; ++i) {
    const auto payload = std::to_string(i) + std::string(100, '.');
    stream.append_text(payload);
    expected += expected_header(payload.size()) + payload;
  }
  std::size_t sent = 0, calls = 0;
  EXPECT_EQ(stream.flush(sent, calls), net::error::would_block);  // 200 KB into a few KB of kernel buffers
  EXPECT_LT(sent, expected.size());
  EXPECT_EQ(stream.pending(), expected.size() - sent);
  std::string received = p.read(sent);
  while (stream.pending() != 0) {
    const auto before = sent;
    const auto result = stream.flush(sent, calls);
    ASSERT_TRUE(!result || result == net::error::would_block) << result.message();
    received += p.read(sent - before);
  }
  EXPECT_EQ(received, expected);
}

}  // namespace
}  // namespace switchboard::server
