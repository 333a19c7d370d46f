#pragma once
// Text helpers of the TypeScript emitter: literals, type names for error messages, default-value parsing and
// doc comments. Pure functions; no knowledge of a whole ModelSet.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "codegen/model.hpp"

namespace switchboard::codegen::ts {

// A TypeScript (and JSON) string literal of `text`: `"a\"b"`. Non-ASCII is written as is (files are UTF-8);
// U+2028/U+2029 and control characters are escaped.
std::string json_string(std::string_view text);

// The YAML spelling of `type` for error messages, e.g. "List<int?>", "Map<String, ChatMessage>",
// "(int, {String? name})", "Vector(3)". With `nullable` false the outer `?` is left off.
std::string wire_type_name(const TypeRef& type, bool nullable = true);

// `text` without one pair of surrounding single or double quotes, else `text` unchanged.
std::string unquote(const std::string& text);

// An optional sign and decimal digits within ±(2^53-1).
bool is_safe_integer_literal(const std::string& text);

// A finite decimal number literal (`-1`, `10.5`, `1e-7`).
bool is_number_literal(const std::string& text);

// `text` without a leading '+'.
std::string strip_plus(const std::string& text);

// A Serverpod Duration default such as `1d 2h 10min 30s 100ms` (any subset, in this order, space separated;
// a leading '-' negates) in milliseconds; nullopt when it is not one.
std::optional<std::int64_t> parse_duration_ms(const std::string& text);

// A JSDoc comment for `doc` (lines joined with '\n'), each line prefixed with `indent`; "" for an empty doc.
std::string doc_comment(const std::string& doc, const std::string& indent);

// A property name as written after `.` and in object literals. The loader guarantees identifiers.
inline const std::string& property_name(const std::string& name) { return name; }

}  // namespace switchboard::codegen::ts
