#pragma once
// EventLoop::Impl: the io_context, the thread that runs it, and what only that thread touches (the frame
// decoder). Internal to the client: include it only from src/client/*.cpp, never from a public header.
//
// Thread: context() and on_loop_thread() may be called from any thread; decoder() only on the loop thread.
// The loop must be destroyed from another thread (destroying it on its own thread aborts).

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>

#include "client/server_frame.hpp"
#include "switchboard/client.hpp"

namespace switchboard::client {

class EventLoop::Impl {
 public:
  Impl();
  ~Impl();

  boost::asio::io_context& context() noexcept { return ioc_; }
  bool on_loop_thread() const noexcept { return std::this_thread::get_id() == thread_.get_id(); }
  // Touched only on the loop thread.
  ServerFrameDecoder& decoder() noexcept { return decoder_; }

 private:
  boost::asio::io_context ioc_{1};  // Concurrency hint: one thread runs it; other threads may still post.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  ServerFrameDecoder decoder_;
  std::thread thread_;  // Declared last: starts once everything it touches exists.
};

}  // namespace switchboard::client
