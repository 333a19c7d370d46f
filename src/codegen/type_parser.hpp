#pragma once
// Parses the type part of a model field, e.g. `List<Map<String, int?>>?`, `(int, {String? name})`,
// `Vector(512)` or `module:auth:UserInfo`, into a TypeRef. Pure: no I/O, no knowledge of which models exist.
//
// Grammar (whitespace allowed between tokens):
//   type       := base '?'?
//   base       := record | vector | name ('<' type (',' type)* '>')?
//   vector     := ('Vector' | 'HalfVector' | 'SparseVector' | 'Bit') '(' positive-integer ')'
//   name       := ident | 'module' ':' ident ':' ident
//   record     := '(' ')'-free list of positional `type ident?`, then optionally '{' `type ident` (',' ...)* ','? '}'
//                 A record with one positional field and no named field needs a trailing comma: `(int,)`.
// Scalars (bool, int, double, String, DateTime, Duration, ByteData, UuidValue, Uri, BigInt) and containers (List,
// Set, Map) are recognised by name; any other identifier is a model reference, resolved later by the loader.

#include <optional>
#include <string>
#include <string_view>

#include "codegen/model.hpp"

namespace switchboard::codegen {

// The outcome of parse_type: a type, or an error with its 1-based column within the parsed text.
struct TypeParseResult {
  std::optional<TypeRef> type;
  int error_column = 0;
  std::string error;

  explicit operator bool() const { return type.has_value(); }
};

// Parses `text` in full. On success every TypeRef in the tree (arguments, record fields) has `where.column` set
// to the 1-based column of its first character within `text` (where.line and where.file are left empty for the
// caller to fill in). Never throws.
TypeParseResult parse_type(std::string_view text);

// The canonical spelling of `type`, e.g. "Map<String, List<int?>>?" or "(int, {String? name})".
std::string to_string(const TypeRef& type);

}  // namespace switchboard::codegen
