#pragma once
// HttpSession: one HTTP/1.1 connection before (or instead of) a WebSocket upgrade. It answers /healthz and
// the application's routes, rejects everything else with a proper status, and hands upgrade requests on the
// WebSocket path to a StreamingSession after the authenticator accepted them.
//
// Lifetime: owned by its pending operations (shared_from_this). Runs on its shard's thread.

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <memory>
#include <optional>

#include "server/metrics.hpp"
#include "switchboard/server.hpp"

namespace switchboard::server {

class Shard;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, Shard& shard);
  void run();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void respond(HttpResponse response, bool keep_alive, std::optional<std::string> allow = std::nullopt);
  void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);
  HandshakeRequest describe(const Request& request) const;
  void refused(Refusal why, unsigned status);  // Counts and logs an upgrade refused before a session existed.

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<void> response_;  // Keeps the response alive while it is written.
  Shard& shard_;
  std::string remote_;  // "ip:port"
  std::string ip_;      // The client address alone, for Options::max_connections_per_ip.
};

}  // namespace switchboard::server
