#pragma once
// Metrics: what GET /metrics serves (Prometheus text format, docs/protocol.md "Metrics").
//
// Each event loop has its own LoopMetrics, written only by that loop's thread: a Counter add is a relaxed
// load and store, no locked instruction on the delivery path. Any thread may read them; the sums are a
// moment's view, not a transaction across loops.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "switchboard/error.hpp"
#include "switchboard/server.hpp"

namespace switchboard::server {

class Counter {
 public:
  void add(std::uint64_t n = 1) noexcept { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  std::uint64_t get() const noexcept { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> v_{0};
};

// A value that goes up and down, with the same single-writer rule as Counter.
class Gauge {
 public:
  void add(std::int64_t n) noexcept { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  std::int64_t get() const noexcept { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> v_{0};
};

// Every `error` value, for errors_total{code}. rate_limited is the last one (checked in metrics.cpp).
inline constexpr std::size_t error_count = static_cast<std::size_t>(error::rate_limited);
inline constexpr std::size_t close_kind_count = 6;  // CloseReason::Kind

// Why an upgrade was refused before a session existed.
enum class Refusal { origin, connection_limit, per_ip_limit, authenticator };
inline constexpr std::size_t refusal_count = 4;
// "origin", "connection_limit", ...: the label of upgrades_refused_total and the reason in the log line.
std::string_view to_string(Refusal refusal) noexcept;

struct LoopMetrics {
  Counter frames_received;   // WebSocket messages from clients (text and binary)
  Counter bytes_received;    // their payload bytes
  Counter frames_sent;       // frames queued to clients
  Counter bytes_sent;        // bytes written to sockets after the upgrade (WebSocket framing included)
  Counter socket_writes;     // send() calls that wrote them (frames_sent / socket_writes: frames per write)
  Counter deliveries;        // channel messages queued to subscribers (one per subscriber)
  Counter frames_dropped;    // frames not queued: the session was closing or past its outbound limit
  std::array<Counter, error_count> errors;         // error frames sent, by error - 1
  std::array<Counter, close_kind_count> closes;    // sessions ended, by CloseReason::Kind
  std::array<Counter, refusal_count> refusals;     // upgrades refused, by Refusal
  std::atomic<std::size_t> subscriptions{0};       // gauge: this loop's channel memberships
  Gauge outbound_bytes;                            // bytes queued for this loop's sockets, not yet written

  void count_error(error e) noexcept { errors[static_cast<std::size_t>(e) - 1].add(); }
  void count_close(CloseReason::Kind kind) noexcept { closes[static_cast<std::size_t>(kind)].add(); }
  void count_refusal(Refusal r) noexcept { refusals[static_cast<std::size_t>(r)].add(); }
};

}  // namespace switchboard::server

namespace switchboard {
// Renders every metric of `server` in the Prometheus text exposition format (version 0.0.4).
std::string render_metrics(const Server::Impl& server);
}  // namespace switchboard
