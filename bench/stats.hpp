#pragma once

// Measurement helpers: a fixed-size latency histogram (no allocation while recording) and CPU time readers for
// this process (getrusage) and another one (/proc/PID/stat).

#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace bench {

// Log-linear buckets: exact below 16, then 16 buckets per power of two (under 6.25% error), up to 2^63.
class Histogram {
 public:
  void record(std::uint64_t v) {
    ++counts_[index(v)];
    ++total_;
    if (v > max_) max_ = v;
  }
  std::uint64_t count() const { return total_; }
  std::uint64_t max() const { return max_; }
  // The upper bound of the bucket holding the q-quantile (0 < q <= 1); 0 when empty.
  std::uint64_t quantile(double q) const {
    if (total_ == 0) return 0;
    const auto want = static_cast<std::uint64_t>(q * static_cast<double>(total_) + 0.5);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= want && counts_[i]) return upper(i) < max_ ? upper(i) : max_;
    }
    return max_;
  }

 private:
  static std::size_t index(std::uint64_t v) {
    if (v < 16) return v;
    const int e = 63 - std::countl_zero(v);  // >= 4
    return static_cast<std::size_t>(16 * (e - 3)) + ((v >> (e - 4)) & 15);
  }
  static std::uint64_t upper(std::size_t i) {
    if (i < 16) return i;
    const std::size_t e = i / 16 + 3, sub = i % 16;
    return ((16 + sub + 1) << (e - 4)) - 1;
  }
  std::array<std::uint64_t, 16 * 61> counts_{};
  std::uint64_t total_ = 0, max_ = 0;
};

// User + system CPU seconds of this process.
inline double self_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto s = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

// User + system CPU seconds of process pid (all its threads), from /proc/PID/stat; -1 when unreadable.
inline double process_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return -1;
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are space-separated,
  // starting with field 3 (state). utime and stime are fields 14 and 15.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i < 14; ++i) rest >> field;
  unsigned long long utime = 0, stime = 0;
  if (!(rest >> utime >> stime)) return -1;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace bench
