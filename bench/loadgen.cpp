// loadgen: a single-threaded WebSocket load generator for issue 6's scenarios, against Switchboard and its peers.
//
//   loadgen --port P [--protocol switchboard|socketio|nats] [--scenario s1|s2|s3|s4] [options]
//
// The pieces: options.cpp (the command line), protocol.cpp (what each server's language looks like),
// upgrade.cpp (non-blocking connects and the HTTP upgrade), engine.cpp (the epoll loop, framing and the
// bookkeeping every scenario shares), scenarios/s1.cpp ... s4.cpp (what each scenario does and reports).
// bench/README.md documents the options, the scenarios and every output field.

#include <sys/resource.h>

#include <cstdio>
#include <exception>

#include "options.hpp"
#include "scenarios/scenarios.hpp"

namespace {

// S3 holds ~20,000 sockets: take the hard descriptor limit, whatever the soft one is.
void raise_descriptor_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const bench::Options o = bench::parse_options(argc, argv);
    raise_descriptor_limit();
    switch (o.scenario) {
      case bench::Scenario::s1: return bench::run_s1(o);
      case bench::Scenario::s2: return bench::run_s2(o);
      case bench::Scenario::s3: return bench::run_s3(o);
      case bench::Scenario::s4: return bench::run_s4(o);
    }
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loadgen: %s\n", e.what());
    return 2;
  }
}
