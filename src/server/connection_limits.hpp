#pragma once
// ConnectionLimits: Options::max_connections and max_connections_per_ip, shared by every event loop.
//
// A WebSocket upgrade takes a Slot before the handshake is answered; the StreamingSession owns it, so the
// count drops exactly when the session is destroyed. Plain HTTP requests (/healthz, /metrics) take none:
// a full server must still answer its health checks.

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace switchboard::server {

class ConnectionLimits {
 public:
  enum class Refusal { none, total, per_ip };

  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept : owner_(other.owner_), ip_(std::move(other.ip_)) { other.owner_ = nullptr; }
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { release(); }

   private:
    friend class ConnectionLimits;
    Slot(ConnectionLimits* owner, std::string ip) : owner_(owner), ip_(std::move(ip)) {}
    void release() noexcept;

    ConnectionLimits* owner_ = nullptr;
    std::string ip_;
  };

  ConnectionLimits(std::size_t max_total, std::size_t max_per_ip) : max_total_(max_total), max_per_ip_(max_per_ip) {}

  // Takes a slot for a connection from `ip`, or says which limit refuses it (slot left empty). Any thread.
  Refusal acquire(const std::string& ip, Slot& slot);

  std::size_t total() const;
  std::size_t from(const std::string& ip) const;

 private:
  void release(const std::string& ip) noexcept;

  const std::size_t max_total_;
  const std::size_t max_per_ip_;
  mutable std::mutex mu_;
  std::size_t total_ = 0;                               // GUARDED_BY(mu_)
  std::unordered_map<std::string, std::size_t> per_ip_;  // GUARDED_BY(mu_); an address leaves at 0
};

}  // namespace switchboard::server
