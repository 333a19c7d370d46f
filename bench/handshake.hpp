#pragma once

// Opening WebSocket connections for the load generator: TCP connect and the HTTP/1.1 upgrade, blocking, one
// connection at a time. This runs before the measurement, so it is written for clarity, not speed; the
// steady-state read path is in loadgen.cpp.

#include <string>
#include <vector>

namespace bench {

struct Upgraded {
  int fd = -1;
  // Bytes the server sent after the 101 response (usually the start of its first frame) in the same read.
  std::vector<unsigned char> leftover;
};

// Connects to host:port, sends `GET path` with an upgrade, and returns the socket (non-blocking, TCP_NODELAY)
// once a 101 arrived. Throws std::runtime_error saying what failed (connect error, other status, timeout).
Upgraded connect_websocket(const std::string& host, int port, const std::string& path);

}  // namespace bench
