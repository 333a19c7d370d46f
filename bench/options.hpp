#pragma once

// loadgen's command line: one Options for every scenario; values a scenario does not use are ignored, and the
// defaults that depend on the scenario (subscribers, channels) are resolved by parse_options.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "protocol.hpp"

namespace bench {

enum class Scenario : std::uint8_t { s1, s2, s3, s4 };
const char* scenario_name(Scenario s);

struct Options {
  Protocol protocol = Protocol::switchboard;
  Scenario scenario = Scenario::s1;
  std::string host = "127.0.0.1";
  int port = 0;
  std::string path;     // default: the protocol's (default_path)
  int subscribers = 0;  // S1: 1000 on the channel; S2: 10 per channel; S4: 100 stable ones
  int window = 16;      // S1: publishes awaiting their ack
  std::size_t payload = 64;
  double warmup_s = 1;
  double duration_s = 5;
  std::string channel;  // default room:bench-<pid> (S2, S3: the prefix of room:bench-<pid>-<i>): fresh channels
  pid_t server_pid = 0;
  bool publisher = true;             // S1 --no-publisher: consume only (against the blaster)
  std::string label;                 // default: the protocol's name
  int channels = 0;                  // S2: 100; S3: 100 (connections spread over them)
  int publishers = 10;               // S2
  double rate = 1000;                // S2: publishes/s per publisher; S4: the steady publisher's rate
  int connections = 19900;           // S3
  int handshakes_in_flight = 256;    // connections opening at once (every scenario)
  double idle_s = 2;                 // S3: idle time after the last subscription, before reading the RSS again
  double churn_rate = 500;           // S4: churn cycles started per second
  int abrupt_every = 4;              // S4: every Nth churn client closes its socket without a close frame (0: none)
  std::uint64_t per_source = 10000;  // connections per source address before the next 127.0.0.x (see source_for)
};

// Parses argv; prints the usage and exits with 2 on a bad command line.
Options parse_options(int argc, char** argv);

}  // namespace bench
