#include "options.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ws.hpp"

namespace bench {

const char* scenario_name(Scenario s) {
  switch (s) {
    case Scenario::s1: return "s1";
    case Scenario::s2: return "s2";
    case Scenario::s3: return "s3";
    case Scenario::s4: return "s4";
  }
  return "?";
}

namespace {

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(
      stderr,
      "loadgen: %s\n"
      "usage: loadgen --port P [--protocol switchboard|socketio|nats] [--scenario s1|s2|s3|s4]\n"
      "  common: [--host 127.0.0.1] [--path P] [--payload 64] [--warmup 1] [--duration 5] [--channel NAME]\n"
      "          [--server-pid PID] [--label NAME] [--handshakes 256] [--per-source 10000]\n"
      "  s1: [--subscribers 1000] [--window 16] [--no-publisher]\n"
      "  s2: [--channels 100] [--subscribers 10 (per channel)] [--publishers 10] [--rate 1000 (per publisher)]\n"
      "  s3: [--connections 19900] [--channels 100] [--idle 2]\n"
      "  s4: [--subscribers 100] [--rate 1000] [--churn-rate 500] [--abrupt-every 4]\n",
      why.c_str());
  std::exit(2);
}

}  // namespace

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage("missing value for " + std::string(a));
      return argv[++i];
    };
    try {
      if (a == "--host") o.host = value();
      else if (a == "--port") o.port = std::stoi(value());
      else if (a == "--path") o.path = value();
      else if (a == "--protocol") {
        const auto p = parse_protocol(value());
        if (!p) usage("--protocol must be switchboard, socketio or nats");
        o.protocol = *p;
      } else if (a == "--scenario") {
        const std::string s = value();
        if (s == "s1") o.scenario = Scenario::s1;
        else if (s == "s2") o.scenario = Scenario::s2;
        else if (s == "s3") o.scenario = Scenario::s3;
        else if (s == "s4") o.scenario = Scenario::s4;
        else usage("--scenario must be s1, s2, s3 or s4");
      } else if (a == "--subscribers") o.subscribers = std::stoi(value());
      else if (a == "--window") o.window = std::stoi(value());
      else if (a == "--payload") o.payload = std::stoul(value());
      else if (a == "--warmup") o.warmup_s = std::stod(value());
      else if (a == "--duration") o.duration_s = std::stod(value());
      else if (a == "--channel") o.channel = value();
      else if (a == "--server-pid") o.server_pid = std::stoi(value());
      else if (a == "--no-publisher") o.publisher = false;
      else if (a == "--label") o.label = value();
      else if (a == "--channels") o.channels = std::stoi(value());
      else if (a == "--publishers") o.publishers = std::stoi(value());
      else if (a == "--rate") o.rate = std::stod(value());
      else if (a == "--connections") o.connections = std::stoi(value());
      else if (a == "--handshakes") o.handshakes_in_flight = std::stoi(value());
      else if (a == "--idle") o.idle_s = std::stod(value());
      else if (a == "--churn-rate") o.churn_rate = std::stod(value());
      else if (a == "--abrupt-every") o.abrupt_every = std::stoi(value());
      else if (a == "--per-source") o.per_source = std::stoull(value());
      else usage("unknown option " + std::string(a));
    } catch (const std::logic_error&) {  // std::stoi and friends on a non-number
      usage("bad value for " + std::string(a));
    }
  }
  if (o.port <= 0) usage("--port is required");
  if (o.path.empty()) o.path = default_path(o.protocol);
  if (o.label.empty()) o.label = protocol_name(o.protocol);
  if (o.subscribers == 0) o.subscribers = o.scenario == Scenario::s2 ? 10 : o.scenario == Scenario::s4 ? 100 : 1000;
  if (o.channels == 0) o.channels = 100;
  if (o.subscribers < 1 || o.window < 1 || o.channels < 1 || o.publishers < 1 || o.connections < 1 ||
      o.handshakes_in_flight < 1)
    usage("--subscribers, --window, --channels, --publishers, --connections and --handshakes must be at least 1");
  if (o.scenario == Scenario::s2 && o.channels < o.publishers)
    usage("s2 needs --channels >= --publishers (every channel has exactly one publisher)");
  if (!(o.rate > 0) || !(o.churn_rate > 0)) usage("--rate and --churn-rate must be above 0");
  if (o.abrupt_every < 0) usage("--abrupt-every must be 0 or more");
  if (o.payload < kMinPayload || o.payload > 60000) usage("--payload must be 20 to 60000 bytes");
  if (!(o.warmup_s >= 0) || !(o.duration_s > 0) || !(o.idle_s >= 0)) usage("--warmup, --duration, --idle: seconds");
  if (o.per_source < 1) usage("--per-source must be at least 1");
  if (o.channel.empty()) o.channel = "room:bench-" + std::to_string(getpid());
  return o;
}

}  // namespace bench
