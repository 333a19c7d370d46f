#pragma once
// BufferPool: spare outbound buffers (CorkedStream's) of one event loop. A session takes one when it is written
// to and gives it back once everything was sent, so the sessions of a busy fan-out reuse the same buffers
// instead of a malloc and a free each per loop iteration (in bench/ S1 that was 7% of the server's core, with
// the heap grown and trimmed every iteration). Bounded, so that after a burst the memory goes back: buffers over
// kMaxCapacity are freed rather than kept, the pool holds kMaxBytes at most, and trim() drops what the last
// flush round did not need. One loop's: no locking.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace switchboard::server {

class BufferPool {
 public:
  static constexpr std::size_t kMaxCapacity = 16 * 1024;
  static constexpr std::size_t kMaxBytes = 16 * 1024 * 1024;

  // An empty string: a spare one with its capacity, or a new one.
  std::string take() {
    if (spare_.empty()) return {};
    auto buffer = std::move(spare_.back());
    spare_.pop_back();
    bytes_ -= buffer.capacity();
    return buffer;
  }

  // Keeps `buffer` (cleared) unless it is too large or the pool is full; otherwise it is freed here.
  void give_back(std::string buffer) {
    if (buffer.capacity() > kMaxCapacity || bytes_ + buffer.capacity() > kMaxBytes) return;
    buffer.clear();
    bytes_ += buffer.capacity();
    spare_.push_back(std::move(buffer));
  }

  // Frees spare buffers past the first `count`.
  void trim(std::size_t count) {
    while (spare_.size() > count) take();
  }

  std::size_t size() const noexcept { return spare_.size(); }
  std::size_t bytes() const noexcept { return bytes_; }

 private:
  std::vector<std::string> spare_;
  std::size_t bytes_ = 0;  // Capacities of the spare buffers.
};

}  // namespace switchboard::server
