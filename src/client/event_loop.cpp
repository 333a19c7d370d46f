// EventLoop: one thread running an io_context, shared by the clients built on it. Starts the thread on
// construction; on destruction stops the io_context and joins the thread (see event_loop.hpp).

#include "client/event_loop.hpp"

#include <cstdio>
#include <cstdlib>

namespace switchboard::client {

namespace net = boost::asio;

EventLoop::Impl::Impl() : work_(net::make_work_guard(ioc_)), thread_([this] { ioc_.run(); }) {}

EventLoop::Impl::~Impl() {
  if (on_loop_thread()) {
    // Joining ourselves would throw in a destructor; this is a programming error, say so plainly.
    std::fputs("switchboard::client::EventLoop destroyed on its own thread\n", stderr);
    std::abort();
  }
  work_.reset();
  ioc_.stop();
  thread_.join();
  // ioc_ is destroyed after this, destroying any handler that never ran and so releasing the
  // Connections those handlers kept alive.
}

EventLoop::EventLoop() : impl_(std::make_unique<Impl>()) {}
EventLoop::~EventLoop() = default;

}  // namespace switchboard::client
