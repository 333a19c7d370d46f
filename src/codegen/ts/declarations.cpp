// Declaration emission of the TypeScript emitter: one model file (banner, imports, then every client-visible enum
// and class), the registry entries it contributes to index.ts, enums as a const object plus a union type (with
// enhanced-enum property tables), and classes and exceptions as interfaces with their documentation.
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

std::string FileEmitter::emit() {
  std::ostringstream body;
  for (const EnumDef& e : set_.enums) emit_enum(body, e);
  for (const ClassDef& c : set_.classes) {
    if (!c.server_only) emit_class(body, c);
  }
  std::ostringstream out;
  out << kBanner;
  out << "//\n"
         "// Per class or exception X: `interface X`, `encodeX(value, path?)` (a JSON-ready object) and\n"
         "// `decodeX(json, path?)` (throws rt.DecodeError naming the failing path). Per enum E: `const E`,\n"
         "// `type E` (a union of the value names), `EValues`, `encodeE`, `decodeE`. A class with subclasses X\n"
         "// also has `XAny` (X or a subclass); a sealed class is the union of its subclasses. `__className__`\n"
         "// is always written on the wire; in the interfaces it is optional except within a hierarchy. A\n"
         "// nullable field is optional and `T | null`: decoders set it to null, encoders omit it.\n"
         "// Representations (Date, bigint, Uint8Array, Map, Set, ...): see ../runtime.ts.\n\n";
  out << "import * as rt from \"../runtime.js\";\n";
  for (const std::string& nick : imports_) {
    out << "import * as " << module_alias(nick) << " from \"./" << module_file_stem(nick) << ".js\";\n";
  }
  out << "\n" << body.str();
  return out.str();
}

std::vector<FileEmitter::RegistryEntry> FileEmitter::registry_entries() const {
  std::vector<RegistryEntry> out;
  for (const EnumDef& e : set_.enums) out.push_back({wire_name(e.name), "encode" + e.name, "decode" + e.name});
  for (const ClassDef& c : set_.classes) {
    if (c.server_only || c.is_sealed) continue;
    out.push_back({wire_name(c.name), "encode" + c.name, "decode" + c.name});
  }
  return out;
}

void FileEmitter::emit_enum(std::ostream& out, const EnumDef& e) {
  if (e.values.empty()) fail(e.where, "enum " + e.name + " has no values");
  const std::string n = e.name;
  out << ts::doc_comment(e.doc, "");
  out << "export const " << n << " = {\n";
  for (const EnumDef::Value& v : e.values) {
    out << ts::doc_comment(v.doc, "  ");
    out << "  " << ts::property_name(v.name) << ": " << json_string(v.name) << ",\n";
  }
  out << "} as const;\n";
  out << "export type " << n << " = (typeof " << n << ")[keyof typeof " << n << "];\n";
  out << "// Every value of " << n << ", in YAML order (the order of the byIndex encoding).\n";
  out << "export const " << n << "Values: readonly " << n << "[] = [";
  for (size_t i = 0; i < e.values.size(); ++i) out << (i ? ", " : "") << json_string(e.values[i].name);
  out << "];\n";
  emit_enum_properties(out, e);

  std::string fallback;
  if (e.default_value) {
    bool known = std::any_of(e.values.begin(), e.values.end(),
                             [&](const EnumDef::Value& v) { return v.name == *e.default_value; });
    if (!known) fail(e.where, "default '" + *e.default_value + "' of enum " + n + " is not one of its values");
    fallback = ", " + json_string(*e.default_value);
  }
  const bool by_index = e.serialized == EnumDef::Serialized::by_index;
  const std::string how = by_index ? "ByIndex" : "ByName";
  out << "\n// " << n << " travels " << (by_index ? "as its 0-based index" : "as its name")
      << (e.default_value ? "; an unknown one decodes as " + json_string(*e.default_value) : "") << ".\n";
  out << "export function encode" << n << "(value: " << n << ", path = \"\"): " << (by_index ? "number" : "string")
      << " {\n  return rt.encodeEnum" << how << "(value, path, " << json_string(n) << ", " << n << "Values);\n}\n\n";
  out << "export function decode" << n << "(json: unknown, path = \"\"): " << n << " {\n  return rt.decodeEnum"
      << how << "(json, path, " << json_string(n) << ", " << n << "Values" << fallback << ");\n}\n\n";
}

void FileEmitter::emit_enum_properties(std::ostream& out, const EnumDef& e) {
  using K = TypeRef::Kind;
  std::vector<const EnumDef::Property*> props;
  for (const EnumDef::Property& p : e.properties) {
    if (p.type.kind == K::boolean || p.type.kind == K::integer || p.type.kind == K::floating ||
        p.type.kind == K::string) {
      props.push_back(&p);
    }
  }
  if (props.empty()) return;
  out << "// The properties of each " << e.name << " value (enhanced enum; not on the wire).\n";
  out << "export const " << e.name << "Properties: { readonly [K in " << e.name << "]: { ";
  for (const auto* p : props) out << "readonly " << ts::property_name(p->name) << ": " << ts_type(p->type) << "; ";
  out << "} } = {\n";
  for (const EnumDef::Value& v : e.values) {
    out << "  " << ts::property_name(v.name) << ": { ";
    for (const auto* p : props) {
      auto it = v.properties.find(p->name);
      std::string literal;
      if (it != v.properties.end()) {
        literal = property_literal(p->type, it->second, v.where);
      } else if (p->default_value) {
        literal = property_literal(p->type, p->default_value->text, p->default_value->where);
      } else if (p->type.nullable) {
        literal = "null";
      } else {
        fail(v.where, "value " + v.name + " of enum " + e.name + " lacks property " + p->name);
      }
      out << ts::property_name(p->name) << ": " << literal << ", ";
    }
    out << "},\n";
  }
  out << "};\n";
}

std::string FileEmitter::property_literal(const TypeRef& t, const std::string& raw, const SourceLocation& where) {
  using K = TypeRef::Kind;
  std::string text = ts::unquote(raw);
  if (t.nullable && text == "null" && text == raw) return "null";
  switch (t.kind) {
    case K::boolean:
      if (text == "true" || text == "false") return text;
      break;
    case K::integer:
      if (ts::is_safe_integer_literal(text)) return ts::strip_plus(text);
      break;
    case K::floating:
      if (ts::is_number_literal(text)) return ts::strip_plus(text);
      break;
    case K::string: return json_string(text);
    default: break;
  }
  fail(where, "enum property value '" + raw + "' is not a " + wire_type_name(t));
}

void FileEmitter::emit_class(std::ostream& out, const ClassDef& c) {
  const std::string n = c.name;
  const std::vector<const Field*> fields = wire_fields(c);
  const bool hierarchy = in_hierarchy(c);
  const bool dispatch = has_descendants(n);
  const std::string tag = json_string(wire_name(n));
  const char* kind = c.kind == ClassDef::Kind::exception ? "exception" : "class";

  // Concrete subclasses (for the union and the dispatch), in file order.
  std::vector<const ClassDef*> concrete;
  if (dispatch) {
    for (const std::string& d : descendants_.at(n)) {
      const ClassDef* k = set_.find_class(d);
      if (k != nullptr && !k->is_sealed && !k->server_only) concrete.push_back(k);
    }
  }

  if (c.is_sealed) {
    // Abstract: a value of this type is always one of its concrete subclasses.
    out << ts::doc_comment(c.doc, "");
    out << "// Sealed " << kind << " " << n << ": one of its subclasses, told apart by __className__.\n";
    out << "export type " << n << " = ";
    if (concrete.empty()) out << "never";
    for (size_t i = 0; i < concrete.size(); ++i) out << (i ? " | " : "") << concrete[i]->name;
    out << ";\n\n";
  } else {
    out << ts::doc_comment(c.doc, "");
    out << "export interface " << n << " {\n";
    if (hierarchy) out << "  // Required: it tells the classes of the hierarchy apart.\n";
    out << "  __className__" << (hierarchy ? "" : "?") << ": " << tag << ";\n";
    for (const Field* f : fields) {
      out << ts::doc_comment(field_doc(*f), "  ");
      out << "  " << ts::property_name(f->name) << (f->type.nullable ? "?" : "") << ": " << ts_type(f->type)
          << ";\n";
    }
    out << "}\n";
    if (dispatch) {
      out << "// A " << n << " or any of its subclasses, told apart by __className__.\n";
      out << "export type " << n << "Any = " << n;
      for (const ClassDef* k : concrete) out << " | " << k->name;
      out << ";\n";
    }
    out << "\n";
    emit_own_encoder(out, c, fields, dispatch);
    emit_own_decoder(out, c, fields, dispatch);
  }

  if (dispatch || c.is_sealed) emit_dispatch(out, c, concrete);
}

std::string FileEmitter::field_doc(const Field& f) const {
  std::string doc = f.doc;
  if (f.type.kind == TypeRef::Kind::duration) doc += std::string(doc.empty() ? "" : "\n") + "Duration in milliseconds.";
  if (f.json_key != f.name) {
    doc += std::string(doc.empty() ? "" : "\n") + "On the wire as \"" + f.json_key + "\".";
  }
  return doc;
}

}  // namespace switchboard::codegen::ts_detail
