// libFuzzer target for the channels.yaml parser (src/channels/channel_config.cpp, with yaml-cpp). Seeds:
// tests/fuzz/channel_config/.
//
// parse_channel_rules documents one way to fail: std::runtime_error with "SOURCE:LINE:COLUMN: message". So on
// any text it must either return rules or throw exactly that; another exception type, a message without the
// position, or a crash is a bug. Rules it returns must be ones ChannelRules::add accepts, and each declared
// exact name must be found by lookup.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

#include "channels/channel_config.hpp"
#include "channels/channel_rules.hpp"

namespace {

constexpr std::string_view source = "fuzz.yaml";

// "fuzz.yaml:LINE:COLUMN: message" with LINE and COLUMN positive integers and a non-empty message.
bool positioned(std::string_view what) {
  if (!what.starts_with(source) || what.size() <= source.size() || what[source.size()] != ':') return false;
  what.remove_prefix(source.size() + 1);
  for (int part = 0; part < 2; ++part) {
    std::size_t digits = 0;
    while (digits < what.size() && what[digits] >= '0' && what[digits] <= '9') ++digits;
    if (digits == 0 || what[0] == '0' || digits == what.size() || what[digits] != ':') return false;
    what.remove_prefix(digits + 1);
  }
  return what.size() > 1 && what[0] == ' ';
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "parse_channel_rules broke its contract: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  switchboard::ChannelRules rules;
  try {
    rules = switchboard::channels::parse_channel_rules(text, source);
  } catch (const std::runtime_error& e) {
    if (!positioned(e.what())) fail(e.what());
    return 0;
  } catch (const std::exception& e) {
    fail(e.what());
  } catch (...) {
    fail("a non-std exception");
  }

  switchboard::ChannelRules again;
  for (const auto& rule : rules.rules()) {
    try {
      again.add(rule);
    } catch (const std::invalid_argument& e) {
      fail(e.what());  // the parser returned a rule the library itself refuses
    }
    if (!rule.pattern.ends_with('*') && rules.lookup(rule.pattern) != &rule) fail("an exact name not found");
  }
  return 0;
}
