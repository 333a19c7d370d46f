#pragma once
// FrameLog: a thread-safe record of what a test client received, with deterministic waits (no sleeps).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace switchboard::testing {

template <class T>
class Log {
 public:
  void add(T item) {
    {
      std::lock_guard lock(mu_);
      items_.push_back(std::move(item));
    }
    cv_.notify_all();
  }

  // Waits until `pred(items)` holds; returns whether it did within `timeout`.
  bool wait(const std::function<bool(const std::vector<T>&)>& pred,
            std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return pred(items_); });
  }

  bool wait_count(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return wait([n](const auto& items) { return items.size() >= n; }, timeout);
  }

  std::vector<T> items() const {
    std::lock_guard lock(mu_);
    return items_;
  }

  std::size_t size() const {
    std::lock_guard lock(mu_);
    return items_.size();
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<T> items_;
};

}  // namespace switchboard::testing
