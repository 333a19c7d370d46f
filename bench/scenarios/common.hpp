#pragma once

// What the scenarios (s1.cpp ... s4.cpp) share: opening many connections with a bounded number of handshakes in
// flight, the CPU window, loss and order over subscribers, the engine's settings from the options, and the JSON
// result line.

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "../engine.hpp"
#include "../options.hpp"

namespace bench {

EngineConfig engine_config(const Options& o);

// `prefix`-0 ... `prefix`-(n-1).
std::vector<std::string> numbered_channels(const std::string& prefix, int n);

// Calls start(i) for i in [0, count) (each opens one connection), keeping at most `in_flight` connections in
// their opening exchange, and polls until none is opening. Stops starting new ones after a connect failure or an
// error, or at `deadline` (then the connections still opening are failed). Returns how many were started.
int open_connections(Engine& e, int count, int in_flight, const std::function<void(int)>& start,
                     std::uint64_t deadline);

// Opens `subscribers` subscribers of channel 0 and, with `publisher`, one publisher to it (S1, S4), and fails the
// run unless every one opened. Subscribers subscribe as soon as they are open with `subscribe_on_open`, else once
// all are open; either way this returns once every subscribe is acknowledged (30 s at most, else the run fails).
// Returns the publisher's slot, or -1.
int open_fan_out(Engine& e, const Options& o, bool publisher, bool subscribe_on_open);

// Polls until done() or the deadline; false at the deadline.
bool poll_until(Engine& e, const std::function<bool()>& done, std::uint64_t deadline);

// CPU seconds of loadgen and of the server (-1 without a pid) between start() and stop().
class CpuWindow {
 public:
  explicit CpuWindow(pid_t server) : server_(server) {}
  void start();
  void stop();
  double seconds() const { return static_cast<double>(t1_ - t0_) / 1e9; }
  double self_s() const { return self_; }
  double server_s() const { return server_cpu_; }
  double self_pct() const;
  double server_pct() const;  // -1 without a pid

 private:
  pid_t server_;
  std::uint64_t t0_ = 0, t1_ = 0;
  double self0_ = 0, server0_ = 0, self_ = 0, server_cpu_ = -1;
};

// Loss and order over every subscriber: a seq jumped over, or missing at the end (up to its channel's acked
// seq), is lost; a seq at or below one already seen is reordered.
struct OrderTotals {
  std::uint64_t lost = 0, reordered = 0;
  int channels_with_loss = 0, channels_with_reordering = 0;
};
OrderTotals order_totals(Engine& e);

// True when every open subscriber has every acked seq of its channel and every publisher every ack.
bool drained(Engine& e);

// The end of a publishing scenario (S1, S2, S4): waits (10 s at most) until drained(), when `drain`, then sums
// loss and order, the server's closes, and the delivery rate over the measured window.
struct Outcome {
  OrderTotals order;
  int closed;
  double secs, rate;
};
Outcome finish(Engine& e, const CpuWindow& cpu, bool drain = true);

// The closes the server made: how many, and as a JSON object {"code":count,...}.
int closed_count(const Engine& e);
std::string close_codes_json(const Engine& e);

// VmRSS of a process in KiB, from /proc/PID/status; -1 when unreadable.
long rss_kib(pid_t pid);

std::string json_string(std::string_view s);
// "42%" for a summary line, or "n/a" for a negative percentage (no --server-pid).
std::string pct_text(double pct);
// {"p50":..,"p99":..,"max":..} in microseconds.
std::string latency_json(const Histogram& h);

// A one-line JSON object, fields in the order added.
class JsonLine {
 public:
  JsonLine& raw(std::string_view key, std::string_view json);
  JsonLine& str(std::string_view key, std::string_view value) { return raw(key, json_string(value)); }
  JsonLine& num(std::string_view key, long long v) { return raw(key, std::to_string(v)); }
  JsonLine& num(std::string_view key, double v, int decimals);
  std::string text() const { return out_ + "}"; }
  // "closed" and "close_codes": the closes the server made.
  JsonLine& closes(const Engine& e);
  // "loadgen_cpu_s", "loadgen_cpu_pct", "server_cpu_s", "server_cpu_pct".
  JsonLine& cpu(const CpuWindow& w);
  // Adds "error" (the first error, or null) and prints the line on stdout.
  void print(const Engine& e);

 private:
  std::string out_ = "{";
};

}  // namespace bench
