// libFuzzer target for the request-target helpers of src/net/url.cpp (split_target, decode, parse_query),
// which see every upgrade request's target before the authenticator does. Seeds: tests/fuzz/url/.
//
// Properties checked on every input:
// - split_target: the path holds no '?', and path + "?" + query gives the target back when it had a '?'.
// - decode never produces more bytes than it was given, is the identity on text without '%' and '+', and
//   undoes percent-encoding of any bytes (decode(encode(x)) == x).
// - parse_query: no key or value is longer than the query, there are no more entries than '&'-separated
//   parts, and encoding the parsed map back into a query and parsing that again gives the same map.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "net/url.hpp"

namespace url = switchboard::server::net_url;

namespace {

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 0xF];
  }
  return out;
}

void check_split(std::string_view target) {
  const auto [path, query] = url::split_target(target);
  if (path.find('?') != std::string_view::npos) std::abort();
  if (target.find('?') == std::string_view::npos) {
    if (path != target || !query.empty()) std::abort();
  } else if (std::string(path) + "?" + std::string(query) != target) {
    std::abort();
  }
}

void check_decode(std::string_view s) {
  const std::string decoded = url::decode(s);
  if (decoded.size() > s.size()) std::abort();
  if (s.find_first_of("%+") == std::string_view::npos && decoded != s) std::abort();
  if (url::decode(percent_encode(s)) != s) std::abort();
}

void check_query(std::string_view query) {
  const auto parsed = url::parse_query(query);
  std::size_t parts = 1;
  for (char c : query) parts += c == '&';
  if (parsed.size() > parts) std::abort();
  std::string again;
  for (const auto& [key, value] : parsed) {
    if (key.size() > query.size() || value.size() > query.size()) std::abort();
    if (!again.empty()) again += '&';
    again += percent_encode(key) + "=" + percent_encode(value);
  }
  if (url::parse_query(again) != parsed) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_split(text);
  check_decode(text);
  check_query(url::split_target(text).second);
  return 0;
}
