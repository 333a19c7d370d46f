// Client: the public facade of the C++ client (include/switchboard/client.hpp). It owns no I/O: it keeps the
// callbacks to install and the current Connection, and forwards each call to that connection.
//
// Structure. Client::Impl is the part shared between the caller's threads, under a mutex. Each connect() makes
// a new Connection (connection.hpp), which does all its I/O on the EventLoop's thread. No Beast here.

#include "switchboard/client.hpp"

#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "client/connection.hpp"
#include "client/event_loop.hpp"

namespace switchboard::client {

namespace {

template <class T>
std::future<T> ready(T value) {
  std::promise<T> p;
  p.set_value(std::move(value));
  return p.get_future();
}

}  // namespace

// What the Client's callers share: callbacks to install on the next connection, and the current connection.
class Client::Impl {
 public:
  explicit Impl(EventLoop& loop) : loop(loop.impl()) {}

  std::shared_ptr<Connection> current() {
    std::lock_guard lock(mu);
    return conn;
  }

  std::unique_ptr<EventLoop> own_loop;  // Client() only. Destroyed by ~Client once the connection is gone.
  EventLoop::Impl& loop;
  std::mutex mu;
  Callbacks callbacks;               // GUARDED_BY(mu). Copied into each new connection.
  std::shared_ptr<Connection> conn;  // GUARDED_BY(mu). The latest connection, if any.
};

Client::Client() {
  auto own = std::make_unique<EventLoop>();
  impl_ = std::make_shared<Impl>(*own);
  impl_->own_loop = std::move(own);
}

Client::Client(EventLoop& loop) : impl_(std::make_shared<Impl>(loop)) {}

Client::~Client() {
  std::shared_ptr<Connection> conn;
  {
    std::lock_guard lock(impl_->mu);
    conn = std::move(impl_->conn);
  }
  if (conn) conn->shutdown();
  conn.reset();  // Before the loop goes: a Connection must not outlive its io_context.
  std::unique_ptr<EventLoop> own = std::move(impl_->own_loop);
  impl_.reset();
  if (own && own->impl().on_loop_thread()) {
    // Destroyed from one of its own callbacks: the loop cannot join itself, so another thread does it
    // once the current handler has returned.
    std::thread([loop = std::move(own)]() mutable { loop.reset(); }).detach();
  }
}

void Client::on_message(std::function<void(const ChannelMessage&)> cb) {
  std::lock_guard lock(impl_->mu);
  impl_->callbacks.on_message = std::move(cb);
}

void Client::on_push(std::function<void(const Push&)> cb) {
  std::lock_guard lock(impl_->mu);
  impl_->callbacks.on_push = std::move(cb);
}

void Client::on_gap(std::function<void(const Gap&)> cb) {
  std::lock_guard lock(impl_->mu);
  impl_->callbacks.on_gap = std::move(cb);
}

void Client::on_error(std::function<void(const Reply&)> cb) {
  std::lock_guard lock(impl_->mu);
  impl_->callbacks.on_error = std::move(cb);
}

void Client::on_frame(std::function<void(std::string_view)> cb) {
  std::lock_guard lock(impl_->mu);
  impl_->callbacks.on_frame = std::move(cb);
}

void Client::on_close(std::function<void(const Closed&)> cb) {
  std::lock_guard lock(impl_->mu);
  impl_->callbacks.on_close = std::move(cb);
}

Welcome Client::connect(const Options& options) {
  if (impl_->loop.on_loop_thread()) {
    throw std::system_error(std::make_error_code(std::errc::resource_deadlock_would_occur),
                            "Client::connect called on its event loop's thread");
  }
  std::shared_ptr<Connection> conn;
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->conn && !impl_->conn->ended()) {
      throw std::system_error(std::make_error_code(std::errc::already_connected), "Client::connect");
    }
    conn = make_connection(impl_->loop, options, impl_->callbacks);
    impl_->conn = conn;
  }
  return conn->start().get();  // Rethrows the connection's std::system_error.
}

std::future<Reply> Client::subscribe(std::string_view channel) {
  auto conn = impl_->current();
  return conn ? conn->request("subscribe", &channel, nullptr) : ready(Reply{"closed", "not connected", 0});
}

std::future<Reply> Client::unsubscribe(std::string_view channel) {
  auto conn = impl_->current();
  return conn ? conn->request("unsubscribe", &channel, nullptr) : ready(Reply{"closed", "not connected", 0});
}

std::future<Reply> Client::publish(std::string_view channel, const Message& message) {
  auto conn = impl_->current();
  return conn ? conn->request("publish", &channel, &message) : ready(Reply{"closed", "not connected", 0});
}

std::future<Reply> Client::send(const Message& message) {
  auto conn = impl_->current();
  return conn ? conn->request("send", nullptr, &message) : ready(Reply{"closed", "not connected", 0});
}

std::future<Reply> Client::ping() {
  auto conn = impl_->current();
  return conn ? conn->request("ping", nullptr, nullptr) : ready(Reply{"closed", "not connected", 0});
}

void Client::send_text(std::string text) {
  if (auto conn = impl_->current()) conn->send_raw(std::move(text), true);
}

void Client::send_binary(std::string bytes) {
  if (auto conn = impl_->current()) conn->send_raw(std::move(bytes), false);
}

std::future<Closed> Client::close(std::uint16_t code, std::string_view reason) {
  auto conn = impl_->current();
  return conn ? conn->close(code, reason) : ready(Closed{});
}

void Client::abort() {
  if (auto conn = impl_->current()) conn->abort();
}

bool Client::is_open() const noexcept {
  std::lock_guard lock(impl_->mu);
  return impl_->conn && impl_->conn->is_open();
}

}  // namespace switchboard::client
