#pragma once
// Splitting and decoding of request targets ("/ws?user=ada%20l"). Pure functions, no I/O.

#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace switchboard::server::net_url {

// "/ws?x=1" -> {"/ws", "x=1"}
std::pair<std::string_view, std::string_view> split_target(std::string_view target);
// Percent-decoding, with '+' as a space. Invalid escapes are kept as they are.
std::string decode(std::string_view s);
// "a=1&b=x%20y" -> {a: "1", b: "x y"}; the last of repeated keys wins.
std::map<std::string, std::string> parse_query(std::string_view query);

}  // namespace switchboard::server::net_url
