#include "codegen/type_parser.hpp"

#include <array>
#include <cctype>
#include <utility>

#include <fmt/format.h>

namespace switchboard::codegen {
namespace {

constexpr int max_depth = 32;  // Nesting limit: keeps recursion bounded on hostile input.

struct NamedKind {
  std::string_view name;
  TypeRef::Kind kind;
};

constexpr std::array scalar_kinds{
    NamedKind{"bool", TypeRef::Kind::boolean},     NamedKind{"int", TypeRef::Kind::integer},
    NamedKind{"double", TypeRef::Kind::floating},  NamedKind{"String", TypeRef::Kind::string},
    NamedKind{"DateTime", TypeRef::Kind::date_time}, NamedKind{"Duration", TypeRef::Kind::duration},
    NamedKind{"ByteData", TypeRef::Kind::byte_data}, NamedKind{"UuidValue", TypeRef::Kind::uuid},
    NamedKind{"Uri", TypeRef::Kind::uri},          NamedKind{"BigInt", TypeRef::Kind::big_int},
};

constexpr std::array vector_kinds{
    NamedKind{"Vector", TypeRef::Kind::vector},
    NamedKind{"HalfVector", TypeRef::Kind::half_vector},
    NamedKind{"SparseVector", TypeRef::Kind::sparse_vector},
    NamedKind{"Bit", TypeRef::Kind::bit},
};

// Serverpod types that have no wire mapping in Switchboard: named in a precise error instead of "unknown type".
constexpr std::array<std::string_view, 6> unsupported_names{
    "dynamic", "Object", "GeographyPoint", "GeographyLineString", "GeographyPolygon",
    "GeographyGeometryCollection",
};

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Recursive-descent parser over one type string. The first error wins; every parse function returns
// nullopt once `error` is set.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  TypeParseResult run() {
    TypeParseResult result;
    skip_space();
    if (at_end()) {
      fail(pos_, "missing type");
    } else if (auto type = parse_type(0)) {
      skip_space();
      if (!at_end()) {
        fail(pos_, fmt::format("unexpected '{}' after the type", text_[pos_]));
      } else {
        result.type = std::move(type);
      }
    }
    if (!result.type) {
      result.error = error_;
      result.error_column = static_cast<int>(error_pos_) + 1;
    }
    return result;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool failed() const { return !error_.empty(); }
  void fail(std::size_t at, std::string message) {
    if (failed()) return;
    error_pos_ = at;
    error_ = std::move(message);
  }
  // Describes what is at `pos_` for "expected X, found Y" messages.
  std::string found() const {
    if (at_end()) return "end of type";
    return fmt::format("'{}'", text_[pos_]);
  }
  bool expect(char c) {
    skip_space();
    if (peek() == c) {
      ++pos_;
      return true;
    }
    fail(pos_, fmt::format("expected '{}', found {}", c, found()));
    return false;
  }
  std::string_view ident() {
    std::size_t start = pos_;
    while (!at_end() && is_ident_char(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  std::optional<TypeRef> parse_type(int depth) {
    skip_space();
    if (depth > max_depth) {
      fail(pos_, fmt::format("type nested deeper than {} levels", max_depth));
      return std::nullopt;
    }
    std::optional<TypeRef> type;
    if (peek() == '(') {
      type = parse_record(depth);
    } else if (is_ident_start(peek())) {
      type = parse_named(depth);
    } else {
      fail(pos_, fmt::format("expected a type, found {}", found()));
    }
    if (!type) return std::nullopt;
    skip_space();
    if (peek() == '?') {
      ++pos_;
      type->nullable = true;
      skip_space();
      if (peek() == '?') {
        fail(pos_, "'?' given twice");
        return std::nullopt;
      }
    }
    return type;
  }

  std::optional<TypeRef> parse_named(int depth) {
    TypeRef type;
    const std::size_t start = pos_;
    type.where.column = static_cast<int>(start) + 1;
    std::string_view name = ident();

    // Qualified names: `module:NICKNAME:Type`; any other `a:b` form is a package reference we cannot resolve.
    if (peek() == ':') {
      std::vector<std::string_view> parts{name};
      while (peek() == ':') {
        ++pos_;
        if (!is_ident_start(peek())) {
          fail(pos_, fmt::format("expected a name after ':', found {}", found()));
          return std::nullopt;
        }
        parts.push_back(ident());
      }
      std::string_view whole = text_.substr(start, pos_ - start);
      if (parts.size() != 3 || parts[0] != "module") {
        fail(start, fmt::format("unsupported qualified type '{}': a type from a module is written "
                                "'module:NICKNAME:Type'", whole));
        return std::nullopt;
      }
      type.kind = TypeRef::Kind::model;
      type.module = std::string(parts[1]);
      type.name = std::string(parts[2]);
      return reject_arguments(std::move(type), whole);
    }

    for (const auto& s : scalar_kinds) {
      if (s.name == name) {
        type.kind = s.kind;
        return reject_arguments(std::move(type), name);
      }
    }
    for (const auto& v : vector_kinds) {
      if (v.name == name) {
        type.kind = v.kind;
        return parse_dimension(std::move(type), name);
      }
    }
    for (auto u : unsupported_names) {
      if (u == name) {
        fail(start, fmt::format("'{}' is not supported (no wire mapping in switchboard-gen)", name));
        return std::nullopt;
      }
    }
    if (name == "List" || name == "Set" || name == "Map") {
      type.kind = name == "List" ? TypeRef::Kind::list
                  : name == "Set" ? TypeRef::Kind::set
                                  : TypeRef::Kind::map;
      return parse_arguments(std::move(type), name, name == "Map" ? 2 : 1, depth);
    }
    type.kind = TypeRef::Kind::model;
    type.name = std::string(name);
    return reject_arguments(std::move(type), name);
  }

  std::optional<TypeRef> reject_arguments(TypeRef type, std::string_view name) {
    skip_space();
    if (peek() == '<') {
      fail(pos_, fmt::format("'{}' takes no type arguments", name));
      return std::nullopt;
    }
    if (peek() == '(') {
      fail(pos_, fmt::format("'{}' takes no dimension", name));
      return std::nullopt;
    }
    return type;
  }

  std::optional<TypeRef> parse_arguments(TypeRef type, std::string_view name, std::size_t count, int depth) {
    skip_space();
    if (peek() != '<') {
      fail(pos_, fmt::format("'{}' needs {} type argument{}: {}", name, count, count == 1 ? "" : "s",
                             count == 1 ? fmt::format("{}<T>", name) : fmt::format("{}<K, V>", name)));
      return std::nullopt;
    }
    const std::size_t open = pos_++;
    while (true) {
      auto arg = parse_type(depth + 1);
      if (!arg) return std::nullopt;
      type.args.push_back(std::move(*arg));
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '>') break;
      fail(pos_, fmt::format("expected ',' or '>', found {}", found()));
      return std::nullopt;
    }
    if (type.args.size() != count) {
      fail(open, fmt::format("'{}' takes {} type argument{}, found {}", name, count, count == 1 ? "" : "s",
                             type.args.size()));
      return std::nullopt;
    }
    ++pos_;  // '>'
    return type;
  }

  std::optional<TypeRef> parse_dimension(TypeRef type, std::string_view name) {
    skip_space();
    if (peek() != '(') {
      fail(pos_, fmt::format("'{}' needs a dimension: {}(n)", name, name));
      return std::nullopt;
    }
    ++pos_;
    skip_space();
    const std::size_t digits = pos_;
    long value = 0;
    while (!at_end() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      if (value < 1'000'000'000) value = value * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    if (pos_ == digits || value <= 0 || value > 1'000'000) {
      fail(digits, fmt::format("the dimension of '{}' must be an integer from 1 to 1000000", name));
      return std::nullopt;
    }
    type.dimension = static_cast<int>(value);
    if (!expect(')')) return std::nullopt;
    return type;
  }

  // Reads an optional field name after a record field's type.
  std::string field_name() {
    skip_space();
    if (!is_ident_start(peek())) return {};
    return std::string(ident());
  }

  std::optional<TypeRef> parse_record(int depth) {
    TypeRef type;
    type.kind = TypeRef::Kind::record;
    const std::size_t open = pos_++;
    type.where.column = static_cast<int>(open) + 1;
    bool trailing_comma = false;
    std::size_t positional = 0;
    bool named_seen = false;
    while (true) {
      skip_space();
      if (peek() == ')') break;
      if (named_seen) {
        fail(pos_, fmt::format("expected ')' after the named fields, found {}", found()));
        return std::nullopt;
      }
      if (peek() == '{') {
        if (!parse_named_fields(type, depth)) return std::nullopt;
        named_seen = true;
        trailing_comma = false;
      } else {
        auto field_type = parse_type(depth + 1);
        if (!field_type) return std::nullopt;
        TypeRef::RecordField field;
        field.type = std::make_shared<TypeRef>(std::move(*field_type));
        field.name = field_name();
        type.record_fields.push_back(std::move(field));
        ++positional;
        trailing_comma = false;
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        trailing_comma = true;
        continue;
      }
      if (peek() != ')') {
        fail(pos_, fmt::format("expected ',' or ')' in record, found {}", found()));
        return std::nullopt;
      }
    }
    if (type.record_fields.empty()) {
      fail(open, "a record needs at least one field");
      return std::nullopt;
    }
    if (positional == 1 && !named_seen && !trailing_comma) {
      fail(pos_, "a record with one positional field needs a trailing comma, e.g. '(int,)'");
      return std::nullopt;
    }
    ++pos_;  // ')'
    return type;
  }

  // `{T1 name1, T2 name2,}` inside a record.
  bool parse_named_fields(TypeRef& record, int depth) {
    const std::size_t open = pos_++;
    std::size_t count = 0;
    while (true) {
      skip_space();
      if (peek() == '}') break;
      auto field_type = parse_type(depth + 1);
      if (!field_type) return false;
      TypeRef::RecordField field;
      field.named = true;
      skip_space();
      const std::size_t name_at = pos_;
      field.name = field_name();
      if (field.name.empty()) {
        fail(name_at, fmt::format("a named record field needs a name, found {}", found()));
        return false;
      }
      for (const auto& other : record.record_fields) {
        if (other.name == field.name) {
          fail(name_at, fmt::format("record field '{}' given twice", field.name));
          return false;
        }
      }
      field.type = std::make_shared<TypeRef>(std::move(*field_type));
      record.record_fields.push_back(std::move(field));
      ++count;
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') {
        fail(pos_, fmt::format("expected ',' or '}}' in named record fields, found {}", found()));
        return false;
      }
    }
    if (count == 0) {
      fail(open, "empty '{}' in record: give named fields or remove the braces");
      return false;
    }
    ++pos_;  // '}'
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t error_pos_ = 0;
  std::string error_;
};

std::string_view kind_name(TypeRef::Kind kind) {
  for (const auto& s : scalar_kinds) {
    if (s.kind == kind) return s.name;
  }
  for (const auto& v : vector_kinds) {
    if (v.kind == kind) return v.name;
  }
  switch (kind) {
    case TypeRef::Kind::list: return "List";
    case TypeRef::Kind::set: return "Set";
    case TypeRef::Kind::map: return "Map";
    default: return "";
  }
}

}  // namespace

TypeParseResult parse_type(std::string_view text) { return Parser(text).run(); }

std::string to_string(const TypeRef& type) {
  std::string out;
  switch (type.kind) {
    case TypeRef::Kind::model:
      out = type.module.empty() ? type.name : fmt::format("module:{}:{}", type.module, type.name);
      break;
    case TypeRef::Kind::list:
    case TypeRef::Kind::set:
    case TypeRef::Kind::map: {
      out = fmt::format("{}<", kind_name(type.kind));
      for (std::size_t i = 0; i < type.args.size(); ++i) {
        if (i > 0) out += ", ";
        out += to_string(type.args[i]);
      }
      out += '>';
      break;
    }
    case TypeRef::Kind::vector:
    case TypeRef::Kind::half_vector:
    case TypeRef::Kind::sparse_vector:
    case TypeRef::Kind::bit:
      out = fmt::format("{}({})", kind_name(type.kind), type.dimension);
      break;
    case TypeRef::Kind::record: {
      out = "(";
      std::size_t positional = 0;
      bool in_named = false;
      for (std::size_t i = 0; i < type.record_fields.size(); ++i) {
        const auto& f = type.record_fields[i];
        if (i > 0) out += ", ";
        if (f.named && !in_named) {
          out += '{';
          in_named = true;
        }
        out += to_string(*f.type);
        if (!f.name.empty()) out += ' ' + f.name;
        if (!f.named) ++positional;
      }
      if (in_named) out += '}';
      if (positional == 1 && !in_named) out += ',';
      out += ')';
      break;
    }
    default:
      out = std::string(kind_name(type.kind));
  }
  if (type.nullable) out += '?';
  return out;
}

}  // namespace switchboard::codegen
