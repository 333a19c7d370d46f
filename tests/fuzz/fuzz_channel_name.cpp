// libFuzzer target for the channel naming rules (src/channels/channel_name.cpp, check_pattern and
// ChannelRules in src/channels/channel_rules.cpp). Seeds: tests/fuzz/channel_name/.
//
// check_name is compared with the rule of docs/protocol.md ("Identifiers": 1 to 128 bytes of
// A-Z a-z 0-9 _ - : . @ / =), written here independently. A name it accepts must also be a valid pattern that
// ChannelRules::add takes and lookup finds exactly; a pattern check_pattern refuses must make add throw
// std::invalid_argument; a pattern it accepts must match the channels its prefix starts.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "channels/channel_name.hpp"
#include "channels/channel_rules.hpp"

namespace ch = switchboard::channels;

namespace {

bool documented_char(unsigned char c) {
  return std::string_view("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-:.@/=").find(
             static_cast<char>(c)) != std::string_view::npos;
}

bool documented_name(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (unsigned char c : s) {
    if (!documented_char(c)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const auto problem = ch::check_name(text);
  if (problem.has_value() == documented_name(text)) std::abort();
  if (problem && problem->empty()) std::abort();

  const auto pattern_problem = ch::check_pattern(text);
  if (!problem && pattern_problem) std::abort();  // every valid name is a valid (exact) pattern
  const bool is_pattern = !text.empty() && text.back() == '*' &&
                          (text.size() == 1 || documented_name(text.substr(0, text.size() - 1)));
  if (pattern_problem.has_value() == (documented_name(text) || is_pattern)) std::abort();

  switchboard::ChannelRules rules;
  try {
    rules.add({std::string(text), {}, switchboard::Publishers::clients});
  } catch (const std::invalid_argument&) {
    if (!pattern_problem) std::abort();
    return 0;
  }
  if (pattern_problem) std::abort();
  if (is_pattern) {
    const auto prefix = std::string(text.substr(0, text.size() - 1));
    if (rules.lookup(prefix + "x") != &rules.rules()[0]) std::abort();
    if (!prefix.empty() && rules.lookup(prefix.substr(0, prefix.size() - 1)) != nullptr) std::abort();
  } else {
    if (rules.lookup(text) != &rules.rules()[0]) std::abort();
    if (rules.lookup(std::string(text) + "x") != nullptr) std::abort();
  }
  return 0;
}
