#pragma once
// The naming rules for channels and groups (docs/protocol.md, "Identifiers").

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::channels {

inline constexpr std::size_t max_name_bytes = 128;

// nullopt when `name` is valid; otherwise a sentence saying what is wrong with it.
std::optional<std::string> check_name(std::string_view name);

}  // namespace switchboard::channels
