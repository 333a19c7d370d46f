// S4 churn: a steady broadcast (one channel, --subscribers stable subscribers, one publisher at --rate publishes/s)
// while churn clients connect, subscribe to the same channel, wait for the ack and leave, --churn-rate cycles
// started per second. Every --abrupt-every-th churn client leaves by closing its socket (unread broadcasts in its
// receive buffer make that a reset); the others close with 1000 and wait for the server's close frame. A cycle is
// done when the client is gone; it fails on any error, refusal or close by the server, or after 10 s.

#include <algorithm>
#include <cstdio>

#include "../ws.hpp"
#include "common.hpp"
#include "paced.hpp"
#include "scenarios.hpp"

namespace bench {

int run_s4(const Options& o) {
  // Churn clients at once: a second's worth, within the descriptor limit the stable connections leave.
  const int churn_slots = std::clamp(static_cast<int>(o.churn_rate), 16, std::max(16, 19000 - o.subscribers));
  const int stable = o.subscribers + 1;
  Engine e(engine_config(o), {o.channel}, static_cast<std::size_t>(stable + churn_slots));
  const std::uint64_t t_connect = now_ns();
  const int pub_slot = open_fan_out(e, o, true, true);
  const double connect_s = static_cast<double>(now_ns() - t_connect) / 1e9;

  const std::uint64_t start = now_ns();
  const std::uint64_t measure_from = start + static_cast<std::uint64_t>(o.warmup_s * 1e9);
  const std::uint64_t measure_to = measure_from + static_cast<std::uint64_t>(o.duration_s * 1e9);
  const std::uint64_t churn_interval = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(1e9 / o.churn_rate));
  constexpr std::uint64_t kCycleTimeout = 10'000'000'000ull;
  PacedPublishers paced(e, pub_slot >= 0 ? std::vector<int>{pub_slot} : std::vector<int>{}, o.rate, start);
  CpuWindow cpu(o.server_pid);
  bool measured = false;
  std::uint64_t next_churn = start, next_expiry = start, churn_n = 0, churn_lag_ns = 0;
  std::uint64_t done0 = 0, done1 = 0, failed0 = 0, failed1 = 0, started0 = 0, started1 = 0;
  while (e.first_error().empty()) {
    const std::uint64_t now = now_ns();
    if (!measured && now >= measure_from) {
      e.measuring = measured = true;
      done0 = e.churn_done, failed0 = e.churn_failed, started0 = e.churn_started;
      cpu.start();
    }
    if (e.measuring && now >= measure_to) {
      e.measuring = false;
      done1 = e.churn_done, failed1 = e.churn_failed, started1 = e.churn_started;
      cpu.stop();
      break;
    }
    paced.publish_due(now);
    // Start the churn cycles due; with every churn slot taken, the schedule slips (seen in churn_started).
    while (next_churn <= now) {
      const bool abrupt = o.abrupt_every > 0 && churn_n % static_cast<std::uint64_t>(o.abrupt_every) ==
                                                    static_cast<std::uint64_t>(o.abrupt_every - 1);
      const std::uint64_t failed_before = e.churn_failed;
      if (e.open(Role::churner, 0, true, abrupt) < 0 && e.churn_failed == failed_before) break;  // no free slot
      churn_lag_ns = std::max(churn_lag_ns, now - next_churn);
      ++churn_n;
      next_churn += churn_interval;
    }
    if (now >= next_expiry) {
      e.expire_opening(now, kCycleTimeout, false);
      next_expiry = now + 100'000'000;
    }
    const std::uint64_t after = now_ns();
    const std::uint64_t until_churn = next_churn > after ? next_churn - after : 0;
    e.poll(std::min({paced.until_next(after), until_churn, std::uint64_t{1'000'000}}));
  }
  // Let the churn clients in flight finish (at most 10 s), then drain the broadcast (at most 10 s).
  poll_until(
      e, [&] { return !e.first_error().empty() || e.churn_done + e.churn_failed >= e.churn_started; },
      now_ns() + kCycleTimeout);
  e.expire_opening(now_ns(), 0, false);
  const auto [order, closed, secs, rate] = finish(e, cpu);
  const double cycles = secs > 0 ? static_cast<double>(done1 - done0) / secs : 0;
  const std::uint64_t acks_missing = pub_slot >= 0 ? e.conn(pub_slot).publishes - e.conn(pub_slot).acks : 0;
  JsonLine j;
  j.str("scenario", "s4")
      .str("protocol", protocol_name(o.protocol))
      .str("target", o.label)
      .num("subscribers", o.subscribers)
      .num("rate", o.rate, 1)
      .num("payload_bytes", static_cast<long long>(o.payload))
      .str("channel", o.channel)
      .num("churn_rate", o.churn_rate, 1)
      .num("abrupt_every", o.abrupt_every)
      .num("connect_s", connect_s, 3)
      .num("measured_s", secs, 3)
      .num("churn_started", static_cast<long long>(started1 - started0))
      .num("churn_cycles", static_cast<long long>(done1 - done0))
      .num("churn_cycles_per_s", cycles, 1)
      .num("churn_failed", static_cast<long long>(e.churn_failed))
      .num("churn_failed_in_window", static_cast<long long>(failed1 - failed0))
      .num("churn_lag_max_us", static_cast<long long>(churn_lag_ns / 1000))
      .str("churn_failure", e.first_churn_failure)
      .num("published", static_cast<long long>(e.published))
      .num("last_seq", static_cast<long long>(e.channels()[0].acked_seq))
      .num("acks_missing", static_cast<long long>(acks_missing))
      .num("deliveries", static_cast<long long>(e.deliveries))
      .num("deliveries_per_s", rate, 0)
      .num("lost", static_cast<long long>(order.lost))
      .num("reordered", static_cast<long long>(order.reordered))
      .num("gap_frames", static_cast<long long>(e.gap_frames))
      .closes(e)
      .cpu(cpu)
      .raw("latency_us", latency_json(e.latency_us))
      .num("publish_lag_max_us", static_cast<long long>(paced.max_lag_us()));
  j.print(e);
  std::fprintf(stderr,
               "%s S4 (%s): %.2f s measured: %.1f churn cycles/s (asked %.0f/s), %llu failed in all; broadcast to %d "
               "subscribers at %.0f/s: %.0f deliveries/s, lost %llu, reordered %llu, closed %d, latency p50 %llu us "
               "p99 %llu us; CPU loadgen %.0f%%, server %s\n",
               o.label.c_str(), protocol_name(o.protocol), secs, cycles, o.churn_rate,
               static_cast<unsigned long long>(e.churn_failed), o.subscribers, o.rate, rate,
               static_cast<unsigned long long>(order.lost), static_cast<unsigned long long>(order.reordered), closed,
               static_cast<unsigned long long>(e.latency_us.quantile(0.5)),
               static_cast<unsigned long long>(e.latency_us.quantile(0.99)), cpu.self_pct(),
               pct_text(cpu.server_pct()).c_str());
  if (!e.first_churn_failure.empty()) std::fprintf(stderr, "first churn failure: %s\n", e.first_churn_failure.c_str());
  if (!e.first_error().empty()) std::fprintf(stderr, "error: %s\n", e.first_error().c_str());
  const bool clean = e.first_error().empty() && order.lost == 0 && order.reordered == 0 && closed == 0 &&
                     e.deliveries > 0 && e.churn_failed == 0 && done1 > done0 && acks_missing == 0;
  e.say_goodbye();
  return clean ? 0 : 1;
}

}  // namespace bench
