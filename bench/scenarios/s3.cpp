// S3 idle: --connections connections, opened with non-blocking connects and handshakes (--handshakes in flight),
// each subscribed to one of --channels channels, then idle for --idle seconds. With --server-pid, the server's
// resident memory (VmRSS) before the first connection and after the idle time gives the memory per connection.
// Past --per-source connections the source address moves to 127.0.0.2, 127.0.0.3, ...: one source address has
// only ~28,000 ephemeral ports for one server address and port.

#include <unistd.h>

#include <cstdio>

#include "../ws.hpp"
#include "common.hpp"
#include "scenarios.hpp"

namespace bench {

int run_s3(const Options& o) {
  Engine e(engine_config(o), numbered_channels(o.channel, o.channels), static_cast<std::size_t>(o.connections));
  const long rss_before = o.server_pid ? rss_kib(o.server_pid) : -1;
  const std::uint64_t t_connect = now_ns();
  // One connection per ~1.5 ms at worst before giving up, on top of a fixed minute.
  const std::uint64_t deadline =
      t_connect + 60'000'000'000ull + static_cast<std::uint64_t>(o.connections) * 1'500'000ull;
  open_connections(
      e, o.connections, o.handshakes_in_flight, [&](int i) { e.open(Role::subscriber, i % o.channels, true); },
      deadline);
  // Every connection that opened waits for its subscribe ack.
  poll_until(
      e, [&] { return e.subscribed >= e.opened || !e.first_error().empty(); }, deadline);
  const double connect_s = static_cast<double>(now_ns() - t_connect) / 1e9;
  int reached = 0;
  for (const Conn& c : e.conns()) reached += c.stage == Stage::subscribed;

  // Idle: the loop still answers the server's pings, as idle clients would.
  CpuWindow cpu(o.server_pid);
  cpu.start();
  const std::uint64_t idle_to = now_ns() + static_cast<std::uint64_t>(o.idle_s * 1e9);
  poll_until(
      e, [] { return false; }, idle_to);
  cpu.stop();
  const long rss_after = o.server_pid ? rss_kib(o.server_pid) : -1;
  int still = 0;
  for (const Conn& c : e.conns()) still += c.stage == Stage::subscribed;

  const int closed = closed_count(e);
  const double per_conn =
      rss_before >= 0 && rss_after >= 0 && still > 0 ? static_cast<double>(rss_after - rss_before) * 1024 / still : -1;
  const double connect_rate = connect_s > 0 ? reached / connect_s : 0;
  const long self_rss = rss_kib(getpid());
  JsonLine j;
  j.str("scenario", "s3")
      .str("protocol", protocol_name(o.protocol))
      .str("target", o.label)
      .num("connections", o.connections)
      .num("connections_reached", reached)
      .num("connections_after_idle", still)
      .num("channels", o.channels)
      .num("handshakes_in_flight", o.handshakes_in_flight)
      .num("connect_failed", e.connect_failed)
      .str("connect_error", e.last_connect_error)
      .num("connect_s", connect_s, 3)
      .num("connects_per_s", connect_rate, 0)
      .num("idle_s", cpu.seconds(), 3)
      .num("rss_before_kib", rss_before)
      .num("rss_after_kib", rss_after)
      .num("rss_per_connection_bytes", per_conn, 0)
      .num("loadgen_rss_kib", self_rss)
      .closes(e)
      .cpu(cpu);
  j.print(e);
  std::fprintf(stderr,
               "%s S3 (%s): %d of %d connections subscribed in %.2f s (%.0f/s); after %.1f s idle %d still open; "
               "server RSS %ld -> %ld KiB, %.0f bytes per connection; server CPU while idle %s\n",
               o.label.c_str(), protocol_name(o.protocol), reached, o.connections, connect_s, connect_rate,
               cpu.seconds(), still, rss_before, rss_after, per_conn, pct_text(cpu.server_pct()).c_str());
  if (e.connect_failed)
    std::fprintf(stderr, "connect failures: %d, last: %s\n", e.connect_failed, e.last_connect_error.c_str());
  if (!e.first_error().empty()) std::fprintf(stderr, "error: %s\n", e.first_error().c_str());
  const bool clean = e.first_error().empty() && e.connect_failed == 0 && closed == 0 && reached == o.connections &&
                     still == o.connections;
  e.say_goodbye();
  return clean ? 0 : 1;
}

}  // namespace bench
