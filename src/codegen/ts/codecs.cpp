// Codec emission of the TypeScript emitter: the inline encode and decode expressions for every YAML type
// (composing the runtime's per-type functions, arrow functions for container elements), the TypeScript value of
// a field's default, and per class the own encoder and decoder and, for a class with subclasses, the functions
// that dispatch on `__className__`.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "codegen/ts/file_emitter.hpp"

namespace switchboard::codegen::ts_detail {
namespace {

// `prefix` followed by `n`. Built by appending: `"j" + std::to_string(n)` trips GCC 12's false -Wrestrict at -O3
// (GCC bug 105651).
std::string numbered(std::string prefix, int n) {
  prefix += std::to_string(n);
  return prefix;
}

}  // namespace

std::string FileEmitter::decode_expr(const TypeRef& t, const std::string& j, const std::string& p, int depth) {
  if (t.nullable) return "(" + j + " == null ? null : " + decode_nonnull(t, j, p, depth) + ")";
  return decode_nonnull(t, j, p, depth);
}

std::string FileEmitter::decode_nonnull(const TypeRef& t, const std::string& j, const std::string& p, int depth) {
  using K = TypeRef::Kind;
  const std::string args = "(" + j + ", " + p;
  const std::string jn = numbered("j", depth);
  const std::string pn = numbered("p", depth);
  const std::string type_name = json_string(wire_type_name(t, false));
  switch (t.kind) {
    case K::boolean: return "rt.decodeBool" + args + ")";
    case K::integer: return "rt.decodeInt" + args + ")";
    case K::floating: return "rt.decodeDouble" + args + ")";
    case K::string: return "rt.decodeString" + args + ")";
    case K::date_time: return "rt.decodeDateTime" + args + ")";
    case K::duration: return "rt.decodeDuration" + args + ")";
    case K::byte_data: return "rt.decodeByteData" + args + ")";
    case K::uuid: return "rt.decodeUuid" + args + ")";
    case K::uri: return "rt.decodeUri" + args + ")";
    case K::big_int: return "rt.decodeBigInt" + args + ")";
    case K::list:
    case K::set: {
      const char* fn = t.kind == K::list ? "rt.decodeList" : "rt.decodeSet";
      return std::string(fn) + args + ", " + type_name + ", (" + jn + ", " + pn + ") => " +
             decode_expr(arg(t, 0), jn, pn, depth + 1) + ")";
    }
    case K::map: {
      const TypeRef& k = arg(t, 0);
      const TypeRef& val = arg(t, 1);
      if (k.kind == K::string && !k.nullable) {
        return "rt.decodeStringMap" + args + ", " + type_name + ", (" + jn + ", " + pn + ") => " +
               decode_expr(val, jn, pn, depth + 1) + ")";
      }
      return "rt.decodeKeyedMap" + args + ", " + type_name + ", (" + jn + ", " + pn + ") => " +
             decode_expr(k, jn, pn, depth + 1) + ", (" + jn + ", " + pn + ") => " +
             decode_expr(val, jn, pn, depth + 1) + ")";
    }
    case K::record: {
      const std::string r = "r" + std::to_string(depth);
      int positional = 0;
      bool named = false;
      for (const auto& f : t.record_fields) {
        if (f.named) named = true;
        else ++positional;
      }
      std::string s = "((" + r + ") => ({ ";
      int position = 0;
      for (const auto& f : t.record_fields) {
        std::string prop = record_property(f, position);
        std::string fj;
        std::string fp;
        if (f.named) {
          fj = r + ".n[" + json_string(f.name) + "]";
          fp = "rt.key(rt.key(" + p + ", \"n\"), " + json_string(f.name) + ")";
        } else {
          fj = r + ".p[" + std::to_string(position - 1) + "]";
          fp = "rt.index(rt.key(" + p + ", \"p\"), " + std::to_string(position - 1) + ")";
        }
        s += prop + ": " + decode_expr(*f.type, fj, fp, depth + 1) + ", ";
      }
      return s + "}))(rt.readRecord" + args + ", " + type_name + ", " + std::to_string(positional) + ", " +
             (named ? "true" : "false") + "))";
    }
    case K::vector: return "rt.decodeVector" + args + ", " + type_name + ", " + std::to_string(t.dimension) + ")";
    case K::half_vector:
      return "rt.decodeVector" + args + ", " + type_name + ", " + std::to_string(t.dimension) + ")";
    case K::sparse_vector:
      return "rt.decodeSparseVector" + args + ", " + type_name + ", " + std::to_string(t.dimension) + ")";
    case K::bit: return "rt.decodeBit" + args + ", " + type_name + ", " + std::to_string(t.dimension) + ")";
    case K::model: {
      Resolved r = resolve(t);
      return r.qualifier + "decode" + t.name + args + ")";
    }
  }
  fail(t.where, "unsupported type kind");
}

std::string FileEmitter::encode_expr(const TypeRef& t, const std::string& v, const std::string& p, int depth) {
  if (t.nullable) return "(" + v + " == null ? null : " + encode_nonnull(t, v, p, depth) + ")";
  return encode_nonnull(t, v, p, depth);
}

std::string FileEmitter::encode_nonnull(const TypeRef& t, const std::string& v, const std::string& p, int depth) {
  using K = TypeRef::Kind;
  const std::string args = "(" + v + ", " + p;
  const std::string vn = numbered("v", depth);
  const std::string pn = numbered("p", depth);
  const std::string type_name = json_string(wire_type_name(t, false));
  switch (t.kind) {
    case K::boolean: return "rt.encodeBool" + args + ")";
    case K::integer: return "rt.encodeInt" + args + ")";
    case K::floating: return "rt.encodeDouble" + args + ")";
    case K::string: return "rt.encodeString" + args + ")";
    case K::date_time: return "rt.encodeDateTime" + args + ")";
    case K::duration: return "rt.encodeDuration" + args + ")";
    case K::byte_data: return "rt.encodeByteData" + args + ")";
    case K::uuid: return "rt.encodeUuid" + args + ")";
    case K::uri: return "rt.encodeUri" + args + ")";
    case K::big_int: return "rt.encodeBigInt" + args + ")";
    case K::list:
    case K::set: {
      const char* fn = t.kind == K::list ? "rt.encodeList" : "rt.encodeSet";
      return std::string(fn) + args + ", (" + vn + ", " + pn + ") => " +
             encode_expr(arg(t, 0), vn, pn, depth + 1) + ")";
    }
    case K::map: {
      const TypeRef& k = arg(t, 0);
      const TypeRef& val = arg(t, 1);
      if (k.kind == K::string && !k.nullable) {
        return "rt.encodeStringMap" + args + ", (" + vn + ", " + pn + ") => " +
               encode_expr(val, vn, pn, depth + 1) + ")";
      }
      return "rt.encodeKeyedMap" + args + ", (" + vn + ", " + pn + ") => " + encode_expr(k, vn, pn, depth + 1) +
             ", (" + vn + ", " + pn + ") => " + encode_expr(val, vn, pn, depth + 1) + ")";
    }
    case K::record: {
      std::string positional;
      std::string named;
      int position = 0;
      for (const auto& f : t.record_fields) {
        std::string prop = record_property(f, position);
        if (f.named) {
          std::string fp = "rt.key(rt.key(" + p + ", \"n\"), " + json_string(f.name) + ")";
          named += json_string(f.name) + ": " + encode_expr(*f.type, v + "." + prop, fp, depth + 1) + ", ";
        } else {
          std::string fp = "rt.index(rt.key(" + p + ", \"p\"), " + std::to_string(position - 1) + ")";
          positional += encode_expr(*f.type, v + "." + prop, fp, depth + 1) + ", ";
        }
      }
      // Parenthesised: the expression may be the body of an arrow function.
      std::string s = "({ ";
      if (position > 0) s += "p: [" + positional + "], ";
      if (!named.empty()) s += "n: { " + named + "}, ";
      return s + "})";
    }
    case K::vector:
    case K::half_vector:
      return "rt.encodeVector" + args + ", " + type_name + ", " + std::to_string(t.dimension) + ")";
    case K::sparse_vector:
      return "rt.encodeSparseVector" + args + ", " + type_name + ", " + std::to_string(t.dimension) + ")";
    case K::bit: return "rt.encodeBit" + args + ", " + type_name + ", " + std::to_string(t.dimension) + ")";
    case K::model: {
      Resolved r = resolve(t);
      return r.qualifier + "encode" + t.name + args + ")";
    }
  }
  fail(t.where, "unsupported type kind");
}

std::string FileEmitter::default_expr(const Field& f) {
  const TypeRef& t = f.type;
  const std::string& raw = f.default_model->text;
  const SourceLocation& where = f.default_model->where;
  auto unsupported = [&]() -> std::string {
    fail(where, "default value '" + raw + "' of field " + f.name + " (" + wire_type_name(t) +
                    ") is not supported by the TypeScript emitter");
  };
  std::string text = ts::unquote(raw);
  bool quoted = text != raw;
  using K = TypeRef::Kind;
  switch (t.kind) {
    case K::boolean:
      if (text == "true" || text == "false") return text;
      return unsupported();
    case K::integer:
      if (ts::is_safe_integer_literal(text)) return ts::strip_plus(text);
      return unsupported();
    case K::floating:
      if (ts::is_number_literal(text)) return ts::strip_plus(text);
      return unsupported();
    case K::string: return json_string(text);
    case K::uri: return json_string(text);
    case K::date_time:
      if (!quoted && text == "now") return "new Date()";
      return "rt.decodeDateTime(" + json_string(text) + ", \"\")";
    case K::duration: {
      std::optional<std::int64_t> ms = ts::parse_duration_ms(text);
      if (!ms) return unsupported();
      return std::to_string(*ms);
    }
    case K::uuid:
      if (!quoted && text == "random") return "rt.randomUuidV4()";
      if (!quoted && text == "random_v7") return "rt.randomUuidV7()";
      return "rt.decodeUuid(" + json_string(text) + ", \"\")";
    case K::big_int: return "rt.decodeBigInt(" + json_string(text) + ", \"\")";
    case K::model: {
      Resolved r = resolve(t);
      if (r.enm == nullptr) return unsupported();
      bool known = std::any_of(r.enm->values.begin(), r.enm->values.end(),
                               [&](const EnumDef::Value& v) { return v.name == text; });
      if (!known) fail(where, "default '" + raw + "' of field " + f.name + " is not a value of enum " + t.name);
      return json_string(text);
    }
    default: return unsupported();
  }
}

void FileEmitter::emit_own_encoder(std::ostream& out, const ClassDef& c, const std::vector<const Field*>& fields,
                                   bool internal) {
  const std::string n = c.name;
  if (!internal) out << "export ";
  out << "function " << own_fn("encode", n) << "(value: " << n << ", path = \"\"): Record<string, unknown> {\n";
  out << "  const out: Record<string, unknown> = { __className__: " << json_string(wire_name(n)) << " };\n";
  for (const Field* f : fields) {
    const std::string v = "value." + ts::property_name(f->name);
    const std::string key = json_string(f->json_key);
    const std::string p = "rt.key(path, " + key + ")";
    TypeRef nonnull = f->type;
    nonnull.nullable = false;
    if (f->type.nullable) {
      out << "  if (" << v << " != null) out[" << key << "] = " << encode_expr(nonnull, v, p, 1) << ";\n";
    } else {
      out << "  out[" << key << "] = " << encode_expr(nonnull, v, p, 1) << ";\n";
    }
  }
  out << "  return out;\n}\n\n";
}

void FileEmitter::emit_own_decoder(std::ostream& out, const ClassDef& c, const std::vector<const Field*>& fields,
                                   bool internal) {
  const std::string n = c.name;
  if (internal) {
    out << "function " << own_fn("decode", n) << "(o: Record<string, unknown>, path: string): " << n << " {\n";
  } else {
    out << "export function decode" << n << "(json: unknown, path = \"\"): " << n << " {\n";
    out << "  const o = rt.expectObject(json, path, " << json_string(n) << ");\n";
  }
  out << "  return {\n";
  out << "    __className__: " << json_string(wire_name(n)) << ",\n";
  for (const Field* f : fields) {
    const std::string j = "o[" + json_string(f->json_key) + "]";
    const std::string p = "rt.key(path, " + json_string(f->json_key) + ")";
    TypeRef nonnull = f->type;
    nonnull.nullable = false;
    std::string expr;
    if (f->default_model) {
      expr = j + " == null ? " + default_expr(*f) + " : " + decode_expr(nonnull, j, p, 1);
    } else {
      expr = decode_expr(f->type, j, p, 1);
    }
    out << "    " << ts::property_name(f->name) << ": " << expr << ",\n";
  }
  out << "  };\n}\n\n";
}

void FileEmitter::emit_dispatch(std::ostream& out, const ClassDef& c, const std::vector<const ClassDef*>& concrete) {
  const std::string n = c.name;
  const std::string any = c.is_sealed ? n : n + "Any";
  out << "export function encode" << n << "(value: " << any << ", path = \"\"): Record<string, unknown> {\n";
  out << "  switch (value.__className__) {\n";
  if (!c.is_sealed) {
    out << "    case " << json_string(wire_name(n)) << ": return " << own_fn("encode", n) << "(value, path);\n";
  }
  for (const ClassDef* k : concrete) {
    out << "    case " << json_string(wire_name(k->name)) << ": return " << own_fn("encode", k->name)
        << "(value, path);\n";
  }
  out << "    default: return rt.badClassTag((value as { __className__?: unknown }).__className__, path, "
      << json_string(n) << ");\n";
  out << "  }\n}\n\n";

  out << "export function decode" << n << "(json: unknown, path = \"\"): " << any << " {\n";
  out << "  const o = rt.expectObject(json, path, " << json_string(n) << ");\n";
  out << "  const tag = o[\"__className__\"];\n";
  out << "  switch (tag) {\n";
  auto cases = [&](const std::string& name) {
    std::string s = "    case " + json_string(wire_name(name)) + ":";
    if (!set_.module.empty()) s += " case " + json_string(name) + ":";
    return s;
  };
  if (!c.is_sealed) {
    out << "    case undefined:\n" << cases(n) << " return " << own_fn("decode", n) << "(o, path);\n";
  }
  for (const ClassDef* k : concrete) {
    if (has_descendants(k->name)) {
      out << cases(k->name) << " return " << own_fn("decode", k->name) << "(o, path);\n";
    } else {
      out << cases(k->name) << " return decode" << k->name << "(o, path);\n";
    }
  }
  out << "    default: return rt.badClassName(tag, path, " << json_string(n) << ");\n";
  out << "  }\n}\n\n";
}

}  // namespace switchboard::codegen::ts_detail
