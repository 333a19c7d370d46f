#include "codegen/ts/ts_support.hpp"

#include <cctype>
#include <cstdio>
#include <cctype>
#include <iterator>
#include <sstream>

namespace switchboard::codegen::ts {

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
          // U+2028 / U+2029 end a line in older JavaScript string literals.
          out += static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string wire_type_name(const TypeRef& t, bool nullable) {
  using K = TypeRef::Kind;
  std::string s;
  auto arg = [&](std::size_t i) { return i < t.args.size() ? wire_type_name(t.args[i]) : std::string("?"); };
  switch (t.kind) {
    case K::boolean: s = "bool"; break;
    case K::integer: s = "int"; break;
    case K::floating: s = "double"; break;
    case K::string: s = "String"; break;
    case K::date_time: s = "DateTime"; break;
    case K::duration: s = "Duration"; break;
    case K::byte_data: s = "ByteData"; break;
    case K::uuid: s = "UuidValue"; break;
    case K::uri: s = "Uri"; break;
    case K::big_int: s = "BigInt"; break;
    case K::list: s = "List<" + arg(0) + ">"; break;
    case K::set: s = "Set<" + arg(0) + ">"; break;
    case K::map: s = "Map<" + arg(0) + ", " + arg(1) + ">"; break;
    case K::record: {
      std::string positional;
      std::string named;
      int count = 0;
      for (const auto& f : t.record_fields) {
        std::string one = wire_type_name(*f.type);
        if (!f.name.empty()) one += " " + f.name;
        if (f.named) {
          named += (named.empty() ? "" : ", ") + one;
        } else {
          positional += (positional.empty() ? "" : ", ") + one;
          ++count;
        }
      }
      s = "(" + positional;
      if (!named.empty()) s += (positional.empty() ? "{" : ", {") + named + "}";
      else if (count == 1) s += ",";
      s += ")";
      break;
    }
    case K::vector: s = "Vector(" + std::to_string(t.dimension) + ")"; break;
    case K::half_vector: s = "HalfVector(" + std::to_string(t.dimension) + ")"; break;
    case K::sparse_vector: s = "SparseVector(" + std::to_string(t.dimension) + ")"; break;
    case K::bit: s = "Bit(" + std::to_string(t.dimension) + ")"; break;
    case K::model: s = t.name; break;
  }
  return nullable && t.nullable ? s + "?" : s;
}

std::string unquote(const std::string& text) {
  if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"') && text.back() == text.front()) {
    return text.substr(1, text.size() - 2);
  }
  return text;
}

namespace {

// Hand-written scanners: std::regex trips GCC 12's -Wmaybe-uninitialized under sanitizers and is slow.
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::size_t skip_digits(const std::string& text, std::size_t i) {
  while (i < text.size() && is_digit(text[i])) ++i;
  return i;
}

std::size_t skip_spaces(const std::string& text, std::size_t i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  return i;
}

}  // namespace

bool is_safe_integer_literal(const std::string& text) {
  std::size_t i = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
  const std::size_t end = skip_digits(text, i);
  if (end != text.size() || end == i || end - i > 16) return false;
  const long long value = std::stoll(text);
  return value <= 9007199254740991LL && value >= -9007199254740991LL;
}

bool is_number_literal(const std::string& text) {
  // [+-]? (digits (. digits?)? | . digits) ([eE] [+-]? digits)?
  std::size_t i = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
  const std::size_t int_end = skip_digits(text, i);
  std::size_t frac_digits = 0;
  i = int_end;
  if (i < text.size() && text[i] == '.') {
    const std::size_t frac_end = skip_digits(text, i + 1);
    frac_digits = frac_end - (i + 1);
    i = frac_end;
  }
  const bool had_int = int_end > (!text.empty() && (text[0] == '+' || text[0] == '-') ? 1u : 0u);
  if (!had_int && frac_digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    const std::size_t exp_end = skip_digits(text, j);
    if (exp_end == j) return false;
    i = exp_end;
  }
  if (i != text.size()) return false;
  try {
    (void)std::stod(text);  // Throws out_of_range for 1e400.
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

std::string strip_plus(const std::string& text) { return !text.empty() && text[0] == '+' ? text.substr(1) : text; }

std::optional<std::int64_t> parse_duration_ms(const std::string& text) {
  // -? then, in this order and each optional: <n>d <n>h <n>min <n>s <n>ms, spaces allowed between.
  static const struct {
    const char* suffix;
    std::int64_t ms;
  } units[] = {{"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}, {"ms", 1}};
  std::size_t i = skip_spaces(text, 0);
  const bool negative = i < text.size() && text[i] == '-';
  if (negative) i = skip_spaces(text, i + 1);
  std::int64_t total = 0;
  bool any = false;
  std::size_t next_unit = 0;
  while (i < text.size()) {
    const std::size_t digits_end = skip_digits(text, i);
    if (digits_end == i || digits_end - i > 12) return std::nullopt;
    const std::int64_t n = std::stoll(text.substr(i, digits_end - i));
    std::size_t unit = next_unit;
    // Longest suffix first at this position ("min" and "ms" before "m"/"s").
    std::size_t matched = 0;
    for (; unit < std::size(units); ++unit) {
      const std::string suffix = units[unit].suffix;
      if (text.compare(digits_end, suffix.size(), suffix) == 0) {
        const std::size_t after = digits_end + suffix.size();
        // "m" of "ms"/"min" must not be taken as a shorter unit, and "s" must not eat the "s" of "ms".
        if (after < text.size() && std::isalpha(static_cast<unsigned char>(text[after]))) continue;
        matched = suffix.size();
        break;
      }
    }
    if (unit == std::size(units)) return std::nullopt;
    total += n * units[unit].ms;
    any = true;
    next_unit = unit + 1;
    i = skip_spaces(text, digits_end + matched);
  }
  if (!any || total > 9007199254740991LL) return std::nullopt;
  return negative ? -total : total;
}

std::string doc_comment(const std::string& doc, const std::string& indent) {
  if (doc.empty()) return "";
  std::string safe;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    if (doc[i] == '*' && i + 1 < doc.size() && doc[i + 1] == '/') {
      safe += "*\\/";
      ++i;
    } else {
      safe += doc[i];
    }
  }
  std::istringstream lines(safe);
  std::string line;
  std::string out = indent + "/**\n";
  while (std::getline(lines, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    out += indent + " *" + (line.empty() ? "" : " " + line) + "\n";
  }
  return out + indent + " */\n";
}

}  // namespace switchboard::codegen::ts
