#pragma once
// scrape_metrics: GET /metrics from a running server, parsed into {"name{labels}": value}, with the Prometheus
// text format checked on the way (used by the metrics and write-batching tests).

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <sstream>
#include <string>

#include "support/raw_socket.hpp"

namespace switchboard::testing {

// GET /metrics -> {"name{labels}": value}; checks the exposition format on the way.
inline std::map<std::string, std::uint64_t> scrape_metrics(std::uint16_t port) {
  RawSocket raw(port);
  raw.write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto response = raw.read_to_eof().first;
  const auto split = response.find("\r\n\r\n");
  EXPECT_NE(split, std::string::npos);
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK")) << response.substr(0, 80);
  EXPECT_NE(response.find("Content-Type: text/plain; version=0.0.4; charset=utf-8"), std::string::npos);
  std::map<std::string, std::uint64_t> out;
  std::istringstream body(response.substr(split + 4));
  std::string line, typed;
  while (std::getline(body, line)) {
    if (line.starts_with("# HELP ")) continue;
    if (line.starts_with("# TYPE ")) {
      typed = line.substr(7, line.find(' ', 7) - 7);
      continue;
    }
    const auto space = line.rfind(' ');
    const auto key = line.substr(0, space);
    EXPECT_TRUE(key.starts_with(typed)) << "sample " << key << " outside its family " << typed;
    EXPECT_EQ(out.count(key), 0u) << "duplicate sample " << key;
    out[key] = std::stoull(line.substr(space + 1));
  }
  return out;
}

}  // namespace switchboard::testing
