#include "channels/channel_name.hpp"

#include <fmt/format.h>

namespace switchboard::channels {

namespace {

constexpr bool allowed(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == ':' || c == '.' || c == '@' || c == '/' || c == '=';
}

}  // namespace

std::optional<std::string> check_name(std::string_view name) {
  if (name.empty()) return "channel name must not be empty";
  if (name.size() > max_name_bytes) {
    return fmt::format("channel name is {} bytes long; the limit is {}", name.size(), max_name_bytes);
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!allowed(static_cast<unsigned char>(name[i]))) {
      return fmt::format("channel name has a character outside A-Z a-z 0-9 _ - : . @ / = at byte {}", i);
    }
  }
  return std::nullopt;
}

}  // namespace switchboard::channels
