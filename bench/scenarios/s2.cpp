// S2 many channels: --channels channels with --subscribers subscribers each, --publishers publishers each at
// --rate publishes/s (paced by the clock, not by acks). Publisher p owns the channels c with c % publishers == p
// and publishes to them round-robin, so every channel has exactly one publisher (a protocol without server seqs
// numbers per channel on the publisher's side). Latency (receive minus send time) is the measure; every
// subscriber must get every seq of its channel, in order.

#include <algorithm>
#include <cstdio>

#include "../ws.hpp"
#include "common.hpp"
#include "paced.hpp"
#include "scenarios.hpp"

namespace bench {

int run_s2(const Options& o) {
  const int subscribers = o.channels * o.subscribers;
  const int total = subscribers + o.publishers;
  Engine e(engine_config(o), numbered_channels(o.channel, o.channels), static_cast<std::size_t>(total));
  const std::uint64_t t_connect = now_ns();
  std::vector<int> pubs;
  // Subscribers subscribe as soon as they are open: nothing is published before every one has its ack.
  const int started = open_connections(
      e, total, o.handshakes_in_flight,
      [&](int i) {
        if (i < subscribers) {
          e.open(Role::subscriber, i % o.channels, true);
          return;
        }
        const int p = i - subscribers;
        const int slot = e.open(Role::publisher, -1, false);
        if (slot < 0) return;
        for (int c = p; c < o.channels; c += o.publishers) e.conn(slot).pub_channels.push_back(c);
        pubs.push_back(slot);
      },
      t_connect + 60'000'000'000ull);
  if (started < total || e.opened < total)
    e.fail("opened " + std::to_string(e.opened) + " of " + std::to_string(total) +
           " connections; last error: " + e.last_connect_error);
  if (!poll_until(
          e, [&] { return e.subscribed >= subscribers || !e.first_error().empty(); }, now_ns() + 30'000'000'000ull))
    e.fail("subscribers not acknowledged within 30 s");
  const double connect_s = static_cast<double>(now_ns() - t_connect) / 1e9;

  const std::uint64_t start = now_ns();
  const std::uint64_t measure_from = start + static_cast<std::uint64_t>(o.warmup_s * 1e9);
  const std::uint64_t measure_to = measure_from + static_cast<std::uint64_t>(o.duration_s * 1e9);
  PacedPublishers paced(e, pubs, o.rate, start);
  CpuWindow cpu(o.server_pid);
  bool measured = false;
  std::uint64_t published0 = 0, published1 = 0;
  while (e.first_error().empty()) {
    const std::uint64_t now = now_ns();
    if (!measured && now >= measure_from) {
      e.measuring = measured = true;
      published0 = e.published;
      cpu.start();
    }
    if (e.measuring && now >= measure_to) {
      e.measuring = false;
      published1 = e.published;
      cpu.stop();
      break;
    }
    paced.publish_due(now);
    e.poll(std::min<std::uint64_t>(paced.until_next(now_ns()), 1'000'000));
  }
  const auto [order, closed, secs, rate] = finish(e, cpu);
  const double pub_rate = secs > 0 ? static_cast<double>(published1 - published0) / secs : 0;
  std::uint64_t acks_missing = 0;
  for (const int slot : pubs) acks_missing += e.conn(slot).publishes - e.conn(slot).acks;
  JsonLine j;
  j.str("scenario", "s2")
      .str("protocol", protocol_name(o.protocol))
      .str("target", o.label)
      .num("channels", o.channels)
      .num("subscribers_per_channel", o.subscribers)
      .num("subscribers", subscribers)
      .num("publishers", o.publishers)
      .num("rate_per_publisher", o.rate, 1)
      .num("payload_bytes", static_cast<long long>(o.payload))
      .str("channel_prefix", o.channel)
      .num("connect_s", connect_s, 3)
      .num("measured_s", secs, 3)
      .num("published", static_cast<long long>(e.published))
      .num("published_per_s", pub_rate, 0)
      .num("acks_missing", static_cast<long long>(acks_missing))
      .num("deliveries", static_cast<long long>(e.deliveries))
      .num("deliveries_per_s", rate, 0)
      .num("lost", static_cast<long long>(order.lost))
      .num("reordered", static_cast<long long>(order.reordered))
      .num("channels_with_loss", order.channels_with_loss)
      .num("channels_with_reordering", order.channels_with_reordering)
      .num("gap_frames", static_cast<long long>(e.gap_frames))
      .closes(e)
      .cpu(cpu)
      .raw("latency_us", latency_json(e.latency_us))
      .num("publish_lag_max_us", static_cast<long long>(paced.max_lag_us()));
  j.print(e);
  std::fprintf(stderr,
               "%s S2 (%s): %d channels x %d subscribers, %d publishers x %.0f/s, %.2f s measured: %.0f publishes/s, "
               "%.0f deliveries/s, latency p50 %llu us p99 %llu us max %llu us, lost %llu, reordered %llu, closed %d; "
               "CPU loadgen %.0f%%, server %s\n",
               o.label.c_str(), protocol_name(o.protocol), o.channels, o.subscribers, o.publishers, o.rate, secs,
               pub_rate, rate, static_cast<unsigned long long>(e.latency_us.quantile(0.5)),
               static_cast<unsigned long long>(e.latency_us.quantile(0.99)),
               static_cast<unsigned long long>(e.latency_us.max()), static_cast<unsigned long long>(order.lost),
               static_cast<unsigned long long>(order.reordered), closed, cpu.self_pct(),
               pct_text(cpu.server_pct()).c_str());
  if (!e.first_error().empty()) std::fprintf(stderr, "error: %s\n", e.first_error().c_str());
  const bool clean = e.first_error().empty() && order.lost == 0 && order.reordered == 0 && closed == 0 &&
                     e.deliveries > 0 && acks_missing == 0;
  e.say_goodbye();
  return clean ? 0 : 1;
}

}  // namespace bench
