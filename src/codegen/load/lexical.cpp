// Serverpod's lexical rules for model files: which class, field, enum value and module names are valid, which
// literals are integers, numbers, quoted strings or durations, and the `###` documentation above a line. Pure
// functions of their arguments (doc_above only reads the file's lines); no reporting happens here.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "codegen/load/detail.hpp"

namespace switchboard::codegen::loader_detail {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

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

}  // namespace

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

// ^[A-Z][A-Za-z0-9]*$
bool is_valid_class_name(std::string_view name) {
  if (name.empty() || !is_upper(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return is_lower(c) || is_upper(c) || is_digit(c); });
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

// ^[a-z_][a-z0-9_]*$
bool is_nickname(std::string_view s) {
  if (s.empty() || !(is_lower(s[0]) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_lower(c) || is_digit(c) || c == '_'; });
}

}  // namespace switchboard::codegen::loader_detail
