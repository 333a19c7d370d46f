#include "common.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>

#include "../stats.hpp"
#include "../ws.hpp"

namespace bench {

EngineConfig engine_config(const Options& o) {
  return EngineConfig{.protocol = o.protocol,
                      .host = o.host,
                      .port = o.port,
                      .path = o.path,
                      .payload = o.payload,
                      .per_source = o.per_source};
}

std::vector<std::string> numbered_channels(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + "-" + std::to_string(i));
  return out;
}

int open_connections(Engine& e, int count, int in_flight, const std::function<void(int)>& start,
                     std::uint64_t deadline) {
  int started = 0;
  while (now_ns() < deadline && e.first_error().empty()) {
    while (started < count && e.opening < in_flight && e.connect_failed == 0 && e.first_error().empty())
      start(started++);
    const bool starting = started < count && e.connect_failed == 0;
    if (!starting && e.opening == 0) return started;
    e.poll(1'000'000);
  }
  e.expire_opening(now_ns(), 0, true);
  return started;
}

int open_fan_out(Engine& e, const Options& o, bool publisher, bool subscribe_on_open) {
  const int total = o.subscribers + (publisher ? 1 : 0);
  int pub_slot = -1;
  const int started = open_connections(
      e, total, o.handshakes_in_flight,
      [&](int i) {
        if (i < o.subscribers) {
          e.open(Role::subscriber, 0, subscribe_on_open);
        } else if ((pub_slot = e.open(Role::publisher, -1, false)) >= 0) {
          e.conn(pub_slot).pub_channels = {0};
        }
      },
      now_ns() + 30'000'000'000ull);
  if (started < total || e.opened < total)
    e.fail("opened " + std::to_string(e.opened) + " of " + std::to_string(total) +
           " connections; last error: " + e.last_connect_error);
  if (!subscribe_on_open) {
    for (Conn& c : e.conns())
      if (c.role == Role::subscriber && c.stage == Stage::open) e.subscribe(c);
  }
  if (!poll_until(
          e, [&] { return e.subscribed >= o.subscribers || !e.first_error().empty(); }, now_ns() + 30'000'000'000ull))
    e.fail("subscribers not acknowledged within 30 s");
  return pub_slot;
}

Outcome finish(Engine& e, const CpuWindow& cpu, bool drain) {
  if (drain) {
    poll_until(
        e, [&] { return !e.first_error().empty() || drained(e); }, now_ns() + 10'000'000'000ull);
  }
  const double secs = cpu.seconds();
  return {order_totals(e), closed_count(e), secs, secs > 0 ? static_cast<double>(e.deliveries) / secs : 0};
}

bool poll_until(Engine& e, const std::function<bool()>& done, std::uint64_t deadline) {
  while (!done()) {
    if (now_ns() >= deadline) return false;
    e.poll(1'000'000);
  }
  return true;
}

void CpuWindow::start() {
  t0_ = now_ns();
  self0_ = self_cpu_seconds();
  if (server_) server0_ = process_cpu_seconds(server_);
}

void CpuWindow::stop() {
  t1_ = now_ns();
  self_ = self_cpu_seconds() - self0_;
  if (server_) server_cpu_ = process_cpu_seconds(server_) - server0_;
}

double CpuWindow::self_pct() const { return seconds() > 0 ? 100 * self_ / seconds() : 0; }
double CpuWindow::server_pct() const { return seconds() > 0 && server_cpu_ >= 0 ? 100 * server_cpu_ / seconds() : -1; }

OrderTotals order_totals(Engine& e) {
  OrderTotals t;
  std::set<int> loss, reorder;
  for (const Conn& c : e.conns()) {
    if (c.role != Role::subscriber || c.channel < 0) continue;
    const std::uint64_t acked = e.channels()[static_cast<std::size_t>(c.channel)].acked_seq;
    const std::uint64_t tail = acked >= c.next_seq ? acked - c.next_seq + 1 : 0;
    t.lost += c.skipped + tail;
    t.reordered += c.stale;
    if (c.skipped + tail) loss.insert(c.channel);
    if (c.stale) reorder.insert(c.channel);
  }
  t.channels_with_loss = static_cast<int>(loss.size());
  t.channels_with_reordering = static_cast<int>(reorder.size());
  return t;
}

bool drained(Engine& e) {
  for (const Conn& c : e.conns()) {
    if (c.stage == Stage::free || c.stage == Stage::closed) continue;
    if (c.role == Role::publisher && c.acks < c.publishes) return false;
    if (c.role == Role::subscriber && c.channel >= 0 &&
        c.next_seq <= e.channels()[static_cast<std::size_t>(c.channel)].acked_seq)
      return false;
  }
  return true;
}

int closed_count(const Engine& e) {
  int n = 0;
  for (const auto& [code, count] : e.closes) n += count;
  return n;
}

std::string close_codes_json(const Engine& e) {
  std::string out = "{";
  for (const auto& [code, count] : e.closes)
    out += (out.size() > 1 ? "," : "") + std::string("\"") + std::to_string(code) + "\":" + std::to_string(count);
  return out + "}";
}

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  return -1;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) < 0x20) continue;
    out += ch;
  }
  return out + "\"";
}

std::string pct_text(double pct) {
  if (pct < 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", pct);
  return buf;
}

std::string latency_json(const Histogram& h) {
  return "{\"p50\":" + std::to_string(h.quantile(0.5)) + ",\"p99\":" + std::to_string(h.quantile(0.99)) +
         ",\"max\":" + std::to_string(h.max()) + "}";
}

JsonLine& JsonLine::raw(std::string_view key, std::string_view json) {
  if (out_.size() > 1) out_ += ',';
  out_ += '"';
  out_.append(key);
  out_ += "\":";
  out_.append(json);
  return *this;
}

JsonLine& JsonLine::closes(const Engine& e) { return num("closed", closed_count(e)).raw("close_codes", close_codes_json(e)); }

JsonLine& JsonLine::cpu(const CpuWindow& w) {
  return num("loadgen_cpu_s", w.self_s(), 3)
      .num("loadgen_cpu_pct", w.self_pct(), 1)
      .num("server_cpu_s", w.server_s(), 3)
      .num("server_cpu_pct", w.server_pct(), 1);
}

void JsonLine::print(const Engine& e) {
  raw("error", e.first_error().empty() ? "null" : json_string(e.first_error()));
  std::printf("%s\n", text().c_str());
  std::fflush(stdout);
}

JsonLine& JsonLine::num(std::string_view key, double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return raw(key, buf);
}

}  // namespace bench
