#pragma once

// The scenarios of issue 6. Each runs to completion within seconds, prints one JSON line on stdout and a summary
// on stderr, and returns the exit status: 0 only for a clean run.
//
// s1 fan-out: one channel, --subscribers, one publisher keeping --window publishes awaiting their ack.
// s2 many channels: --channels x --subscribers, --publishers each at --rate publishes/s, latency and loss.
// s3 idle: --connections each subscribed to one of --channels, then idle; the server's RSS per connection.
// s4 churn: a steady broadcast (s1's shape at --rate) while churn clients connect, subscribe and leave.

#include "../options.hpp"

namespace bench {

int run_s1(const Options& o);
int run_s2(const Options& o);
int run_s3(const Options& o);
int run_s4(const Options& o);

}  // namespace bench
