#include "net/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "net/url.hpp"
#include "server/connection_limits.hpp"
#include "server/metrics.hpp"
#include "server/server_impl.hpp"
#include "server/shard.hpp"
#include "session/streaming_session.hpp"

namespace switchboard::server {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

namespace {
constexpr std::size_t max_request_body = 8 * 1024;

bool origin_allowed(const std::vector<std::string>& allowed, std::string_view origin) {
  return allowed.empty() || std::any_of(allowed.begin(), allowed.end(),
                                        [origin](const std::string& entry) { return beast::iequals(entry, origin); });
}
}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, Shard& shard) : stream_(std::move(socket)), shard_(shard) {
  beast::error_code ec;
  const auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec) {
    ip_ = endpoint.address().to_string();
    remote_ = fmt::format("{}:{}", ip_, endpoint.port());
  }
}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(max_request_body);
  stream_.expires_after(shard_.server().options.handshake_timeout);
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

HandshakeRequest HttpSession::describe(const Request& request) const {
  HandshakeRequest out;
  out.target = std::string(request.target());
  const auto [path, query] = net_url::split_target(out.target);
  out.path = std::string(path);
  out.query = net_url::parse_query(query);
  for (const auto& field : request) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.remote = remote_;
  return out;
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) {
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  if (ec) {
    // A request we cannot parse gets a 400 when the socket still works; timeouts and resets just end.
    if (ec != beast::error::timeout && ec != net::error::connection_reset && ec != net::error::eof) {
      respond({400, "text/plain", fmt::format("bad request: {}\n", ec.message())}, false);
    }
    return;
  }
  Request request = parser_->release();
  auto& server = shard_.server();
  const bool keep_alive = request.keep_alive();
  HandshakeRequest described = describe(request);
  const bool is_get = request.method() == http::verb::get;

  if (described.path == server.options.websocket_path) {
    if (!is_get) return respond({405, "text/plain", "use GET with a WebSocket upgrade\n"}, keep_alive, "GET");
    if (!beast::websocket::is_upgrade(request)) {
      return respond({400, "text/plain", "expected a WebSocket upgrade request\n"}, keep_alive);
    }
    if (auto origin = described.headers.find("origin");
        origin != described.headers.end() && !origin_allowed(server.options.allowed_origins, origin->second)) {
      refused(Refusal::origin, 403);
      return respond({403, "text/plain", fmt::format("origin {} is not allowed\n", origin->second)}, false);
    }
    ConnectionLimits::Slot slot;
    switch (server.connection_limits.acquire(ip_, slot)) {
      case ConnectionLimits::Refusal::total:
        refused(Refusal::connection_limit, 503);
        return respond({503, "text/plain", "the server is at its connection limit; retry later\n"}, false);
      case ConnectionLimits::Refusal::per_ip:
        refused(Refusal::per_ip_limit, 429);
        return respond({429, "text/plain", fmt::format("too many connections from {}\n", ip_)}, false);
      case ConnectionLimits::Refusal::none:
        break;
    }
    AuthResult auth = server.options.authenticator(described);
    if (!auth.accepted) {
      refused(Refusal::authenticator, auth.http_status);
      return respond({auth.http_status, "text/plain", auth.reason + "\n"}, false);
    }
    stream_.expires_never();
    std::make_shared<StreamingSession>(stream_.release_socket(), shard_, std::move(auth.user), remote_,
                                       std::move(slot))
        ->run(std::move(request));
    return;
  }

  if (described.path == "/healthz") {
    if (!is_get) return respond({405, "text/plain", "method not allowed\n"}, keep_alive, "GET");
    return respond({200, "text/plain", "ok\n"}, keep_alive);
  }

  if (!server.options.metrics_path.empty() && described.path == server.options.metrics_path) {
    if (!is_get) return respond({405, "text/plain", "method not allowed\n"}, keep_alive, "GET");
    return respond({200, "text/plain; version=0.0.4; charset=utf-8", render_metrics(server)}, keep_alive);
  }

  if (auto route = server.routes.find(described.path); route != server.routes.end()) {
    if (!is_get) return respond({405, "text/plain", "method not allowed\n"}, keep_alive, "GET");
    // The handler may answer from any thread; the answer is written from this session's loop.
    auto once = std::make_shared<std::atomic<bool>>(false);
    route->second(described, [self = shared_from_this(), keep_alive, once](HttpResponse response) {
      if (once->exchange(true)) return;
      net::post(self->stream_.get_executor(), [self, keep_alive, response = std::move(response)]() mutable {
        self->respond(std::move(response), keep_alive);
      });
    });
    return;
  }

  respond({404, "text/plain", fmt::format("no such path: {}\n", described.path)}, keep_alive);
}

void HttpSession::refused(Refusal why, unsigned status) {
  shard_.metrics.count_refusal(why);
  shard_.server().log.info("upgrade refused", {{"reason", to_string(why)},
                                               {"status", std::uint64_t{status}}, {"remote", remote_}});
}

void HttpSession::respond(HttpResponse response, bool keep_alive, std::optional<std::string> allow) {
  auto res = std::make_shared<http::response<http::string_body>>(http::status(response.status), 11);
  res->set(http::field::server, shard_.server().server_version);
  res->set(http::field::content_type, response.content_type);
  if (allow) res->set(http::field::allow, *allow);
  res->keep_alive(keep_alive);
  res->body() = std::move(response.body);
  res->prepare_payload();
  response_ = res;
  http::async_write(stream_, *res,
                    beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), !keep_alive));
}

void HttpSession::on_write(bool close, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return;
  if (close) {
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  do_read();
}

}  // namespace switchboard::server
