#include "codegen/loader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "codegen/type_parser.hpp"

namespace switchboard::codegen {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------------------------
// Reporting

class Reporter {
 public:
  explicit Reporter(std::vector<Diagnostic>& out) : out_(out) {}

  void error(SourceLocation where, std::string message) {
    out_.push_back({Diagnostic::Severity::error, std::move(where), std::move(message)});
  }
  void note(SourceLocation where, std::string message) {
    out_.push_back({Diagnostic::Severity::note, std::move(where), std::move(message)});
  }

 private:
  std::vector<Diagnostic>& out_;
};

// One model file being read: its path, its raw lines (for `###` comments, which YAML drops) and where to report.
struct FileContext {
  std::string path;
  std::vector<std::string> lines;
  Reporter& report;

  SourceLocation at(const YAML::Mark& mark) const {
    if (mark.is_null()) return {path, 1, 1};
    return {path, mark.line + 1, mark.column + 1};
  }
  // The location of a node, or of `fallback` (its key) when the node has no position (an empty value).
  SourceLocation at(const YAML::Node& node, const YAML::Node& fallback) const {
    return node.Mark().is_null() ? at(fallback.Mark()) : at(node.Mark());
  }
  void error(const YAML::Mark& mark, std::string message) const { report.error(at(mark), std::move(message)); }
  void note(const YAML::Mark& mark, std::string message) const { report.note(at(mark), std::move(message)); }
};

std::string trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// The `###` documentation block directly above 0-based line `line0`: consecutive comment lines, where plain `#`
// lines are skipped and a blank or non-comment line ends the block. Lines are joined with '\n'.
std::string doc_above(const FileContext& file, int line0) {
  std::vector<std::string> doc;
  for (int i = line0 - 1; i >= 0 && i < static_cast<int>(file.lines.size()); --i) {
    std::string line = trim(file.lines[static_cast<std::size_t>(i)]);
    if (line.rfind("###", 0) == 0) {
      std::string text = line.substr(3);
      if (!text.empty() && text[0] == ' ') text.erase(0, 1);
      doc.push_back(std::move(text));
    } else if (line.empty() || line[0] != '#') {
      break;
    }
  }
  std::reverse(doc.begin(), doc.end());
  std::string out;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    if (i > 0) out += '\n';
    out += doc[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Names (Serverpod's rules: class names PascalCase, fields camelCase or snake_case, enum values camelCase)

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ^[A-Z][A-Za-z0-9]*$
bool is_valid_class_name(std::string_view name) {
  if (name.empty() || !is_upper(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return is_lower(c) || is_upper(c) || is_digit(c); });
}

// Serverpod's camelCase: ^[a-z]+(\d|[A-Z0-9][a-z0-9]+)*[A-Z]?$ (each capital starts a lowercase word, except
// one final capital).
bool is_camel_case(std::string_view name) {
  std::size_t i = 0;
  while (i < name.size() && is_lower(name[i])) ++i;
  if (i == 0) return false;
  while (i < name.size()) {
    char c = name[i++];
    std::size_t run = 0;
    while (i < name.size() && (is_lower(name[i]) || is_digit(name[i]))) ++i, ++run;
    if (is_digit(c)) continue;
    if (!is_upper(c)) return false;
    if (run == 0 && i != name.size()) return false;
  }
  return true;
}

// ^[a-z]+[a-z0-9_]*$
bool is_snake_case(std::string_view name) {
  if (name.empty() || !is_lower(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return is_lower(c) || is_digit(c) || c == '_'; });
}

bool is_valid_field_name(std::string_view name) { return is_camel_case(name) || is_snake_case(name); }

// Serverpod also accepts one-letter values and runs of capitals (`aBC`): ^[a-z]+([A-Z][a-z0-9]*)*$.
bool is_valid_enum_value(std::string_view name) {
  if (name.size() == 1) return is_lower(name[0]) || is_upper(name[0]);
  if (is_camel_case(name)) return true;
  std::size_t i = 0;
  while (i < name.size() && is_lower(name[i])) ++i;
  if (i == 0) return false;
  return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(i), name.end(),
                     [](char c) { return is_upper(c) || is_lower(c) || is_digit(c); }) &&
         (i == name.size() || is_upper(name[i]));
}

// -?[0-9]+
bool is_integer(std::string_view t) {
  if (!t.empty() && t[0] == '-') t.remove_prefix(1);
  return !t.empty() && std::all_of(t.begin(), t.end(), is_digit);
}

// -?[0-9]+(.[0-9]+)?([eE][-+]?[0-9]+)?
bool is_number(std::string_view t) {
  auto exp = t.find_first_of("eE");
  std::string_view mantissa = t.substr(0, exp);
  if (exp != std::string_view::npos) {
    std::string_view e = t.substr(exp + 1);
    if (!e.empty() && (e[0] == '+' || e[0] == '-')) e.remove_prefix(1);
    if (!is_integer(e) || e[0] == '-') return false;
  }
  auto dot = mantissa.find('.');
  if (dot == std::string_view::npos) return is_integer(mantissa);
  std::string_view frac = mantissa.substr(dot + 1);
  return is_integer(mantissa.substr(0, dot)) && !frac.empty() && std::all_of(frac.begin(), frac.end(), is_digit);
}

// 'text' or "text", with no quote of the same kind inside.
bool is_quoted(std::string_view t) {
  return t.size() >= 2 && (t[0] == '\'' || t[0] == '"') && t.back() == t[0] &&
         t.substr(1, t.size() - 2).find(t[0]) == std::string_view::npos;
}

// Serverpod's duration literal: parts like `1d`, `2h`, `30min`, `5s`, `100ms`, separated by spaces.
bool is_duration(std::string_view t) {
  std::size_t i = 0;
  std::size_t parts = 0;
  while (i < t.size()) {
    if (t[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t start = i;
    if (t[i] == '-') ++i;
    while (i < t.size() && is_digit(t[i])) ++i;
    if (i == start || !is_digit(t[i - 1])) return false;
    std::size_t unit = i;
    while (i < t.size() && is_lower(t[i])) ++i;
    std::string_view u = t.substr(unit, i - unit);
    if (u != "d" && u != "h" && u != "min" && u != "s" && u != "ms") return false;
    ++parts;
  }
  return parts > 0;
}

// Names a model may not take: they would shadow the types of the type grammar.
bool is_reserved_type_name(const std::string& name) {
  static const std::set<std::string> reserved{"List", "Set", "Map", "String", "DateTime", "Duration",
                                              "ByteData", "UuidValue", "Uri", "BigInt", "Vector",
                                              "HalfVector", "SparseVector", "Bit", "Object"};
  return reserved.count(name) > 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars and option lists

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

// Class-level keywords that only matter to a database.
constexpr std::array<std::string_view, 5> database_class_keys{"table", "indexes", "managedMigration",
                                                              "serializationDataType", "database"};

bool contains(auto const& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// ---------------------------------------------------------------------------------------------------------------
// Per-file parsing

// A model set being loaded, with the facts its validation needs that model.hpp does not carry.
struct LoadedSet {
  ModelSet set;
  std::map<std::string, SourceLocation> extends_where;  // class name -> where its `extends:` value is
  // `defaultPersist=` values: validated like `default=`, not kept in the AST. (class, field, value)
  std::vector<std::tuple<std::string, std::string, DefaultValue>> persist_defaults;
  // Models whose own file had errors: references to them are not reported again as "unknown type".
  std::set<std::string> broken;
};

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

// `class:` or `exception:` documents.
void parse_class(const FileContext& file, const YAML::Node& root, const YAML::Node& kind_key, LoadedSet& out) {
  ClassDef def;
  def.kind = kind_key.Scalar() == "class" ? ClassDef::Kind::class_ : ClassDef::Kind::exception;
  bool ok = true;
  bool has_table = false;
  SourceLocation table_where;
  std::optional<SourceLocation> extends_where;
  std::vector<std::pair<std::string, DefaultValue>> persist_defaults;
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Node key = it->first;  // Copies: the iterator's pair is a temporary.
    const YAML::Node value = it->second;
    const std::string& k = key.Scalar();
    if (k == "class" || k == "exception") {
      auto name = scalar(file, value, key, fmt::format("the '{}' name", k));
      if (!name) return;
      def.name = *name;
      def.where = file.at(value, key);
      def.doc = doc_above(file, key.Mark().line);
    } else if (k == "fields") {
      if (value.IsNull()) continue;
      if (!value.IsMap()) {
        file.report.error(file.at(value, key), "'fields' must map field names to types");
        ok = false;
        continue;
      }
      for (auto f = value.begin(); f != value.end(); ++f) {
        std::optional<DefaultValue> default_persist;
        auto field = parse_field(file, f->first, f->second, default_persist);
        if (!field) {
          ok = false;
          continue;
        }
        auto dup = std::find_if(def.fields.begin(), def.fields.end(),
                                [&](const Field& other) { return other.name == field->name; });
        if (dup != def.fields.end()) {
          file.report.error(field->where, fmt::format("field '{}' is already declared at line {}", field->name,
                                                      dup->where.line));
          ok = false;
          continue;
        }
        if (default_persist) persist_defaults.emplace_back(field->name, *default_persist);
        def.fields.push_back(std::move(*field));
      }
    } else if (k == "extends") {
      auto parent = scalar(file, value, key, "'extends'");
      if (!parent) {
        ok = false;
        continue;
      }
      def.extends = *parent;
      extends_where = file.at(value, key);
    } else if (k == "sealed") {
      auto b = boolean(file, value, key, "'sealed'");
      if (!b) ok = false; else def.is_sealed = *b;
    } else if (k == "serverOnly") {
      auto b = boolean(file, value, key, "'serverOnly'");
      if (!b) ok = false; else def.server_only = *b;
    } else if (contains(database_class_keys, k)) {
      file.note(key.Mark(), fmt::format("'{}' is a database keyword; ignored", k));
      if (k == "table") {
        has_table = true;
        table_where = file.at(key.Mark());
      }
    } else {
      file.error(key.Mark(), fmt::format("unknown keyword '{}' in {} '{}'", k, kind_key.Scalar(), def.name));
      ok = false;
    }
  }
  if (!is_valid_class_name(def.name)) {
    file.report.error(def.where, fmt::format("invalid {} name '{}': use PascalCase letters and digits, starting "
                                             "with an uppercase letter", kind_key.Scalar(), def.name));
    return;
  }
  if (is_reserved_type_name(def.name)) {
    file.report.error(def.where, fmt::format("the name '{}' is reserved for a built-in type", def.name));
    return;
  }
  // A class with a table has an implicit `int? id` on the wire in Serverpod's JSON (unless declared).
  if (has_table && std::none_of(def.fields.begin(), def.fields.end(), [](const Field& f) { return f.name == "id"; })) {
    Field id;
    id.name = "id";
    id.json_key = "id";
    id.type.kind = TypeRef::Kind::integer;
    id.type.nullable = true;
    id.type.where = table_where;
    id.doc = "The database id, set once the object has been stored.";
    id.where = table_where;
    def.fields.insert(def.fields.begin(), std::move(id));
  }
  if (!ok) {
    out.broken.insert(def.name);
    return;
  }
  if (extends_where) out.extends_where[def.name] = *extends_where;
  for (auto& [field, value] : persist_defaults) out.persist_defaults.emplace_back(def.name, field, value);
  out.set.classes.push_back(std::move(def));
}

bool check_property_value(const FileContext& file, const YAML::Node& node, const TypeRef& type,
                          const std::string& value_name, const std::string& property) {
  const std::string& text = node.Scalar();
  bool good = true;
  std::string_view expected;
  if (type.nullable && text == "null") return true;
  switch (type.kind) {
    case TypeRef::Kind::integer: good = is_integer(text); expected = "an int"; break;
    case TypeRef::Kind::floating: good = is_number(text); expected = "a double"; break;
    case TypeRef::Kind::boolean: good = text == "true" || text == "false"; expected = "true or false"; break;
    default: break;
  }
  if (!good) {
    file.error(node.Mark(), fmt::format("enum value '{}': property '{}' must be {}, found '{}'", value_name,
                                        property, expected, text));
  }
  return good;
}

// `enum:` documents.
void parse_enum(const FileContext& file, const YAML::Node& root, LoadedSet& out) {
  EnumDef def;
  bool ok = true;
  // std::optional: a default YAML::Node is a defined null, not "absent".
  std::optional<YAML::Node> values_key;
  std::optional<YAML::Node> values;
  std::optional<YAML::Node> default_key;
  std::optional<YAML::Node> default_node;
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Node key = it->first;  // Copies: the iterator's pair is a temporary.
    const YAML::Node value = it->second;
    const std::string& k = key.Scalar();
    if (k == "enum") {
      auto name = scalar(file, value, key, "the 'enum' name");
      if (!name) return;
      def.name = *name;
      def.where = file.at(value, key);
      def.doc = doc_above(file, key.Mark().line);
    } else if (k == "serialized") {
      auto s = scalar(file, value, key, "'serialized'");
      if (!s) {
        ok = false;
      } else if (*s == "byName") {
        def.serialized = EnumDef::Serialized::by_name;
      } else if (*s == "byIndex") {
        def.serialized = EnumDef::Serialized::by_index;
      } else {
        file.report.error(file.at(value, key),
                          fmt::format("invalid 'serialized' value '{}': expected byName or byIndex", *s));
        ok = false;
      }
    } else if (k == "values") {
      values_key.emplace(key);  // emplace, not =: YAML::Node's operator= writes into the bound node.
      values.emplace(value);
    } else if (k == "default") {
      default_key.emplace(key);
      default_node.emplace(value);
    } else if (k == "properties") {
      if (!value.IsMap()) {
        file.report.error(file.at(value, key), "'properties' must map property names to types");
        ok = false;
        continue;
      }
      for (auto p = value.begin(); p != value.end(); ++p) {
        std::optional<DefaultValue> default_persist;
        auto field = parse_field(file, p->first, p->second, default_persist);
        if (!field) {
          ok = false;
          continue;
        }
        if (field->scope != Field::Scope::all || !field->persist || field->json_key != field->name) {
          file.report.error(field->where, fmt::format("enum property '{}' takes only a type and default=",
                                                      field->name));
          ok = false;
          continue;
        }
        auto dup = std::find_if(def.properties.begin(), def.properties.end(),
                                [&](const EnumDef::Property& other) { return other.name == field->name; });
        if (dup != def.properties.end()) {
          file.report.error(field->where, fmt::format("property '{}' given twice", field->name));
          ok = false;
          continue;
        }
        const auto scalar_kind = field->type.kind;
        if (scalar_kind != TypeRef::Kind::integer && scalar_kind != TypeRef::Kind::floating &&
            scalar_kind != TypeRef::Kind::boolean && scalar_kind != TypeRef::Kind::string) {
          file.report.error(field->type.where, fmt::format("enum property '{}' must be int, double, bool or "
                                                           "String, found '{}'", field->name,
                                                           to_string(field->type)));
          ok = false;
          continue;
        }
        def.properties.push_back({field->name, field->type, field->default_model});
      }
    } else if (k == "serverOnly") {
      if (!boolean(file, value, key, "'serverOnly'")) ok = false;
    } else {
      file.error(key.Mark(), fmt::format("unknown keyword '{}' in enum '{}'", k, def.name));
      ok = false;
    }
  }
  if (!is_valid_class_name(def.name)) {
    file.report.error(def.where, fmt::format("invalid enum name '{}': use PascalCase letters and digits, starting "
                                             "with an uppercase letter", def.name));
    return;
  }
  if (is_reserved_type_name(def.name)) {
    file.report.error(def.where, fmt::format("the name '{}' is reserved for a built-in type", def.name));
    return;
  }
  if (!values) {
    file.error(root.Mark(), fmt::format("enum '{}' has no 'values'", def.name));
    return;
  }
  if (!values->IsSequence() || values->size() == 0) {
    file.report.error(file.at(*values, *values_key), "'values' must be a non-empty list");
    return;
  }
  for (const YAML::Node& item : *values) {
    EnumDef::Value v;
    v.where = file.at(item.Mark());
    v.doc = doc_above(file, item.Mark().line);
    // Rebind with reset(): YAML::Node's operator= would overwrite the node it is bound to, in the document.
    YAML::Node props;
    YAML::Node name_node(item);
    if (item.IsScalar()) {
      v.name = item.Scalar();
    } else if (item.IsMap() && item.size() == 1) {
      name_node.reset(item.begin()->first);
      v.name = name_node.Scalar();
      props.reset(item.begin()->second);
    } else {
      file.error(item.Mark(), "an enum value is a name, or a name with its properties ('- name:' then "
                              "'property: value' lines)");
      ok = false;
      continue;
    }
    if (!is_valid_enum_value(v.name)) {
      file.error(name_node.Mark(), fmt::format("invalid enum value '{}': use camelCase, starting with a "
                                               "lowercase letter", v.name));
      ok = false;
      continue;
    }
    if (std::any_of(def.values.begin(), def.values.end(), [&](const auto& o) { return o.name == v.name; })) {
      file.error(name_node.Mark(), fmt::format("enum value '{}' given twice", v.name));
      ok = false;
      continue;
    }
    if (props && !props.IsNull()) {
      if (!props.IsMap()) {
        file.error(props.Mark(), fmt::format("the properties of enum value '{}' must be 'name: value' lines",
                                             v.name));
        ok = false;
        continue;
      }
      for (auto p = props.begin(); p != props.end(); ++p) {
        const YAML::Node pkey = p->first;
        const YAML::Node pvalue = p->second;
        const std::string pname = pkey.Scalar();
        auto decl = std::find_if(def.properties.begin(), def.properties.end(),
                                 [&](const auto& d) { return d.name == pname; });
        if (decl == def.properties.end()) {
          file.error(pkey.Mark(), fmt::format("enum value '{}': unknown property '{}'", v.name, pname));
          ok = false;
          continue;
        }
        if (!pvalue.IsScalar()) {
          file.report.error(file.at(pvalue, pkey),
                            fmt::format("enum value '{}': property '{}' must be a single value", v.name, pname));
          ok = false;
          continue;
        }
        v.properties[pname] = pvalue.Scalar();  // Kept even when invalid: no second "lacks property" error.
        if (!check_property_value(file, pvalue, decl->type, v.name, pname)) ok = false;
      }
    }
    for (const auto& decl : def.properties) {
      if (!v.properties.count(decl.name) && !decl.default_value && !decl.type.nullable) {
        file.error(name_node.Mark(), fmt::format("enum value '{}' lacks property '{}', which has no default",
                                                 v.name, decl.name));
        ok = false;
      }
    }
    def.values.push_back(std::move(v));
  }
  if (default_node) {
    auto d = scalar(file, *default_node, *default_key, "the enum 'default'");
    if (!d) {
      ok = false;
    } else if (std::none_of(def.values.begin(), def.values.end(), [&](const auto& v) { return v.name == *d; })) {
      file.report.error(file.at(*default_node, *default_key),
                        fmt::format("enum default '{}' is not one of the values of '{}'", *d, def.name));
      ok = false;
    } else {
      def.default_value = *d;
    }
  }
  if (ok) {
    out.set.enums.push_back(std::move(def));
  } else {
    out.broken.insert(def.name);
  }
}

void parse_file(const fs::path& path, Reporter& report, LoadedSet& out) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    report.error({name, 0, 0}, "cannot read the file");
    return;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  FileContext file{name, {}, report};
  {
    std::string line;
    std::istringstream lines(text);
    while (std::getline(lines, line)) file.lines.push_back(line);
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    file.error(e.mark, fmt::format("YAML syntax error: {}", e.msg));
    return;
  }
  if (!root || root.IsNull()) {
    report.error({name, 1, 1}, "empty model file: expected 'class:', 'exception:' or 'enum:'");
    return;
  }
  if (!root.IsMap()) {
    file.error(root.Mark(), "a model file must be a map starting with 'class:', 'exception:' or 'enum:'");
    return;
  }
  std::optional<YAML::Node> kind_key;  // A default YAML::Node is a defined null: not usable as "absent".
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Node key = it->first;  // Copy: the iterator's pair is a temporary.
    if (!key.IsScalar()) {
      file.error(key.Mark(), "keys must be plain words");
      return;
    }
    const std::string k = key.Scalar();
    if (k == "class" || k == "exception" || k == "enum") {
      if (kind_key) {
        file.error(key.Mark(), fmt::format("'{}' after '{}': one model per file", k, kind_key->Scalar()));
        return;
      }
      kind_key.emplace(key);
    }
  }
  if (!kind_key) {
    file.error(root.Mark(), "missing 'class:', 'exception:' or 'enum:'");
    return;
  }
  if (kind_key->Scalar() == "enum") {
    parse_enum(file, root, out);
  } else {
    parse_class(file, root, *kind_key, out);
  }
}

// The model files under `input`, sorted: the file itself, or every *.yaml below a folder.
std::vector<fs::path> model_files(const fs::path& input, Reporter& report) {
  std::vector<fs::path> files;
  std::error_code ec;
  auto status = fs::status(input, ec);
  if (ec || !fs::exists(status)) {
    report.error({input.string(), 0, 0}, "no such file or folder");
    return files;
  }
  if (!fs::is_directory(status)) {
    files.push_back(input);
    return files;
  }
  for (fs::recursive_directory_iterator it(input, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".yaml") files.push_back(it->path());
  }
  if (ec) report.error({input.string(), 0, 0}, fmt::format("cannot list the folder: {}", ec.message()));
  std::sort(files.begin(), files.end());
  return files;
}

// ---------------------------------------------------------------------------------------------------------------
// Cross-file validation

// Resolves model references against the set being validated and the loaded modules.
class Validator {
 public:
  Validator(LoadedSet& loaded, const std::map<std::string, ModelSet>& modules, Reporter& report)
      : loaded_(loaded), set_(loaded.set), modules_(modules), report_(report) {}

  void run() {
    check_duplicates();
    for (const auto& c : set_.classes) {
      for (const auto& f : c.fields) resolve(f.type);
    }
    check_extends();
    check_inherited_fields();
    check_defaults();
    check_containment();
  }

 private:
  void error(const SourceLocation& where, std::string message) { report_.error(where, std::move(message)); }

  // Classes and enums share one namespace; the later definition (by file order) is the duplicate.
  void check_duplicates() {
    std::map<std::string, SourceLocation> first;
    std::vector<std::string> drop_classes;
    auto visit = [&](const std::string& name, const SourceLocation& where) {
      auto [it, inserted] = first.emplace(name, where);
      if (!inserted) {
        error(where, fmt::format("'{}' is already defined at {}:{}:{}", name, it->second.file, it->second.line,
                                 it->second.column));
      }
    };
    std::vector<std::pair<SourceLocation, std::string>> all;
    for (const auto& c : set_.classes) all.emplace_back(c.where, c.name);
    for (const auto& e : set_.enums) all.emplace_back(e.where, e.name);
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
      return std::tie(a.first.file, a.first.line, a.first.column) <
             std::tie(b.first.file, b.first.line, b.first.column);
    });
    for (const auto& [where, name] : all) visit(name, where);
  }

  void resolve(const TypeRef& type) {
    for (const auto& arg : type.args) resolve(arg);
    for (const auto& field : type.record_fields) resolve(*field.type);
    if (type.kind != TypeRef::Kind::model) return;
    if (type.module.empty()) {
      if (!set_.find_class(type.name) && !set_.find_enum(type.name) && !loaded_.broken.count(type.name)) {
        error(type.where, fmt::format("unknown type '{}'", type.name));
      }
      return;
    }
    const ModelSet* module = find_module(type.module);
    if (!module) {
      error(type.where, fmt::format("unknown module nickname '{}' in 'module:{}:{}' (load it with --module {}=DIR)",
                                    type.module, type.module, type.name, type.module));
    } else if (!module->find_class(type.name) && !module->find_enum(type.name)) {
      error(type.where, fmt::format("type '{}' not found in module '{}'", type.name, type.module));
    }
  }

  const ModelSet* find_module(const std::string& nickname) const {
    if (nickname == set_.module) return &set_;  // A module may name its own types the long way.
    auto it = modules_.find(nickname);
    return it == modules_.end() ? nullptr : &it->second;
  }

  void check_extends() {
    std::set<std::string> in_reported_cycle;
    for (const auto& c : set_.classes) {
      if (c.extends.empty()) continue;
      const SourceLocation& where = loaded_.extends_where[c.name];
      const ClassDef* parent = set_.find_class(c.extends);
      if (!parent && loaded_.broken.count(c.extends)) continue;
      if (!parent) {
        error(where, set_.find_enum(c.extends) ? fmt::format("'{}' extends enum '{}': only classes can be extended",
                                                             c.name, c.extends)
                                               : fmt::format("'{}' extends unknown class '{}'", c.name, c.extends));
        continue;
      }
      if (parent->kind != c.kind) {
        error(where, fmt::format("'{}' extends '{}': a class can only extend a class, an exception an exception",
                                 c.name, c.extends));
        continue;
      }
      // Walk up; coming back to `c` is a cycle.
      std::vector<std::string> chain{c.name};
      std::set<std::string> visited{c.name};
      for (const ClassDef* p = parent; p != nullptr; p = p->extends.empty() ? nullptr : set_.find_class(p->extends)) {
        chain.push_back(p->name);
        if (p->name == c.name) {
          if (!in_reported_cycle.count(c.name)) {
            std::string path;
            for (const auto& n : chain) path += (path.empty() ? "" : " -> ") + n;
            error(where, fmt::format("inheritance cycle: {}", path));
            in_reported_cycle.insert(chain.begin(), chain.end());
          }
          break;
        }
        if (!visited.insert(p->name).second) break;  // A cycle above `c`: reported for its own members.
      }
    }
  }

  // Ancestors of `c`, nearest first; stops at a missing parent or a cycle.
  std::vector<const ClassDef*> ancestors(const ClassDef& c) const {
    std::vector<const ClassDef*> out;
    std::set<std::string> seen{c.name};
    for (const ClassDef* p = c.extends.empty() ? nullptr : set_.find_class(c.extends); p != nullptr;
         p = p->extends.empty() ? nullptr : set_.find_class(p->extends)) {
      if (!seen.insert(p->name).second) break;
      out.push_back(p);
    }
    return out;
  }

  void check_inherited_fields() {
    for (const auto& c : set_.classes) {
      for (const ClassDef* p : ancestors(c)) {
        for (const auto& f : c.fields) {
          for (const auto& pf : p->fields) {
            if (f.name == pf.name) {
              error(f.where, fmt::format("field '{}' is already declared in parent class '{}'", f.name, p->name));
            } else if (f.json_key == pf.json_key) {
              error(f.where, fmt::format("JSON key '{}' is already used by field '{}' of parent class '{}'",
                                         f.json_key, pf.name, p->name));
            }
          }
        }
      }
      for (std::size_t i = 0; i < c.fields.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (c.fields[i].json_key == c.fields[j].json_key) {
            error(c.fields[i].where, fmt::format("JSON key '{}' is already used by field '{}'", c.fields[i].json_key,
                                                 c.fields[j].name));
          }
        }
      }
    }
  }

  const EnumDef* enum_of(const TypeRef& type) const {
    if (type.kind != TypeRef::Kind::model) return nullptr;
    const ModelSet* owner = type.module.empty() ? &set_ : find_module(type.module);
    return owner ? owner->find_enum(type.name) : nullptr;
  }

  // A default as written must suit the field's type (Serverpod's forms: `now`, `random`, quoted strings...).
  void check_default(const Field& field, const DefaultValue& value, std::string_view option) {
    const std::string& t = value.text;
    const TypeRef& type = field.type;
    bool good = false;
    std::string expected;
    switch (type.kind) {
      case TypeRef::Kind::boolean: good = t == "true" || t == "false"; expected = "true or false"; break;
      case TypeRef::Kind::integer: good = is_integer(t); expected = "an integer"; break;
      case TypeRef::Kind::floating: good = is_number(t); expected = "a number"; break;
      case TypeRef::Kind::string: good = is_quoted(t); expected = "a quoted string"; break;
      case TypeRef::Kind::date_time:
        good = t == "now" || is_quoted(t);
        expected = "now or a quoted UTC date";
        break;
      case TypeRef::Kind::duration: good = is_duration(t); expected = "a duration like 1d 2h 30min"; break;
      case TypeRef::Kind::uuid:
        good = t == "random" || t == "random_v7" || is_quoted(t);
        expected = "random, random_v7 or a quoted UUID";
        break;
      case TypeRef::Kind::uri: good = is_quoted(t); expected = "a quoted URI"; break;
      case TypeRef::Kind::big_int:
        good = is_integer(t) || is_quoted(t);
        expected = "an integer";
        break;
      case TypeRef::Kind::model:
        if (const EnumDef* e = enum_of(type)) {
          good = std::any_of(e->values.begin(), e->values.end(), [&](const auto& v) { return v.name == t; });
          expected = fmt::format("a value of enum '{}'", e->name);
          break;
        }
        [[fallthrough]];
      default:
        error(value.where, fmt::format("'{}' is not supported for a field of type '{}'", option,
                                       to_string(type)));
        return;
    }
    if (!good) {
      error(value.where, fmt::format("invalid {} '{}' for field '{}' of type '{}': expected {}", option, t,
                                     field.name, to_string(type), expected));
    }
  }

  void check_defaults() {
    for (const auto& c : set_.classes) {
      for (const auto& f : c.fields) {
        if (f.default_model) check_default(f, *f.default_model, "default");
      }
    }
    for (const auto& [class_name, field_name, value] : loaded_.persist_defaults) {
      const ClassDef* c = set_.find_class(class_name);
      if (!c) continue;
      for (const auto& f : c->fields) {
        if (f.name == field_name) check_default(f, value, "defaultPersist");
      }
    }
    for (const auto& e : set_.enums) {
      for (const auto& p : e.properties) {
        if (!p.default_value) continue;
        Field as_field;
        as_field.name = p.name;
        as_field.type = p.type;
        check_default(as_field, *p.default_value, "default");
      }
    }
  }

  // Edges "class A holds a B by value": a non-nullable model field, possibly inside non-nullable records.
  struct Edge {
    std::string target;
    std::string via;  // "A.field"
    SourceLocation where;
  };

  void direct_models(const TypeRef& type, const std::string& via, const SourceLocation& where,
                     std::vector<Edge>& out) const {
    if (type.nullable) return;
    if (type.kind == TypeRef::Kind::record) {
      for (const auto& f : type.record_fields) direct_models(*f.type, via, where, out);
    } else if (type.kind == TypeRef::Kind::model && type.module.empty() && set_.find_class(type.name)) {
      out.push_back({type.name, via, where});
    }
  }

  std::vector<Edge> edges_of(const ClassDef& c) const {
    std::vector<Edge> out;
    auto add = [&](const ClassDef& owner) {
      for (const auto& f : owner.fields) direct_models(f.type, owner.name + "." + f.name, f.where, out);
    };
    add(c);
    for (const ClassDef* p : ancestors(c)) add(*p);
    return out;
  }

  void check_containment() {
    std::map<std::string, std::vector<Edge>> graph;
    for (const auto& c : set_.classes) graph[c.name] = edges_of(c);
    std::set<std::string> reported;
    for (const auto& c : set_.classes) {
      if (reported.count(c.name)) continue;
      // Breadth-first from c; a path back to c is a containment cycle.
      std::map<std::string, std::pair<std::string, const Edge*>> came_from;  // node -> (previous, edge)
      std::vector<std::string> queue{c.name};
      const Edge* closing = nullptr;
      std::string closing_from;
      for (std::size_t i = 0; i < queue.size() && !closing; ++i) {
        for (const Edge& e : graph[queue[i]]) {
          if (e.target == c.name) {
            closing = &e;
            closing_from = queue[i];
            break;
          }
          if (!came_from.count(e.target)) {
            came_from[e.target] = {queue[i], &e};
            queue.push_back(e.target);
          }
        }
      }
      if (!closing) continue;
      std::vector<const Edge*> path{closing};
      for (std::string at = closing_from; at != c.name; at = came_from[at].first) path.push_back(came_from[at].second);
      std::reverse(path.begin(), path.end());
      std::string route;
      for (const Edge* e : path) {
        route += (route.empty() ? "" : " -> ") + e->via;
        reported.insert(e->target);
      }
      error(path.front()->where, fmt::format("'{}' contains itself ({}) without a nullable or List/Set/Map "
                                             "in between", c.name, route));
    }
  }

  LoadedSet& loaded_;
  ModelSet& set_;
  const std::map<std::string, ModelSet>& modules_;
  Reporter& report_;
};

// ^[a-z_][a-z0-9_]*$
bool is_nickname(std::string_view s) {
  if (s.empty() || !(is_lower(s[0]) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_lower(c) || is_digit(c) || c == '_'; });
}

// Reads every file of `inputs` into one set, then validates it against `modules`.
ModelSet load_set(const std::vector<fs::path>& inputs, const std::string& nickname,
                  const std::map<std::string, ModelSet>& modules, Reporter& report) {
  LoadedSet loaded;
  loaded.set.module = nickname;
  std::vector<fs::path> files;
  for (const auto& input : inputs) {
    for (auto& f : model_files(input, report)) files.push_back(std::move(f));
  }
  // The same file named twice (directly and through its folder) is read once.
  std::set<fs::path> seen;
  for (const auto& f : files) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(f, ec);
    if (!seen.insert(ec ? f : canonical).second) continue;
    parse_file(f, report, loaded);
  }
  Validator(loaded, modules, report).run();
  std::sort(loaded.set.classes.begin(), loaded.set.classes.end(),
            [](const ClassDef& a, const ClassDef& b) { return a.name < b.name; });
  std::sort(loaded.set.enums.begin(), loaded.set.enums.end(),
            [](const EnumDef& a, const EnumDef& b) { return a.name < b.name; });
  return std::move(loaded.set);
}

}  // namespace

std::string format(const Diagnostic& d) {
  std::string where = d.where.line > 0 ? fmt::format("{}:{}:{}", d.where.file, d.where.line, d.where.column)
                                       : d.where.file;
  return fmt::format("{}: {}{}", where, d.severity == Diagnostic::Severity::note ? "note: " : "", d.message);
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::error; });
}

std::optional<ModelSet> load_models(const LoadOptions& options, std::vector<Diagnostic>& diagnostics) {
  const std::size_t first = diagnostics.size();
  Reporter report(diagnostics);
  std::map<std::string, ModelSet> modules;
  for (const auto& m : options.modules) {
    if (!is_nickname(m.nickname)) {
      report.error({m.dir.string(), 0, 0}, fmt::format("invalid module nickname '{}': use lowercase letters, "
                                                       "digits and '_'", m.nickname));
      continue;
    }
    if (modules.count(m.nickname)) {
      report.error({m.dir.string(), 0, 0}, fmt::format("module nickname '{}' given twice", m.nickname));
      continue;
    }
    if (!m.package.empty() && !is_nickname(m.package)) {
      report.error({m.dir.string(), 0, 0}, fmt::format("invalid package name '{}' for module '{}': use lowercase "
                                                       "letters, digits and '_'", m.package, m.nickname));
      continue;
    }
    modules.emplace(m.nickname, ModelSet{});
  }
  // Modules may refer to each other; load them all first, then validate each against the others.
  for (const auto& m : options.modules) {
    auto it = modules.find(m.nickname);
    if (it == modules.end() || !it->second.module.empty()) continue;
    std::map<std::string, ModelSet> others;
    for (const auto& o : options.modules) {
      if (o.nickname != m.nickname && modules.count(o.nickname)) {
        // A module validates against the names of the others: load their files without reporting twice.
        std::vector<Diagnostic> ignored;
        Reporter quiet(ignored);
        LoadedSet names;
        for (const auto& f : model_files(o.dir, quiet)) parse_file(f, quiet, names);
        names.set.module = o.nickname;
        others.emplace(o.nickname, std::move(names.set));
      }
    }
    it->second = load_set({m.dir}, m.nickname, others, report);
    it->second.package = m.package.empty() ? m.nickname : m.package;
  }
  ModelSet project = load_set(options.inputs, "", modules, report);
  if (has_errors(std::vector<Diagnostic>(diagnostics.begin() + static_cast<std::ptrdiff_t>(first),
                                         diagnostics.end()))) {
    return std::nullopt;
  }
  project.modules = std::move(modules);
  return project;
}

}  // namespace switchboard::codegen
