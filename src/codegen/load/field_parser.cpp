// Parsing of scalars and of one field's line, `name: Type, option, ...`: splitting the value at top-level commas,
// parsing the type with exact columns (type_parser.hpp), and every field option Serverpod defines (persist,
// default, defaultModel, defaultPersist, scope, jsonKey, the old `api` and `database` spellings, and the database
// options it accepts and ignores with a note). Reports through the FileContext; holds no state.
#include <array>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "codegen/load/detail.hpp"
#include "codegen/type_parser.hpp"

namespace switchboard::codegen::loader_detail {

// A scalar node's text as a string, or nullopt (with an error) when the node is not a scalar.
std::optional<std::string> scalar(const FileContext& file, const YAML::Node& node, const YAML::Node& key,
                                  std::string_view what) {
  if (!node.IsScalar()) {
    file.report.error(file.at(node, key), fmt::format("{} must be a single value", what));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<bool> boolean(const FileContext& file, const YAML::Node& node, const YAML::Node& key,
                            std::string_view what) {
  auto text = scalar(file, node, key, what);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  file.report.error(file.at(node, key), fmt::format("{} must be true or false, found '{}'", what, *text));
  return std::nullopt;
}

namespace {

// The 1-based file column of character 0 of a scalar's text: one further right when the scalar is quoted.
int content_column(const FileContext& file, const YAML::Node& node) {
  SourceLocation where = file.at(node.Mark());
  return node.Tag() == "!" ? where.column + 1 : where.column;
}

// One comma-separated part of a field's value, e.g. `scope=serverOnly`, trimmed, with its offset in the value.
struct Segment {
  std::string text;
  std::size_t offset = 0;
};

// Splits at commas outside <>, (), {} and quotes: "Map<K, V>?, default=..." -> ["Map<K, V>?", "default=..."].
std::vector<Segment> split_options(const std::string& value) {
  std::vector<Segment> out;
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  auto push = [&](std::size_t end) {
    std::size_t b = start;
    while (b < end && std::isspace(static_cast<unsigned char>(value[b]))) ++b;
    std::size_t e = end;
    while (e > b && std::isspace(static_cast<unsigned char>(value[e - 1]))) --e;
    out.push_back({value.substr(b, e - b), b});
  };
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '<' || c == '(' || c == '{') {
      ++depth;
    } else if (c == '>' || c == ')' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      push(i);
      start = i + 1;
    }
  }
  push(value.size());
  // `Type,` (a trailing comma, as some Serverpod files have) ends with an empty part: not an option.
  if (out.size() > 1 && out.back().text.empty()) out.pop_back();
  return out;
}

// Fills in file, line and columns for a parsed type whose text starts at `column` (1-based) of `line`.
void place(TypeRef& type, const std::string& path, int line, int column) {
  type.where.file = path;
  type.where.line = line;
  type.where.column = column + type.where.column - 1;
  for (auto& arg : type.args) place(arg, path, line, column);
  for (auto& field : type.record_fields) place(*field.type, path, line, column);
}

// Parses a type written at `column` of `line`; reports an error at the exact character on failure.
std::optional<TypeRef> parse_type_at(const FileContext& file, const std::string& text, int line, int column) {
  TypeParseResult parsed = parse_type(text);
  if (!parsed) {
    file.report.error({file.path, line, column + parsed.error_column - 1},
                      fmt::format("invalid type '{}': {}", text, parsed.error));
    return std::nullopt;
  }
  place(*parsed.type, file.path, line, column);
  return std::move(parsed.type);
}

// Field options that only matter to a database; accepted and ignored with a note.
constexpr std::array<std::string_view, 9> database_field_options{
    "relation", "parent", "column", "unique", "serializationDataType", "onDelete", "onUpdate", "field",
    "optional"};

// The option part of one field: everything after the type.
bool parse_field_options(const FileContext& file, const std::vector<Segment>& segments, int line, int column,
                         Field& field, std::optional<DefaultValue>& default_persist) {
  bool ok = true;
  std::set<std::string> seen;
  std::optional<DefaultValue> plain_default;
  std::optional<DefaultValue> model_default;
  for (std::size_t i = 1; i < segments.size(); ++i) {
    const Segment& seg = segments[i];
    SourceLocation where{file.path, line, column + static_cast<int>(seg.offset)};
    if (seg.text.empty()) {
      file.report.error(where, "empty field option (two commas in a row?)");
      ok = false;
      continue;
    }
    std::string key = seg.text;
    std::optional<std::string> value;
    std::size_t value_offset = 0;
    bool negated = false;
    auto eq = seg.text.find('=');
    auto paren = seg.text.find('(');
    if (eq != std::string::npos && (paren == std::string::npos || eq < paren)) {
      key = trim(seg.text.substr(0, eq));
      value_offset = eq + 1;
      while (value_offset < seg.text.size() && seg.text[value_offset] == ' ') ++value_offset;
      value = seg.text.substr(value_offset);
      while (!value->empty() && value->back() == ' ') value->pop_back();
    } else if (paren != std::string::npos) {
      key = trim(seg.text.substr(0, paren));
      if (seg.text.back() != ')') {
        file.report.error(where, fmt::format("field option '{}' has an unclosed '('", key));
        ok = false;
        continue;
      }
    }
    if (!key.empty() && key[0] == '!') {
      negated = true;
      key.erase(0, 1);
    }
    if (!seen.insert(key).second) {
      file.report.error(where, fmt::format("field option '{}' given twice", key));
      ok = false;
      continue;
    }
    SourceLocation value_where{file.path, line, where.column + static_cast<int>(value_offset)};
    auto needs_value = [&]() {
      if (value && !value->empty()) return true;
      file.report.error(where, fmt::format("field option '{}' needs a value: {}=...", key, key));
      ok = false;
      return false;
    };
    auto takes_no_value = [&]() {
      if (!value && paren == std::string::npos) return true;
      file.report.error(where, fmt::format("field option '{}' takes no value", key));
      ok = false;
      return false;
    };
    if (negated && key != "persist") {
      file.report.error(where, fmt::format("'!' only applies to 'persist', not to '{}'", key));
      ok = false;
    } else if (key == "persist") {
      if (takes_no_value()) field.persist = !negated;
    } else if (key == "default") {
      if (needs_value()) plain_default = DefaultValue{*value, value_where};
    } else if (key == "defaultModel") {
      if (needs_value()) model_default = DefaultValue{*value, value_where};
    } else if (key == "defaultPersist") {
      if (needs_value()) {
        default_persist = DefaultValue{*value, value_where};
        file.report.note(where, "'defaultPersist' is a database option; ignored");
      }
    } else if (key == "scope") {
      if (needs_value()) {
        if (*value == "all") {
          field.scope = Field::Scope::all;
        } else if (*value == "serverOnly") {
          field.scope = Field::Scope::server_only;
        } else if (*value == "none") {
          field.scope = Field::Scope::none;
        } else {
          file.report.error(value_where,
                            fmt::format("invalid scope '{}': expected all, serverOnly or none", *value));
          ok = false;
        }
      }
    } else if (key == "jsonKey") {
      if (needs_value()) {
        std::string k = *value;
        if (k.size() >= 2 && (k.front() == '\'' || k.front() == '"') && k.back() == k.front()) {
          k = k.substr(1, k.size() - 2);
        }
        if (k.empty()) {
          file.report.error(value_where, "jsonKey must not be empty");
          ok = false;
        } else {
          field.json_key = k;
        }
      }
    } else if (key == "api") {
      // Serverpod's older spelling of `!persist`.
      if (takes_no_value()) {
        field.persist = false;
        file.report.note(where, "'api' is the old spelling of '!persist'; the field is not persisted");
      }
    } else if (key == "database") {
      // Serverpod's older spelling of `scope=serverOnly`: a database-only field never reaches clients.
      if (takes_no_value()) {
        field.scope = Field::Scope::server_only;
        file.report.note(where, "'database' is the old spelling of 'scope=serverOnly'; the field is server-only");
      }
    } else if (contains(database_field_options, key)) {
      file.report.note(where, fmt::format("'{}' is a database option; ignored", key));
    } else {
      file.report.error(where, fmt::format("unknown field option '{}'", key));
      ok = false;
    }
  }
  if (plain_default && model_default) {
    file.report.error(model_default->where, "'default' and 'defaultModel' cannot both be given");
    ok = false;
  }
  field.default_model = model_default ? model_default : plain_default;
  return ok;
}

}  // namespace

std::optional<Field> parse_field(const FileContext& file, const YAML::Node& key, const YAML::Node& value,
                                 std::optional<DefaultValue>& default_persist) {
  Field field;
  field.where = file.at(key.Mark());
  if (!key.IsScalar()) {
    file.error(key.Mark(), "a field name must be a single word");
    return std::nullopt;
  }
  field.name = key.Scalar();
  field.json_key = field.name;
  field.doc = doc_above(file, key.Mark().line);
  bool ok = true;
  if (!is_valid_field_name(field.name)) {
    file.error(key.Mark(), fmt::format("invalid field name '{}': use camelCase or snake_case, starting with a "
                                       "lowercase letter", field.name));
    ok = false;
  }
  if (value.IsNull() || (value.IsScalar() && trim(value.Scalar()).empty())) {
    file.error(key.Mark(), fmt::format("field '{}' has no type", field.name));
    return std::nullopt;
  }
  if (!value.IsScalar()) {
    file.report.error(file.at(value, key),
                      fmt::format("field '{}' must be written 'Type, option, ...' on one line", field.name));
    return std::nullopt;
  }
  const SourceLocation value_at = file.at(value.Mark());
  const int column = content_column(file, value);
  std::vector<Segment> segments = split_options(value.Scalar());
  auto type = parse_type_at(file, segments[0].text, value_at.line, column + static_cast<int>(segments[0].offset));
  if (!type) return std::nullopt;
  field.type = std::move(*type);
  if (!parse_field_options(file, segments, value_at.line, column, field, default_persist)) ok = false;
  if (!ok) return std::nullopt;
  return field;
}

}  // namespace switchboard::codegen::loader_detail
