#pragma once

// The few pieces of RFC 6455 framing the load generator and the blaster need, written for speed: no allocation,
// no validation beyond what the benchmark itself depends on. This is not a general WebSocket implementation; the
// servers under test are trusted to frame correctly, and what they send is checked at the application level
// (sequence numbers, close codes).

#include <time.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace bench {

enum Opcode : std::uint8_t { kContinuation = 0, kText = 1, kBinary = 2, kClose = 8, kPing = 9, kPong = 10 };

struct FrameHeader {
  std::size_t header_bytes = 0;
  std::uint64_t payload_bytes = 0;
  std::uint8_t opcode = 0;
  bool fin = false;
  bool masked = false;
  std::uint8_t mask[4] = {};
};

// Reads a frame header from the n bytes at p. False when the header is not complete yet.
inline bool parse_frame_header(const std::uint8_t* p, std::size_t n, FrameHeader& h) {
  if (n < 2) return false;
  h.fin = (p[0] & 0x80) != 0;
  h.opcode = p[0] & 0x0f;
  h.masked = (p[1] & 0x80) != 0;
  std::uint64_t len = p[1] & 0x7f;
  std::size_t at = 2;
  if (len == 126) {
    if (n < 4) return false;
    len = (std::uint64_t{p[2]} << 8) | p[3];
    at = 4;
  } else if (len == 127) {
    if (n < 10) return false;
    len = 0;
    for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
    at = 10;
  }
  if (h.masked) {
    if (n < at + 4) return false;
    std::memcpy(h.mask, p + at, 4);
    at += 4;
  }
  h.header_bytes = at;
  h.payload_bytes = len;
  return true;
}

// Writes an unmasked (server) or masked (client, mask != nullptr) frame header for a final frame of `len` bytes
// at out, which has room for 14 bytes. Returns the header size.
inline std::size_t write_frame_header(std::uint8_t* out, std::uint8_t opcode, std::uint64_t len,
                                      const std::uint8_t* mask = nullptr) {
  out[0] = static_cast<std::uint8_t>(0x80 | opcode);
  const std::uint8_t mask_bit = mask ? 0x80 : 0;
  std::size_t at;
  if (len < 126) {
    out[1] = static_cast<std::uint8_t>(mask_bit | len);
    at = 2;
  } else if (len <= 0xffff) {
    out[1] = mask_bit | 126;
    out[2] = static_cast<std::uint8_t>(len >> 8);
    out[3] = static_cast<std::uint8_t>(len);
    at = 4;
  } else {
    out[1] = mask_bit | 127;
    for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<std::uint8_t>(len >> (56 - 8 * i));
    at = 10;
  }
  if (mask) {
    std::memcpy(out + at, mask, 4);
    at += 4;
  }
  return at;
}

// XORs n bytes at p with the 4-byte mask, starting at mask offset 0 (masking and unmasking are the same).
inline void apply_mask(std::uint8_t* p, std::size_t n, const std::uint8_t mask[4]) {
  std::uint32_t m32;
  std::memcpy(&m32, mask, 4);
  const std::uint64_t m64 = (std::uint64_t{m32} << 32) | m32;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t v;
    std::memcpy(&v, p + i, 8);
    v ^= m64;
    std::memcpy(p + i, &v, 8);
  }
  for (; i < n; ++i) p[i] ^= mask[i & 3];
}

inline std::uint64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

// The unsigned decimal right after `key` in text (e.g. key `"seq":`), or `fallback` when absent.
inline std::uint64_t find_uint(std::string_view text, std::string_view key, std::uint64_t fallback = 0) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return fallback;
  std::uint64_t v = 0;
  bool any = false;
  for (std::size_t i = at + key.size(); i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    v = v * 10 + static_cast<std::uint64_t>(text[i] - '0');
    any = true;
  }
  return any ? v : fallback;
}

// Writes v as decimal at out; returns the number of digits.
inline std::size_t write_uint(char* out, std::uint64_t v) {
  char tmp[20];
  std::size_t n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  for (std::size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
  return n;
}

// The 64-byte (by default) application payload both programs put in a message's `text`: "t", the sender's
// CLOCK_MONOTONIC time in nanoseconds as 19 digits, then 'x' up to `size` bytes. Both ends run on one machine,
// so the receiver subtracts it from its own clock for the latency.
inline void write_payload(char* out, std::size_t size, std::uint64_t sent_ns) {
  out[0] = 't';
  for (int i = 19; i >= 1; --i) {
    out[i] = static_cast<char>('0' + sent_ns % 10);
    sent_ns /= 10;
  }
  std::memset(out + 20, 'x', size - 20);
}
inline constexpr std::size_t kMinPayload = 20;
inline constexpr std::string_view kPayloadKey = "\"text\":\"t";

}  // namespace bench
