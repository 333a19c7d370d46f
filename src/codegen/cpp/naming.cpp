// Spelling helpers of the C++ emitter: C++ identifiers that dodge keywords, C++ and JSON string literals, `//`
// comment blocks, and the Dart spelling of a type used in decode error messages. Pure functions; no state.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "codegen/cpp/generator.hpp"
#include "protocol/json_writer.hpp"

namespace switchboard::codegen::cpp_detail {
namespace {

bool is_cpp_keyword(const std::string& s) {
  static const std::set<std::string> words = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
      "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
      "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
      "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
      "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
      "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
      "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
      "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
      "class_name", "NULL", "errno", "assert", "min", "max"};
  return words.count(s) > 0;
}

}  // namespace

std::string ident(const std::string& s) { return is_cpp_keyword(s) ? s + "_" : s; }

// A C++ string literal holding `s`.
std::string cpp_literal(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\%03o", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

// `s` as a JSON string literal (quotes included), for keys written verbatim into the output: the same escaping
// as every JSON string the server writes.
std::string json_literal(const std::string& s) {
  std::string out;
  protocol::append_json_string(out, s);
  return out;
}

void comment(std::ostream& os, const std::string& text, const std::string& indent) {
  if (text.empty()) return;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) os << indent << "// " << line << "\n";
}

// Dart spelling of a type, for messages ("expected List<int>, got object").
std::string dart_name(const TypeRef& t) {
  std::string s;
  switch (t.kind) {
    case TypeRef::Kind::boolean: s = "bool"; break;
    case TypeRef::Kind::integer: s = "int"; break;
    case TypeRef::Kind::floating: s = "double"; break;
    case TypeRef::Kind::string: s = "String"; break;
    case TypeRef::Kind::date_time: s = "DateTime"; break;
    case TypeRef::Kind::duration: s = "Duration"; break;
    case TypeRef::Kind::byte_data: s = "ByteData"; break;
    case TypeRef::Kind::uuid: s = "UuidValue"; break;
    case TypeRef::Kind::uri: s = "Uri"; break;
    case TypeRef::Kind::big_int: s = "BigInt"; break;
    case TypeRef::Kind::list: s = "List<" + dart_name(t.args.at(0)) + ">"; break;
    case TypeRef::Kind::set: s = "Set<" + dart_name(t.args.at(0)) + ">"; break;
    case TypeRef::Kind::map: s = "Map<" + dart_name(t.args.at(0)) + "," + dart_name(t.args.at(1)) + ">"; break;
    case TypeRef::Kind::record: {
      s = "(";
      bool named_open = false;
      for (std::size_t i = 0; i < t.record_fields.size(); ++i) {
        const auto& f = t.record_fields[i];
        if (i) s += ",";
        if (f.named && !named_open) {
          s += "{";
          named_open = true;
        }
        s += dart_name(*f.type);
        if (!f.name.empty()) s += " " + f.name;
      }
      if (named_open) s += "}";
      s += ")";
      break;
    }
    case TypeRef::Kind::vector: s = "Vector(" + std::to_string(t.dimension) + ")"; break;
    case TypeRef::Kind::half_vector: s = "HalfVector(" + std::to_string(t.dimension) + ")"; break;
    case TypeRef::Kind::sparse_vector: s = "SparseVector(" + std::to_string(t.dimension) + ")"; break;
    case TypeRef::Kind::bit: s = "Bit(" + std::to_string(t.dimension) + ")"; break;
    case TypeRef::Kind::model: s = t.module.empty() ? t.name : "module:" + t.module + ":" + t.name; break;
  }
  return t.nullable ? s + "?" : s;
}

}  // namespace switchboard::codegen::cpp_detail
