// S1 fan-out: N subscribers on one channel, one publisher keeping a bounded window of publishes awaiting their
// ack, a fixed measurement window after a warm-up. Every subscriber must see every seq exactly once and in order.
// Without a publisher (--no-publisher) it only subscribes and consumes, checking order: that is how the blaster
// (blaster.cpp) measures loadgen's own ceiling.

#include <cmath>
#include <cstdio>

#include "../ws.hpp"
#include "common.hpp"
#include "scenarios.hpp"

namespace bench {

int run_s1(const Options& o) {
  const int total = o.subscribers + (o.publisher ? 1 : 0);
  Engine e(engine_config(o), {o.channel}, static_cast<std::size_t>(total));
  const std::uint64_t t_connect = now_ns();
  // Subscribing only once every connection is open keeps the handshakes away from traffic: a server that starts
  // sending at the first subscribe (the blaster) would otherwise slow every later handshake.
  const int pub_slot = open_fan_out(e, o, o.publisher, false);
  const double connect_s = static_cast<double>(now_ns() - t_connect) / 1e9;

  const std::uint64_t start = now_ns();
  const std::uint64_t measure_from = start + static_cast<std::uint64_t>(o.warmup_s * 1e9);
  const std::uint64_t measure_to = measure_from + static_cast<std::uint64_t>(o.duration_s * 1e9);
  CpuWindow cpu(o.server_pid);
  bool measured = false;
  while (e.first_error().empty()) {
    const std::uint64_t now = now_ns();
    if (!e.measuring && !measured && now >= measure_from) {
      e.measuring = measured = true;
      cpu.start();
    }
    if (e.measuring && now >= measure_to) {
      e.measuring = false;
      cpu.stop();
      break;
    }
    if (pub_slot >= 0) {
      // Every publish of one top-up goes out in one send(): acks return in bursts, and a syscall per publish
      // would make the publisher, not the server, the bottleneck.
      Conn& pub = e.conn(pub_slot);
      if (pub.stage == Stage::open) {
        while (pub.publishes - pub.acks < static_cast<std::uint64_t>(o.window)) e.publish(pub, now);
        e.flush(pub);
      }
    }
    e.poll(1'000'000);
  }
  // Drain: no more publishes; wait until every open subscriber has every acknowledged seq (at most 10 s).
  const auto [order, closed, secs, rate] = finish(e, cpu, o.publisher);
  const double bytes_per = e.deliveries ? static_cast<double>(e.wire_bytes) / static_cast<double>(e.deliveries) : 0;
  const std::uint64_t last_seq = e.channels()[0].acked_seq;
  JsonLine j;
  j.str("scenario", "s1")
      .str("protocol", protocol_name(o.protocol))
      .str("target", o.label)
      .num("subscribers", o.subscribers)
      .raw("publisher", o.publisher ? "true" : "false")
      .num("window", o.window)
      .num("payload_bytes", static_cast<long long>(o.payload))
      .str("channel", o.channel)
      .num("connect_s", connect_s, 3)
      .num("measured_s", secs, 3)
      .num("published", static_cast<long long>(e.published))
      .num("last_seq", static_cast<long long>(last_seq))
      .num("deliveries", static_cast<long long>(e.deliveries))
      .num("deliveries_per_s", rate, 0)
      .num("wire_bytes_per_delivery", bytes_per, 1)
      .num("lost", static_cast<long long>(order.lost))
      .num("reordered", static_cast<long long>(order.reordered))
      .num("gap_frames", static_cast<long long>(e.gap_frames))
      .closes(e)
      .cpu(cpu)
      .raw("latency_us", latency_json(e.latency_us));
  j.print(e);
  std::fprintf(stderr,
               "%s S1 (%s): %d subscribers%s, %.2f s measured: %.0f deliveries/s (%.0f B on the wire each), lost %llu, "
               "reordered %llu, closed %d; CPU loadgen %.0f%%, server %s; latency p50 %llu us p99 %llu us\n",
               o.label.c_str(), protocol_name(o.protocol), o.subscribers, o.publisher ? "" : " (no publisher)", secs,
               rate, bytes_per, static_cast<unsigned long long>(order.lost),
               static_cast<unsigned long long>(order.reordered), closed, cpu.self_pct(),
               pct_text(cpu.server_pct()).c_str(), static_cast<unsigned long long>(e.latency_us.quantile(0.5)),
               static_cast<unsigned long long>(e.latency_us.quantile(0.99)));
  if (!e.first_error().empty()) std::fprintf(stderr, "error: %s\n", e.first_error().c_str());
  const bool clean =
      e.first_error().empty() && order.lost == 0 && order.reordered == 0 && closed == 0 && e.deliveries > 0;
  e.say_goodbye();
  return clean ? 0 : 1;
}

}  // namespace bench
