// Declaration emission of the C++ emitter: enum classes (with their name tables and codecs), plain structs with
// their documentation, scope notes and default member initializers, and the C++ expressions for Serverpod's
// default values (durations, dates, UUIDs, enum values, literals).
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

namespace switchboard::codegen::cpp_detail {
namespace {

std::int64_t parse_duration_ms(const std::string& text, bool& ok) {
  // Serverpod's Duration default: "1d 2h 10min 30s 100ms" (any subset, in this order).
  std::istringstream in(text);
  std::string part;
  std::int64_t total = 0;
  ok = true;
  while (in >> part) {
    std::size_t i = 0;
    while (i < part.size() && (std::isdigit(static_cast<unsigned char>(part[i])) || (i == 0 && part[i] == '-'))) ++i;
    if (i == 0 || i == part.size()) {
      ok = false;
      return 0;
    }
    const std::int64_t n = std::stoll(part.substr(0, i));
    const std::string unit = part.substr(i);
    if (unit == "d") total += n * 86'400'000;
    else if (unit == "h") total += n * 3'600'000;
    else if (unit == "min") total += n * 60'000;
    else if (unit == "s") total += n * 1000;
    else if (unit == "ms") total += n;
    else ok = false;
  }
  return total;
}

}  // namespace

std::string Generator::default_expr(const TypeRef& t, const ModelSet* context, const std::string& text,
                                    const Field& f) {
  using K = TypeRef::Kind;
  std::string unquoted = text;
  if (unquoted.size() >= 2 && (unquoted.front() == '\'' || unquoted.front() == '"') &&
      unquoted.back() == unquoted.front()) {
    unquoted = unquoted.substr(1, unquoted.size() - 2);
  }
  const std::string rt = kRt;
  auto fail = [&]() -> std::string {
    errors_ << f.where.file << ":" << f.where.line << ":" << f.where.column << ": default value '" << text
            << "' of field " << f.name << " is not supported for " << dart_name(t) << " by the C++ emitter\n";
    ok_ = false;
    return "{}";
  };
  switch (t.kind) {
    case K::boolean:
      return text == "true" || text == "false" ? text : fail();
    case K::integer:
      if (text == "-9223372036854775808") return "INT64_MIN";
      if (text.empty() || text.find_first_not_of("-0123456789") != std::string::npos) return fail();
      return "std::int64_t{" + text + "}";
    case K::floating:
      if (text.empty() || text.find_first_not_of("-+.0123456789eE") != std::string::npos) return fail();
      return text.find_first_of(".eE") == std::string::npos ? text + ".0" : text;
    case K::string:
      return "std::string(" + cpp_literal(unquoted) + ")";
    case K::date_time:
      if (text == "now") return rt + "::now()";
      return rt + "::date_time_or_throw(" + cpp_literal(unquoted) + ")";
    case K::duration: {
      bool ok = false;
      const auto ms = parse_duration_ms(unquoted, ok);
      return ok ? rt + "::Duration{" + std::to_string(ms) + "}" : fail();
    }
    case K::uuid:
      if (text == "random") return rt + "::Uuid::random_v4()";
      if (text == "random_v7") return rt + "::Uuid::random_v7()";
      return rt + "::Uuid::parse_or_throw(" + cpp_literal(unquoted) + ")";
    case K::uri:
      return rt + "::Uri{" + cpp_literal(unquoted) + "}";
    case K::big_int:
      return rt + "::BigInt{" + cpp_literal(unquoted) + "}";
    case K::model: {
      const Model* m = resolve(t, context);
      if (m && m->en) return m->qname + "::" + ident(unquoted);
      return fail();
    }
    default:
      return fail();
  }
}

void Generator::emit_enum(std::ostream& h, std::ostream& s, const Model& m) {
  const EnumDef& e = *m.en;
  comment(h, e.doc, "");
  h << "enum class " << m.name << " {\n";
  for (const auto& v : e.values) {
    comment(h, v.doc, "  ");
    h << "  " << ident(v.name) << ",\n";
  }
  h << "};\n";
  h << "// The value's name in the YAML (" << (e.serialized == EnumDef::Serialized::by_name ? "its wire form" : "on the wire it is its index")
    << ").\nstd::string_view to_name(" << m.name << " v);\n"
    << "// False when `name` is not a value of " << e.name << ".\nbool from_name(std::string_view name, " << m.name
    << "& out);\n\n";
  s << "std::string_view to_name(" << m.name << " v) {\n  switch (v) {\n";
  for (const auto& v : e.values) {
    s << "    case " << m.name << "::" << ident(v.name) << ": return " << cpp_literal(v.name) << ";\n";
  }
  s << "  }\n  return {};\n}\n\n";
  s << "bool from_name(std::string_view name, " << m.name << "& out) {\n";
  for (const auto& v : e.values) {
    s << "  if (name == " << cpp_literal(v.name) << ") {\n    out = " << m.name << "::" << ident(v.name)
      << ";\n    return true;\n  }\n";
  }
  s << "  return false;\n}\n\n";
}

void Generator::emit_struct(std::ostream& h, const Model& m) {
  const ClassDef& c = *m.cls;
  comment(h, c.doc, "");
  if (c.is_sealed) h << "// Sealed: a value of this type on the wire is always one of Any" << m.name << ".\n";
  if (c.server_only) h << "// serverOnly: never sent to clients.\n";
  if (!c.extends.empty()) h << "// Extends " << c.extends << " (whose fields come first).\n";
  h << "struct " << m.name << " {\n";
  h << "  static constexpr std::string_view class_name = " << cpp_literal(m.wire) << ";\n\n";
  for (const Field* f : m.fields) {
    comment(h, f->doc, "  ");
    if (f->scope == Field::Scope::server_only) h << "  // scope=serverOnly: left out when encoding for clients.\n";
    if (f->scope == Field::Scope::none) h << "  // scope=none: never on the wire.\n";
    std::string init = "{}";
    if (f->default_model) init = " = " + default_expr(f->type, m.set, f->default_model->text, *f);
    h << "  " << field_types_.at(f) << " " << ident(f->name) << (init == "{}" ? "{}" : init) << ";\n";
  }
  if (!m.fields.empty()) h << "\n";
  // Defaulted after every struct is complete (clang checks a defaulted comparison where it is defaulted).
  h << "  friend bool operator==(const " << m.name << "&, const " << m.name << "&);\n"
    << "  friend std::partial_ordering operator<=>(const " << m.name << "&, const " << m.name << "&);\n"
    << "};\n\n";
}

}  // namespace switchboard::codegen::cpp_detail
