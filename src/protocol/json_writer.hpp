#pragma once
// JsonWriter appends JSON text straight into a std::string: no DOM, no intermediate allocations beyond the
// output's own growth. The caller is responsible for structure (commas, nesting); the writer gets escaping
// and number formatting right.

#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard::protocol {

// Appends `s` as a JSON string literal (quotes included), escaping `"`, `\` and control characters.
// `s` must be valid UTF-8; bytes >= 0x80 are copied as they are.
void append_json_string(std::string& out, std::string_view s);

void append_uint(std::string& out, std::uint64_t v);

}  // namespace switchboard::protocol
