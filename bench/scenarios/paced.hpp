#pragma once

// Publishing at a fixed rate, paced by the clock (not by acks), for S2 and S4: each publisher has a due time;
// everything due is written, then sent in one send() per publisher. The send time in the payload is the time of
// writing, so the latency is the server's and the network's, not loadgen's lateness; how late loadgen itself
// ran is reported apart (max_lag_us).

#include <cstdint>
#include <vector>

#include "../engine.hpp"

namespace bench {

class PacedPublishers {
 public:
  // The publishers' slots; the i-th starts at start + i * interval / n, so that their publishes interleave.
  PacedPublishers(Engine& e, std::vector<int> slots, double rate, std::uint64_t start);
  // Writes and sends every publish due by now.
  void publish_due(std::uint64_t now);
  // Time until the next publish is due (0 when one is due).
  std::uint64_t until_next(std::uint64_t now) const;
  std::uint64_t max_lag_us() const { return max_lag_ns_ / 1000; }

 private:
  Engine& e_;
  std::vector<int> slots_;
  std::uint64_t interval_ns_;
  std::uint64_t max_lag_ns_ = 0;
};

}  // namespace bench
