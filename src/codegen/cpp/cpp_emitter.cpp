// The C++ emitter of switchboard-gen: one aggregated header + source per model set (the project's models plus
// every module it refers to), written into `out_dir`:
//
//   switchboard_models.hpp  plain structs, enum classes, std::variant aliases for class hierarchies, and the
//                           public API: to_json / from_json per model, register_models(Registry&)
//   switchboard_models.cpp  the codecs (direct buffer writing; simdjson On-Demand reading) and the dispatch table
//
// One pair rather than a pair per model: the output names are known before the YAML is read (so CMake knows them
// at configure time), models that refer to each other in cycles need no include dance, and the struct order can
// follow the containment graph. Generated code is data + codec + dispatch table; see docs/models.md.
//
// This file holds the Generator's top level (inheritance, struct order, the public API, register_models and the
// dispatch table) and the file writing; the other steps are in the files named in codegen/cpp/generator.hpp.

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "codegen/cpp/generator.hpp"
#include "codegen/emitters.hpp"

namespace switchboard::codegen {
namespace cpp_detail {

bool Generator::run(std::string& header, std::string& source) {
  collect(root_);
  for (const auto& [nick, set] : root_.modules) collect(set);

  // Inheritance: flatten fields, link children, compute the alternatives of each hierarchy.
  for (auto& [key, m] : models_) {
    if (!m.cls) continue;
    std::vector<const ClassDef*> chain;
    for (const ClassDef* c = m.cls; c;) {
      chain.push_back(c);
      if (c->extends.empty()) break;
      c = m.set->find_class(c->extends);
      if (std::find(chain.begin(), chain.end(), c) != chain.end()) break;
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      for (const auto& f : (*it)->fields) m.fields.push_back(&f);
    }
    if (!m.cls->extends.empty()) {
      auto parent = models_.find(m.module + "::" + m.cls->extends);
      if (parent != models_.end()) parent->second.children.push_back(&m);
    }
  }
  std::function<void(Model*, std::vector<Model*>&)> concrete = [&](Model* m, std::vector<Model*>& out) {
    if (!m->cls->is_sealed) out.push_back(m);
    for (Model* c : m->children) concrete(c, out);
  };
  for (auto& [key, m] : models_) {
    if (m.polymorphic()) concrete(&m, m.alternatives);
  }

  // Field types (this also generates every codec a field needs).
  for (auto& [key, m] : models_) {
    if (!m.cls) continue;
    for (const Field* f : m.fields) {
      const Codec c = codec(f->type, m.set, &m, false);
      field_types_[f] = c.cpp;
      field_codecs_[f] = c.fn;
    }
  }

  // Struct order: a struct comes after every struct it holds by value (Indirect and containers excepted).
  std::vector<Model*> order;
  std::set<Model*> done, active;
  std::function<void(Model*)> visit = [&](Model* m) {
    if (done.count(m) || active.count(m)) return;
    active.insert(m);
    for (const Field* f : m->fields) {
      if (field_types_[f].find("Indirect<") == 0 || field_types_[f].find("::switchboard::model::Indirect<") == 0) continue;
      std::set<Model*> direct, all;
      edges(f->type, m->set, false, direct, all);
      // Held by value first; then, where no cycle forbids it, what containers hold (clang wants those
      // complete too when it instantiates the comparisons).
      for (Model* x : direct) {
        if (x != m) visit(x);
      }
      for (Model* x : all) {
        if (x != m) visit(x);
      }
    }
    active.erase(m);
    done.insert(m);
    order.push_back(m);
  };
  for (auto& [key, m] : models_) {
    if (m.cls) visit(&m);
  }

  std::ostringstream h, s;
  h << kBanner << "// Plain structs and their JSON codecs; the wire encoding is in docs/models.md.\n#pragma once\n\n"
    << "#include <compare>\n#include <cstdint>\n#include <map>\n#include <optional>\n#include <set>\n"
    << "#include <string>\n#include <string_view>\n#include <tuple>\n#include <variant>\n#include <vector>\n\n"
    << "#include \"switchboard/model/types.hpp\"\n\nnamespace switchboard::model {\nclass Registry;\n}\n\n";
  std::string open_ns;
  auto in_ns = [&](std::ostream& os, const std::string& ns) {
    if (ns == open_ns) return;
    if (!open_ns.empty()) os << "}  // namespace " << open_ns.substr(2) << "\n\n";
    if (!ns.empty()) os << "namespace " << ns.substr(2) << " {\n\n";
    open_ns = ns;
  };
  std::ostringstream enum_src;
  for (auto& [key, m] : models_) {
    if (!m.en) continue;
    in_ns(h, m.ns);
    emit_enum(h, enum_src, m);
  }
  for (auto& [key, m] : models_) {
    if (!m.cls) continue;
    in_ns(h, m.ns);
    h << "struct " << m.name << ";\n";
  }
  h << "\n";
  for (auto& [key, m] : models_) {
    if (!m.polymorphic()) continue;
    in_ns(h, m.ns);
    h << "// A value of type " << m.wire << " on the wire: one of these, told apart by `__className__`.\nusing Any"
      << m.name << " = std::variant<";
    for (std::size_t i = 0; i < m.alternatives.size(); ++i) h << (i ? ", " : "") << m.alternatives[i]->qname;
    h << ">;\n";
  }
  h << "\n";
  for (Model* m : order) {
    in_ns(h, m->ns);
    emit_struct(h, *m);
  }
  for (Model* m : order) {
    in_ns(h, m->ns);
    // Member-wise, written out rather than `= default`: clang 14 crashes on a defaulted comparison of a struct
    // that holds a std::vector of itself.
    h << "inline bool operator==(const " << m->name << "& a, const " << m->name << "& b) {\n  return true";
    for (const Field* f : m->fields) h << "\n      && a." << ident(f->name) << " == b." << ident(f->name);
    h << ";\n}\n";
    h << "inline std::partial_ordering operator<=>(const " << m->name << "& a, const " << m->name << "& b) {\n";
    for (const Field* f : m->fields) {
      h << "  if (const std::partial_ordering c = a." << ident(f->name) << " <=> b." << ident(f->name)
        << "; c != 0) return c;\n";
    }
    if (m->fields.empty()) h << "  (void)a;\n  (void)b;\n";
    h << "  return std::partial_ordering::equivalent;\n}\n";
  }
  h << "\n";
  // The public API.
  std::ostringstream api_src;
  for (auto& [key, m] : models_) {
    in_ns(h, m.ns);
    const std::string type = m.en ? m.qname : m.qname;
    h << "// Appends " << m.wire << " as JSON (`data` of a message) to `out`. Scope::client leaves out serverOnly fields.\n"
      << "void to_json(std::string& out, const " << m.name << "& v, ::switchboard::model::Scope scope);\n"
      << "// Decodes `json` into `out`; on failure the error names the field path, e.g. \"items[2].name: expected String, got number\".\n"
      << "::switchboard::model::DecodeResult from_json(std::string_view json, " << m.name << "& out);\n";
    if (m.polymorphic()) {
      h << "void to_json(std::string& out, const Any" << m.name << "& v, ::switchboard::model::Scope scope);\n"
        << "::switchboard::model::DecodeResult from_json(std::string_view json, Any" << m.name << "& out);\n";
    }
    h << "\n";
    TypeRef exact;
    exact.kind = TypeRef::Kind::model;
    exact.name = m.en ? m.en->name : m.cls->name;
    exact.module = m.module;
    const std::string reader = m.en ? "r_" + codec(exact, m.set, nullptr, false).fn : "r_" + m.id;
    const std::string writer = m.en ? "w_" + codec(exact, m.set, nullptr, false).fn : "w_" + m.id;
    api_src << "void " << m.ns.substr(2) << "::to_json(std::string& out, const " << type
            << "& v, sm::Scope scope) {\n  " << writer << "(out, v, scope);\n}\n\n"
            << "sm::DecodeResult " << m.ns.substr(2) << "::from_json(std::string_view json, " << type << "& out) {\n"
            << "  out = " << type << "{};\n  return sm::decode_root(\n      json, [](sm::JsonValue v, sm::DecodeContext& ctx, void* target) { return "
            << reader << "(v, ctx, *static_cast<" << type << "*>(target)); }, &out);\n}\n\n";
    if (m.polymorphic()) {
      const Codec any = codec(exact, m.set, nullptr, false);
      const std::string any_type = m.ns + "::Any" + m.name;
      api_src << "void " << m.ns.substr(2) << "::to_json(std::string& out, const " << any_type
              << "& v, sm::Scope scope) {\n  w_" << any.fn << "(out, v, scope);\n}\n\n"
              << "sm::DecodeResult " << m.ns.substr(2) << "::from_json(std::string_view json, " << any_type << "& out) {\n"
              << "  out = " << any_type << "{};\n  return sm::decode_root(\n      json, [](sm::JsonValue v, sm::DecodeContext& ctx, void* target) { return r_"
              << any.fn << "(v, ctx, *static_cast<" << any_type << "*>(target)); }, &out);\n}\n\n";
    }
  }
  in_ns(h, kRoot);
  h << "// Adds every class, exception and enum above (and of the modules) to `registry`, keyed by wire className.\n"
    << "// Sealed classes are abstract and not added.\nvoid register_models(::switchboard::model::Registry& registry);\n\n";
  in_ns(h, "");

  // Transcoders for the registry: decode as the declared type (a hierarchy decodes as whatever
  // `__className__` says), re-encode for the scope asked for.
  std::ostringstream reg;
  reg << "void switchboard::models::register_models(sm::Registry& registry) {\n";
  std::ostringstream transcoders;
  for (auto& [key, m] : models_) {
    if (m.cls && m.cls->is_sealed) continue;
    TypeRef exact;
    exact.kind = TypeRef::Kind::model;
    exact.name = m.en ? m.en->name : m.cls->name;
    exact.module = m.module;
    const Codec c = codec(exact, m.set, nullptr, false);
    transcoders << "bool x_" << m.id << "(sm::JsonValue v, sm::DecodeContext& ctx, std::string* out, sm::Scope scope) {\n"
                << "  " << c.cpp << " value{};\n  if (!r_" << c.fn << "(v, ctx, value)) return false;\n"
                << "  if (out) w_" << c.fn << "(*out, value, scope);\n  return true;\n}\n\n";
    reg << "  registry.add({" << cpp_literal(m.wire) << ", " << (m.cls && m.cls->server_only ? "true" : "false")
        << ", &x_" << m.id << "});\n";
  }
  reg << "}\n";

  s << kBanner << "\n#include \"switchboard_models.hpp\"\n\n#include <cstdint>\n#include <string>\n#include <utility>\n\n"
    << "#include \"switchboard/model/decode.hpp\"\n#include \"switchboard/model/json_write.hpp\"\n"
    << "#include \"switchboard/model/registry.hpp\"\n\n";
  // Enum names live in their model's namespace.
  {
    std::ostringstream es;
    open_ns.clear();
    for (auto& [key, m] : models_) {
      if (!m.en) continue;
      in_ns(es, m.ns);
      std::ostringstream one, ignored;
      emit_enum(ignored, one, m);
      es << one.str();
    }
    in_ns(es, "");
    s << es.str();
  }
  s << "namespace {\n\nnamespace sm = ::switchboard::model;\nusing namespace ::switchboard::models;\n\n";
  // Class codec declarations, then type codecs, then class codecs.
  for (auto& [key, m] : models_) {
    if (!m.cls) continue;
    s << "[[maybe_unused]] void w_" << m.id << "(std::string& out, const " << m.qname << "& v, sm::Scope scope);\n"
      << "[[maybe_unused]] bool rf_" << m.id << "(sm::JsonObject& object, sm::DecodeContext& ctx, " << m.qname
      << "& out);\n[[maybe_unused]] bool r_" << m.id << "(sm::JsonValue v, sm::DecodeContext& ctx, " << m.qname
      << "& out);\n";
  }
  s << "\n" << codec_decls_.str() << "\n" << codec_defs_.str();
  for (auto& [key, m] : models_) {
    if (m.cls) emit_class_codec(s, m);
  }
  s << transcoders.str() << "}  // namespace\n\n" << api_src.str() << reg.str();
  (void)enum_src;
  header = h.str();
  source = s.str();
  return ok_;
}

}  // namespace cpp_detail

namespace {

bool write_if_changed(const std::filesystem::path& path, const std::string& text, std::ostream& errors) {
  // Leaving an unchanged file untouched keeps its timestamp, so nothing that includes it rebuilds.
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream old;
      old << in.rdbuf();
      if (old.str() == text) return true;
    }
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    errors << path.string() << ": cannot write\n";
    return false;
  }
  return true;
}

}  // namespace

bool emit_cpp(const ModelSet& models, const std::filesystem::path& out_dir, std::ostream& errors) {
  cpp_detail::Generator generator(models, errors);
  std::string header, source;
  if (!generator.run(header, source)) return false;
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    errors << out_dir.string() << ": cannot create: " << ec.message() << "\n";
    return false;
  }
  return write_if_changed(out_dir / "switchboard_models.hpp", header, errors) &&
         write_if_changed(out_dir / "switchboard_models.cpp", source, errors);
}

}  // namespace switchboard::codegen
