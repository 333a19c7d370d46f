// Codec emission of the C++ emitter: for each field type, the writer (w_*, direct buffer writing) and reader (r_*,
// simdjson On-Demand) functions, generated once per distinct C++ type and nullability; and, per class, the
// to_json / from_json bodies that write `__className__` and the fields in Serverpod's order and read them back
// with scope and default handling. Reports unsupported types to the generator's error stream.
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

Generator::Codec Generator::codec(const TypeRef& t, const ModelSet* context, const Model* owner,
                                  bool in_container) {
  using K = TypeRef::Kind;
  const std::string rt = kRt;
  // Scalars map onto runtime functions.
  struct Scalar {
    const char* cpp;
    const char* write;
    const char* read;
  };
  static const std::map<K, Scalar> scalars = {
      {K::boolean, {"bool", "write_bool", "read_bool"}},
      {K::integer, {"std::int64_t", "write_int", "read_int"}},
      {K::floating, {"double", "write_double", "read_double"}},
      {K::string, {"std::string", "write_string", "read_string"}},
      {K::date_time, {"::switchboard::model::DateTime", "write_date_time", "read_date_time"}},
      {K::duration, {"::switchboard::model::Duration", "write_duration", "read_duration"}},
      {K::byte_data, {"::switchboard::model::Bytes", "write_bytes", "read_bytes"}},
      {K::uuid, {"::switchboard::model::Uuid", "write_uuid", "read_uuid"}},
      {K::uri, {"::switchboard::model::Uri", "write_uri", "read_uri"}},
      {K::big_int, {"::switchboard::model::BigInt", "write_big_int", "read_big_int"}},
      {K::vector, {"::switchboard::model::Vector", "write_vector", "read_vector"}},
      {K::half_vector, {"::switchboard::model::HalfVector", "write_half_vector", "read_half_vector"}},
      {K::sparse_vector, {"::switchboard::model::SparseVector", "write_sparse_vector", "read_sparse_vector"}},
      {K::bit, {"::switchboard::model::Bit", "write_bit", "read_bit"}},
  };

  TypeRef inner_t = t;
  inner_t.nullable = false;
  Model* model = t.kind == K::model ? resolve(t, context) : nullptr;
  if (t.kind == K::model && !model) {
    errors_ << t.where.file << ":" << t.where.line << ":" << t.where.column << ": unknown model " << t.name << "\n";
    ok_ = false;
    return {"int", "missing"};
  }
  // A model that can contain the owner again, referred to without a container in between, is held on the heap.
  bool indirect = false;
  if (model && model->cls && owner && !in_container) {
    for (Model* target : model->polymorphic() ? model->alternatives : std::vector<Model*>{model}) {
      if (target == owner || reachable_from(target).count(const_cast<Model*>(owner))) indirect = true;
    }
  }

  // Element codecs first (they are declared before this one).
  std::vector<Codec> elements;
  if (t.nullable || indirect) {
    elements.push_back(codec(inner_t, context, indirect ? nullptr : owner, in_container));
  } else if (t.kind == K::list || t.kind == K::set || t.kind == K::map) {
    for (const auto& a : t.args) elements.push_back(codec(a, context, owner, true));
  } else if (t.kind == K::record) {
    for (const auto& f : t.record_fields) elements.push_back(codec(*f.type, context, owner, in_container));
  }

  std::string cpp;
  if (indirect) {
    cpp = rt + "::Indirect<" + elements[0].cpp + ">";
  } else if (t.nullable) {
    cpp = "std::optional<" + elements[0].cpp + ">";
  } else if (scalars.count(t.kind)) {
    cpp = scalars.at(t.kind).cpp;
  } else if (t.kind == K::list) {
    cpp = "std::vector<" + elements[0].cpp + ">";
  } else if (t.kind == K::set) {
    cpp = "std::set<" + elements[0].cpp + ">";
  } else if (t.kind == K::map) {
    cpp = "std::map<" + elements[0].cpp + ", " + elements[1].cpp + ">";
  } else if (t.kind == K::record) {
    cpp = "std::tuple<";
    for (std::size_t i = 0; i < elements.size(); ++i) cpp += (i ? ", " : "") + elements[i].cpp;
    cpp += ">";
  } else {
    cpp = model->value_type();
  }

  const std::string key = cpp + (t.nullable ? "|null" : "") + "|" + dart_name(t);
  if (auto it = codecs_.find(key); it != codecs_.end()) return it->second;
  Codec c{cpp, "t" + std::to_string(next_codec_++)};
  codecs_[key] = c;

  const std::string expected = cpp_literal(dart_name(t));
  auto& d = codec_defs_;
  codec_decls_ << "[[maybe_unused]] void w_" << c.fn << "(std::string& out, const " << cpp
               << "& v, sm::Scope scope);  // " << dart_name(t) << "\n"
               << "[[maybe_unused]] bool r_" << c.fn << "(sm::JsonValue v, sm::DecodeContext& ctx, " << cpp
               << "& out);\n";
  d << "// " << dart_name(t) << "\n";
  std::ostringstream w, r;
  if (indirect || t.nullable) {
    const auto& e = elements[0];
    w << "  if (!v) {\n    out += \"null\";\n    return;\n  }\n  w_" << e.fn << "(out, *v, scope);\n";
    if (t.nullable) {
      r << "  if (sm::is_null(v)) {\n    out.reset();\n    return true;\n  }\n";
    }
    r << "  return r_" << e.fn << "(v, ctx, out.emplace());\n";
  } else if (scalars.count(t.kind)) {
    const auto& sc = scalars.at(t.kind);
    w << "  (void)scope;\n  sm::" << sc.write << "(out, v);\n";
    r << "  return sm::" << sc.read << "(v, ctx, out);\n";
  } else if (t.kind == K::list || t.kind == K::set) {
    const auto& e = elements[0];
    w << "  out += '[';\n  bool first = true;\n  for (const auto& item : v) {\n    if (!first) out += ',';\n"
      << "    first = false;\n    w_" << e.fn << "(out, item, scope);\n  }\n  out += ']';\n";
    r << "  sm::JsonArray array;\n  if (!sm::get_array(v, ctx, " << expected << ", array)) return false;\n"
      << "  out.clear();\n  std::size_t i = 0;\n  for (auto element : array) {\n    sm::JsonValue item_v;\n"
      << "    if (auto e = std::move(element).get(item_v)) return ctx.fail(e);\n    " << e.cpp << " item{};\n"
      << "    if (!r_" << e.fn << "(item_v, ctx, item)) {\n      ctx.in_index(i);\n      return false;\n    }\n";
    if (t.kind == K::list) {
      r << "    out.push_back(std::move(item));\n";
    } else {
      r << "    if (!out.insert(std::move(item)).second) {\n      ctx.in_index(i);\n"
        << "      return ctx.fail(\"duplicate element in a Set\");\n    }\n";
    }
    r << "    ++i;\n  }\n  return true;\n";
  } else if (t.kind == K::map && t.args.at(0).kind == K::string && !t.args.at(0).nullable) {
    const auto& e = elements[1];
    w << "  out += '{';\n  bool first = true;\n  for (const auto& [key, value] : v) {\n"
      << "    if (!first) out += ',';\n    first = false;\n    sm::write_string(out, key);\n    out += ':';\n"
      << "    w_" << e.fn << "(out, value, scope);\n  }\n  out += '}';\n";
    r << "  sm::JsonObject object;\n  if (!sm::get_object(v, ctx, " << expected << ", object)) return false;\n"
      << "  out.clear();\n  for (auto field_r : object) {\n    simdjson::ondemand::field field;\n"
      << "    if (auto e = std::move(field_r).get(field)) return ctx.fail(e);\n    std::string_view key_v;\n"
      << "    if (auto e = field.unescaped_key().get(key_v)) return ctx.fail(e);\n"
      << "    std::string key(key_v);\n    " << e.cpp << " value{};\n"
      << "    if (!r_" << e.fn << "(field.value(), ctx, value)) {\n      ctx.in_key(key);\n      return false;\n"
      << "    }\n    out.insert_or_assign(std::move(key), std::move(value));\n  }\n  return true;\n";
  } else if (t.kind == K::map) {
    const auto& k = elements[0];
    const auto& e = elements[1];
    w << "  out += '[';\n  bool first = true;\n  for (const auto& [key, value] : v) {\n"
      << "    if (!first) out += ',';\n    first = false;\n    out += \"{\\\"k\\\":\";\n"
      << "    w_" << k.fn << "(out, key, scope);\n    out += \",\\\"v\\\":\";\n"
      << "    w_" << e.fn << "(out, value, scope);\n    out += '}';\n  }\n  out += ']';\n";
    r << "  sm::JsonArray array;\n  if (!sm::get_array(v, ctx, " << expected << ", array)) return false;\n"
      << "  out.clear();\n  std::size_t i = 0;\n  for (auto element : array) {\n    sm::JsonValue entry_v;\n"
      << "    if (auto e = std::move(element).get(entry_v)) return ctx.fail(e);\n    sm::JsonObject entry;\n"
      << "    if (!sm::get_object(entry_v, ctx, \"{\\\"k\\\": key, \\\"v\\\": value}\", entry)) {\n"
      << "      ctx.in_index(i);\n      return false;\n    }\n"
      << "    " << k.cpp << " key{};\n    " << e.cpp << " value{};\n    bool has_k = false, has_v = false;\n"
      << "    for (auto field_r : entry) {\n      simdjson::ondemand::field field;\n"
      << "      if (auto e = std::move(field_r).get(field)) return ctx.fail(e);\n      std::string_view name;\n"
      << "      if (auto e = field.unescaped_key().get(name)) return ctx.fail(e);\n"
      << "      if (name == \"k\") {\n        has_k = true;\n"
      << "        if (!r_" << k.fn << "(field.value(), ctx, key)) {\n          ctx.in_field(\"k\");\n"
      << "          ctx.in_index(i);\n          return false;\n        }\n"
      << "      } else if (name == \"v\") {\n        has_v = true;\n"
      << "        if (!r_" << e.fn << "(field.value(), ctx, value)) {\n          ctx.in_field(\"v\");\n"
      << "          ctx.in_index(i);\n          return false;\n        }\n      }\n    }\n"
      << "    if (!has_k || !has_v) {\n      ctx.in_field(has_k ? \"v\" : \"k\");\n      ctx.in_index(i);\n"
      << "      return ctx.fail(\"missing, every entry of a Map with non-String keys is {\\\"k\\\":..,\\\"v\\\":..}\");\n"
      << "    }\n    if (!out.emplace(std::move(key), std::move(value)).second) {\n      ctx.in_index(i);\n"
      << "      return ctx.fail(\"duplicate key in a Map\");\n    }\n    ++i;\n  }\n  return true;\n";
  } else if (t.kind == K::record) {
    std::size_t positional = 0;
    for (const auto& f : t.record_fields) positional += f.named ? 0 : 1;
    const std::size_t named = t.record_fields.size() - positional;
    w << "  out += '{';\n";
    if (positional) {
      w << "  out += \"\\\"p\\\":[\";\n";
      for (std::size_t i = 0; i < positional; ++i) {
        if (i) w << "  out += ',';\n";
        w << "  w_" << elements[i].fn << "(out, std::get<" << i << ">(v), scope);\n";
      }
      w << "  out += ']';\n";
    }
    if (named) {
      w << "  out += \"" << (positional ? "," : "") << "\\\"n\\\":{\";\n";
      for (std::size_t i = positional; i < t.record_fields.size(); ++i) {
        const std::string key = json_literal(t.record_fields[i].name) + ":";
        w << "  out += " << cpp_literal((i > positional ? "," : "") + key) << ";\n";
        w << "  w_" << elements[i].fn << "(out, std::get<" << i << ">(v), scope);\n";
      }
      w << "  out += '}';\n";
    }
    w << "  out += '}';\n";
    r << "  sm::JsonObject object;\n  if (!sm::get_object(v, ctx, " << expected << ", object)) return false;\n"
      << "  bool has_p = false;\n  bool has_n[" << std::max<std::size_t>(named, 1) << "] = {};\n"
      << "  for (auto field_r : object) {\n    simdjson::ondemand::field field;\n"
      << "    if (auto e = std::move(field_r).get(field)) return ctx.fail(e);\n    std::string_view name;\n"
      << "    if (auto e = field.unescaped_key().get(name)) return ctx.fail(e);\n";
    if (positional) {
      r << "    if (name == \"p\") {\n      has_p = true;\n      sm::JsonArray array;\n"
        << "      sm::JsonValue pv = field.value();\n"
        << "      if (!sm::get_array(pv, ctx, \"positional values\", array)) {\n        ctx.in_field(\"p\");\n"
        << "        return false;\n      }\n      std::size_t i = 0;\n      for (auto element : array) {\n"
        << "        sm::JsonValue item_v;\n        if (auto e = std::move(element).get(item_v)) return ctx.fail(e);\n"
        << "        bool ok = true;\n        switch (i) {\n";
      for (std::size_t i = 0; i < positional; ++i) {
        r << "          case " << i << ": ok = r_" << elements[i].fn << "(item_v, ctx, std::get<" << i
          << ">(out)); break;\n";
      }
      r << "          default:\n            ctx.in_index(i);\n            ctx.in_field(\"p\");\n"
        << "            return ctx.fail(\"expected " << positional << " positional values, got more\");\n"
        << "        }\n        if (!ok) {\n          ctx.in_index(i);\n          ctx.in_field(\"p\");\n"
        << "          return false;\n        }\n        ++i;\n      }\n      if (i != " << positional << ") {\n"
        << "        ctx.in_field(\"p\");\n        return ctx.fail(\"expected " << positional
        << " positional values, got \" + std::to_string(i));\n      }\n      continue;\n    }\n";
    }
    if (named) {
      r << "    if (name == \"n\") {\n      sm::JsonObject named;\n      sm::JsonValue nv = field.value();\n"
        << "      if (!sm::get_object(nv, ctx, \"named values\", named)) {\n        ctx.in_field(\"n\");\n"
        << "        return false;\n      }\n      for (auto named_r : named) {\n"
        << "        simdjson::ondemand::field nf;\n        if (auto e = std::move(named_r).get(nf)) return ctx.fail(e);\n"
        << "        std::string_view key;\n        if (auto e = nf.unescaped_key().get(key)) return ctx.fail(e);\n";
      for (std::size_t i = positional; i < t.record_fields.size(); ++i) {
        const auto& name = t.record_fields[i].name;
        r << "        if (key == " << cpp_literal(name) << ") {\n          has_n[" << i - positional
          << "] = true;\n          if (!r_" << elements[i].fn << "(nf.value(), ctx, std::get<" << i
          << ">(out))) {\n            ctx.in_field(" << cpp_literal(name) << ");\n            ctx.in_field(\"n\");\n"
          << "            return false;\n          }\n        }\n";
      }
      r << "      }\n      continue;\n    }\n";
    }
    r << "  }\n";
    if (positional) {
      r << "  if (!has_p) {\n    ctx.in_field(\"p\");\n    return ctx.fail(\"missing, expected " << positional
        << " positional values\");\n  }\n";
    } else {
      r << "  (void)has_p;\n";
    }
    for (std::size_t i = positional; i < t.record_fields.size(); ++i) {
      const auto& f = t.record_fields[i];
      if (f.type->nullable) continue;
      r << "  if (!has_n[" << i - positional << "]) {\n    ctx.in_field(" << cpp_literal(f.name)
        << ");\n    ctx.in_field(\"n\");\n    return ctx.fail(" << cpp_literal("missing, expected " + dart_name(*f.type))
        << ");\n  }\n";
    }
    r << "  (void)has_n;\n  return true;\n";
  } else if (model && model->en) {
    const EnumDef& e = *model->en;
    if (e.serialized == EnumDef::Serialized::by_index) {
      w << "  (void)scope;\n  sm::write_int(out, static_cast<std::int64_t>(v));\n";
      r << "  std::int64_t index = 0;\n  if (!sm::read_int(v, ctx, index)) return false;\n"
        << "  if (index >= 0 && index < " << e.values.size() << ") {\n"
        << "    out = static_cast<" << model->qname << ">(index);\n    return true;\n  }\n";
    } else {
      w << "  (void)scope;\n  sm::write_string(out, to_name(v));\n";
      r << "  std::string name;\n  if (!sm::read_string(v, ctx, name)) return false;\n"
        << "  if (from_name(name, out)) return true;\n";
    }
    if (e.default_value) {
      r << "  out = " << model->qname << "::" << ident(*e.default_value) << ";  // `default:` of the enum\n"
        << "  return true;\n";
    } else {
      r << "  return ctx.fail(" << cpp_literal("expected " + e.name + ", got unknown value") << ");\n";
    }
  } else if (model && !model->polymorphic()) {
    w << "  w_" << model->id << "(out, v, scope);\n";
    r << "  return r_" << model->id << "(v, ctx, out);\n";
  } else {
    // A class hierarchy: the alternative is chosen by `__className__`.
    for (const Model* alt : model->alternatives) {
      w << "  if (const auto* x = std::get_if<" << alt->qname << ">(&v)) return w_" << alt->id
        << "(out, *x, scope);\n";
    }
    r << "  sm::JsonObject object;\n  if (!sm::get_object(v, ctx, " << expected << ", object)) return false;\n"
      << "  std::string class_name;\n  bool has_class_name = false;\n"
      << "  auto found = object.find_field_unordered(\"__className__\");\n"
      << "  if (found.error() == simdjson::SUCCESS) {\n    sm::JsonValue name_v = found.value_unsafe();\n"
      << "    if (!sm::read_string(name_v, ctx, class_name)) {\n      ctx.in_field(\"__className__\");\n"
      << "      return false;\n    }\n    has_class_name = true;\n"
      << "  } else if (found.error() != simdjson::NO_SUCH_FIELD) {\n    return ctx.fail(found.error());\n  }\n"
      << "  if (auto e = object.reset().error()) return ctx.fail(e);\n";
    std::string names;
    for (const Model* alt : model->alternatives) {
      r << "  if (class_name == " << cpp_literal(alt->wire) << ") return rf_" << alt->id << "(object, ctx, out.emplace<"
        << alt->qname << ">());\n";
      names += (names.empty() ? "" : ", ") + alt->wire;
    }
    if (!model->cls->is_sealed) {
      r << "  // Unknown or absent: Serverpod falls back to the declared class.\n  (void)has_class_name;\n  return rf_" << model->id
        << "(object, ctx, out.emplace<" << model->qname << ">());\n";
    } else {
      r << "  ctx.in_field(\"__className__\");\n  if (!has_class_name) return ctx.fail("
        << cpp_literal("missing, expected one of " + names) << ");\n"
        << "  return ctx.fail(\"\\\"\" + class_name + " << cpp_literal("\" is not a " + model->wire) << ");\n";
    }
  }
  d << "void w_" << c.fn << "(std::string& out, const " << cpp << "& v, sm::Scope scope) {\n" << w.str() << "}\n\n";
  d << "bool r_" << c.fn << "(sm::JsonValue v, sm::DecodeContext& ctx, " << cpp << "& out) {\n" << r.str()
    << "}\n\n";
  return c;
}

void Generator::emit_class_codec(std::ostream& s, const Model& m) {
  // Writer: parent fields first, `__className__` first of all, as Serverpod writes.
  s << "void w_" << m.id << "(std::string& out, const " << m.qname << "& v, sm::Scope scope) {\n"
    << "  out += " << cpp_literal("{\"__className__\":" + json_literal(m.wire)) << ";\n";
  bool uses_scope = false;
  for (const Field* f : m.fields) {
    if (f->scope == Field::Scope::none) continue;
    const std::string member = "v." + ident(f->name);
    std::vector<std::string> conditions;
    if (f->scope == Field::Scope::server_only) conditions.push_back("scope == sm::Scope::server");
    if (f->type.nullable) conditions.push_back(member);
    std::string indent = "  ";
    if (!conditions.empty()) {
      s << "  if (";
      for (std::size_t i = 0; i < conditions.size(); ++i) s << (i ? " && " : "") << conditions[i];
      s << ") {\n";
      indent = "    ";
    }
    // Built by appending: `"," + json_literal(...)` trips GCC 12's false -Wrestrict at -O3 (GCC bug 105651).
    std::string key = ",";
    key += json_literal(f->json_key.empty() ? f->name : f->json_key);
    key += ":";
    s << indent << "out += " << cpp_literal(key)
      << ";\n" << indent << "w_" << field_codecs_.at(f)
      << "(out, " << member << ", scope);\n";
    uses_scope = true;
    if (!conditions.empty()) s << "  }\n";
  }
  if (!uses_scope) s << "  (void)v;\n  (void)scope;\n";
  s << "  out += '}';\n}\n\n";

  // Field reader: one pass over the object's fields in whatever order they come, then absent fields.
  s << "bool rf_" << m.id << "(sm::JsonObject& object, sm::DecodeContext& ctx, " << m.qname << "& out) {\n";
  std::vector<const Field*> wire_fields;
  for (const Field* f : m.fields) {
    if (f->scope != Field::Scope::none) wire_fields.push_back(f);
  }
  s << "  bool seen[" << std::max<std::size_t>(wire_fields.size(), 1) << "] = {};\n"
    << "  for (auto field_r : object) {\n    simdjson::ondemand::field field;\n"
    << "    if (auto e = std::move(field_r).get(field)) return ctx.fail(e);\n    std::string_view key;\n"
    << "    if (auto e = field.unescaped_key().get(key)) return ctx.fail(e);\n";
  for (std::size_t i = 0; i < wire_fields.size(); ++i) {
    const Field* f = wire_fields[i];
    const std::string key = f->json_key.empty() ? f->name : f->json_key;
    const std::string member = "out." + ident(f->name);
    const auto& fn = field_codecs_.at(f);
    s << "    " << (i ? "else " : "") << "if (key == " << cpp_literal(key) << ") {\n      seen[" << i << "] = true;\n"
      << "      sm::JsonValue value = field.value();\n";
    if (f->default_model) {
      s << "      if (sm::is_null(value)) {\n        " << member << " = "
        << default_expr(f->type, m.set, f->default_model->text, *f) << ";  // null means the default\n"
        << "        continue;\n      }\n";
    }
    s << "      if (!r_" << fn << "(value, ctx, " << member << ")) {\n        ctx.in_field(" << cpp_literal(key)
      << ");\n        return false;\n      }\n    }\n";
  }
  s << "  }\n";
  for (std::size_t i = 0; i < wire_fields.size(); ++i) {
    const Field* f = wire_fields[i];
    // Absent: nullable -> null, default -> the default (already there: `out` is freshly constructed),
    // serverOnly -> left as constructed (clients cannot know these fields), else an error.
    if (f->type.nullable || f->default_model || f->scope == Field::Scope::server_only) continue;
    const std::string key = f->json_key.empty() ? f->name : f->json_key;
    s << "  if (!seen[" << i << "]) {\n    ctx.in_field(" << cpp_literal(key) << ");\n    return ctx.fail("
      << cpp_literal("missing, expected " + dart_name(f->type)) << ");\n  }\n";
  }
  s << "  (void)seen;\n  return true;\n}\n\n";
  s << "bool r_" << m.id << "(sm::JsonValue v, sm::DecodeContext& ctx, " << m.qname << "& out) {\n"
    << "  sm::JsonObject object;\n  if (!sm::get_object(v, ctx, " << cpp_literal(m.wire) << ", object)) return false;\n"
    << "  return rf_" << m.id << "(object, ctx, out);\n}\n\n";
}

}  // namespace switchboard::codegen::cpp_detail
