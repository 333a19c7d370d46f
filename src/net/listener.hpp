#pragma once
// Listener: accepts TCP connections on the first shard's loop and deals them round-robin to the shards,
// each connection's socket created directly on its shard's io_context.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <vector>

namespace switchboard::server {

class Shard;

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; throws std::system_error when the endpoint cannot be bound.
  Listener(const std::vector<std::unique_ptr<Shard>>& shards, const boost::asio::ip::tcp::endpoint& endpoint);
  std::uint16_t port() const;
  void run();
  // Stops accepting; safe from any thread.
  void stop();

 private:
  void do_accept();

  const std::vector<std::unique_ptr<Shard>>& shards_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;  // Pauses accepting after an error such as EMFILE.
  std::size_t next_ = 0;
};

}  // namespace switchboard::server
