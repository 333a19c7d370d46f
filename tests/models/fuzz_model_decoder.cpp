// libFuzzer target for the generated model decoders (built with -DSWITCHBOARD_FUZZ=ON and clang++). The first
// byte picks a className of tests/models/protocol; the rest is the `data` JSON. Every input must either fail
// with an error message or decode and re-encode to JSON that decodes again to the same encoding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "switchboard/model/registry.hpp"
#include "switchboard_models.hpp"

namespace sm = switchboard::model;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sm::Registry registry = [] {
    sm::Registry r;
    switchboard::models::register_models(r);
    return r;
  }();
  static const auto names = registry.class_names();
  if (size == 0) return 0;
  const std::string_view name = names[data[0] % names.size()];
  const std::string_view json(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string first;
  const auto result = registry.transcode(name, json, sm::Scope::server, first);
  if (!result.ok()) {
    if (result.error().empty()) std::abort();
    return 0;
  }
  std::string second;
  if (!registry.transcode(name, first, sm::Scope::server, second).ok() || first != second) std::abort();
  return 0;
}
