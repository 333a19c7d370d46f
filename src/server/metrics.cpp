#include "server/metrics.hpp"

#include <fmt/format.h>

#include <iterator>

#include "server/server_impl.hpp"
#include "server/shard.hpp"

namespace switchboard {

namespace {

using server::LoopMetrics;
using server::Shard;

static_assert(server::error_count == static_cast<std::size_t>(error::rate_limited),
              "error_count must cover every switchboard::error");

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void family(std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(out_), "# HELP switchboard_{} {}\n# TYPE switchboard_{} {}\n", name, help,
                   name, type);
  }
  void sample(std::string_view name, std::uint64_t value) {
    fmt::format_to(std::back_inserter(out_), "switchboard_{} {}\n", name, value);
  }
  void sample(std::string_view name, std::string_view label, std::string_view label_value, std::uint64_t value) {
    fmt::format_to(std::back_inserter(out_), "switchboard_{}{{{}=\"{}\"}} {}\n", name, label, label_value, value);
  }

 private:
  std::string& out_;
};

template <class F>
std::uint64_t sum(const Server::Impl& server, F&& of) {
  std::uint64_t total = 0;
  for (const auto& shard : server.shards) total += of(*shard);
  return total;
}

}  // namespace

std::string_view server::to_string(Refusal refusal) noexcept {
  switch (refusal) {
    case Refusal::origin: return "origin";
    case Refusal::connection_limit: return "connection_limit";
    case Refusal::per_ip_limit: return "per_ip_limit";
    case Refusal::authenticator: return "authenticator";
  }
  return "unknown";
}

std::string render_metrics(const Server::Impl& server) {
  std::string out;
  Writer w(out);
  w.family("sessions", "gauge", "WebSocket sessions open now.");
  w.sample("sessions", sum(server, [](const Shard& s) { return s.live_sessions.load(); }));
  w.family("channels", "gauge", "Channels with at least one subscriber.");
  w.sample("channels", server.engine->channel_count());
  w.family("subscriptions", "gauge", "Channel subscriptions of all sessions.");
  w.sample("subscriptions", sum(server, [](const Shard& s) { return s.metrics.subscriptions.load(std::memory_order_relaxed); }));

  w.family("outbound_bytes", "gauge", "Bytes queued for client sockets and not yet written.");
  w.sample("outbound_bytes", sum(server, [](const Shard& s) { return static_cast<std::uint64_t>(s.metrics.outbound_bytes.get()); }));

  w.family("sessions_opened_total", "counter", "Sessions opened since start.");
  w.sample("sessions_opened_total", sum(server, [](const Shard& s) { return s.sessions_opened.load(); }));
  w.family("sessions_closed_total", "counter", "Sessions ended since start, by reason (CloseReason::Kind).");
  for (std::size_t k = 0; k < server::close_kind_count; ++k) {
    w.sample("sessions_closed_total", "reason", to_string(static_cast<CloseReason::Kind>(k)),
             sum(server, [k](const Shard& s) { return s.metrics.closes[k].get(); }));
  }
  w.family("upgrades_refused_total", "counter", "WebSocket upgrades refused before a session existed, by reason.");
  for (std::size_t r = 0; r < server::refusal_count; ++r) {
    w.sample("upgrades_refused_total", "reason", server::to_string(static_cast<server::Refusal>(r)),
             sum(server, [r](const Shard& s) { return s.metrics.refusals[r].get(); }));
  }

  auto loop_counter = [&](std::string_view name, std::string_view help, server::Counter LoopMetrics::*member) {
    w.family(name, "counter", help);
    w.sample(name, sum(server, [member](const Shard& s) { return (s.metrics.*member).get(); }));
  };
  loop_counter("frames_received_total", "WebSocket messages received from clients.", &LoopMetrics::frames_received);
  loop_counter("received_bytes_total", "Payload bytes of the messages received from clients.",
               &LoopMetrics::bytes_received);
  loop_counter("frames_sent_total", "Frames queued to clients (welcome, ack, error, message, push, pong).",
               &LoopMetrics::frames_sent);
  loop_counter("sent_bytes_total", "Bytes written to client sockets after the upgrade request, framing included.",
               &LoopMetrics::bytes_sent);
  loop_counter("socket_writes_total", "send() calls writing to client sockets (frames_sent_total / this: frames per write).",
               &LoopMetrics::socket_writes);
  loop_counter("deliveries_total", "Channel messages queued to subscribers, one per subscriber.",
               &LoopMetrics::deliveries);
  loop_counter("frames_dropped_total",
               "Frames not queued because the session was closing or past its outbound buffer limit.",
               &LoopMetrics::frames_dropped);

  w.family("messages_published_total", "counter", "Messages accepted for a channel (from clients and the server).");
  w.sample("messages_published_total", server.messages_published.load(std::memory_order_relaxed));

  w.family("errors_total", "counter", "Error frames sent to clients, by code.");
  for (std::size_t e = 0; e < server::error_count; ++e) {
    w.sample("errors_total", "code", to_wire_code(static_cast<error>(e + 1)),
             sum(server, [e](const Shard& s) { return s.metrics.errors[e].get(); }));
  }
  return out;
}

}  // namespace switchboard
