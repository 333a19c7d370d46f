#pragma once

// Opening WebSocket connections without blocking, so that many handshakes are in flight at once (S3 opens
// 19,900 connections, S4 hundreds per second): a non-blocking connect() from a chosen source address, the
// HTTP/1.1 upgrade request, and reading its 101 response. The epoll loop (engine.cpp) drives the steps.

#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace bench {

// Parses an IPv4 address; throws std::runtime_error when it is not one.
in_addr parse_ipv4(const std::string& host);

// The source address for the i-th connection to a loopback server: the kernel's choice (127.0.0.1) for the
// first `per_source`, then 127.0.0.2, 127.0.0.3, ...: one source address has ~28,000 ephemeral ports
// (ip_local_port_range), and every connection to one server address and port needs its own.
// INADDR_ANY (0) means "let the kernel choose".
in_addr source_for(std::uint64_t i, std::uint64_t per_source);

// A non-blocking TCP socket (TCP_NODELAY) connecting to dst from src (src.s_addr 0: any). Returns the fd (the
// connect is in progress or done: wait for writability), or -errno.
int start_connect(const sockaddr_in& dst, in_addr src);

// The upgrade request. A fixed key: the server's Sec-WebSocket-Accept is not checked (it proves nothing between
// two local programs).
std::string upgrade_request(std::string_view host, int port, std::string_view path);

// The HTTP response read so far: 0 while incomplete, the size of its head (through the blank line) when it is a
// 101, -1 when it is complete and refused.
long upgrade_response_end(std::string_view response);

}  // namespace bench
