#include "net/listener.hpp"

#include <boost/asio/post.hpp>

#include "net/http_session.hpp"
#include "server/server_impl.hpp"
#include "server/shard.hpp"

namespace switchboard::server {

namespace net = boost::asio;

Listener::Listener(const std::vector<std::unique_ptr<Shard>>& shards, const net::ip::tcp::endpoint& endpoint)
    : shards_(shards), acceptor_(shards.front()->io()), retry_(shards.front()->io()) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

std::uint16_t Listener::port() const { return acceptor_.local_endpoint().port(); }

void Listener::run() { do_accept(); }

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_.cancel();
  });
}

void Listener::do_accept() {
  Shard& shard = *shards_[next_];
  next_ = (next_ + 1) % shards_.size();
  acceptor_.async_accept(shard.io(), [self = shared_from_this(), &shard](boost::system::error_code ec,
                                                                           net::ip::tcp::socket socket) {
    if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (ec) {
      // Errors such as EMFILE (out of descriptors) are transient: try again shortly rather than spin.
      shard.server().log.warn("accept failed; retrying in 50 ms", {{"error", ec.message()}});
      self->retry_.expires_after(std::chrono::milliseconds(50));
      self->retry_.async_wait([self](boost::system::error_code e) {
        if (!e && self->acceptor_.is_open()) self->do_accept();
      });
      return;
    }
    socket.set_option(net::ip::tcp::no_delay(true), ec);
    std::make_shared<HttpSession>(std::move(socket), shard)->run();
    self->do_accept();
  });
}

}  // namespace switchboard::server
