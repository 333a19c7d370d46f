// The TypeScript emitter's model of a set: its class hierarchy (parents, descendants, fields on the wire), model
// references resolved across modules (recording the imports they need), and the mapping of each YAML type to its
// TypeScript type (`number`, `Date`, `T[]`, `Map<K, V>`, `XAny`, records, ...). Fails on unknown or serverOnly
// references.
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


[[noreturn]] void fail(const SourceLocation& where, const std::string& what) {
  std::string prefix;
  if (!where.file.empty() || where.line > 0) {
    prefix = where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": ";
  }
  throw EmitFailure{prefix + what};
}

void FileEmitter::index_hierarchy() {
  for (const ClassDef& c : set_.classes) {
    for (const ClassDef* p = parent_of(c); p != nullptr; p = parent_of(*p)) descendants_[p->name].push_back(c.name);
  }
}

const ClassDef* FileEmitter::parent_of(const ClassDef& c) const {
  if (c.extends.empty()) return nullptr;
  const ClassDef* p = set_.find_class(c.extends);
  if (p == nullptr) fail(c.where, "class " + c.name + " extends unknown class " + c.extends);
  return p;
}

std::vector<const Field*> FileEmitter::wire_fields(const ClassDef& c) const {
  std::vector<const ClassDef*> chain;
  for (const ClassDef* k = &c; k != nullptr; k = parent_of(*k)) chain.push_back(k);
  std::vector<const Field*> out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (const Field& f : (*it)->fields) {
      if (f.scope == Field::Scope::all) out.push_back(&f);
    }
  }
  return out;
}

FileEmitter::Resolved FileEmitter::resolve(const TypeRef& t) {
  const ModelSet* target = &set_;
  std::string qualifier;
  if (!t.module.empty() && t.module != set_.module) {
    auto it = project_.modules.find(t.module);
    if (it == project_.modules.end()) fail(t.where, "unknown module '" + t.module + "' in a reference to " + t.name);
    target = &it->second;
    imports_.insert(t.module);
    qualifier = module_alias(t.module) + ".";
  }
  const ClassDef* c = target->find_class(t.name);
  const EnumDef* e = c == nullptr ? target->find_enum(t.name) : nullptr;
  if (c == nullptr && e == nullptr) fail(t.where, "unknown model " + t.name);
  if (c != nullptr && c->server_only) {
    fail(t.where, "a client-visible field refers to serverOnly class " + t.name +
                      " (which does not exist in client code)");
  }
  return {target, c, e, qualifier};
}

std::string FileEmitter::class_ref_type(const ClassDef& c, const ModelSet& set) {
  bool has_children = std::any_of(set.classes.begin(), set.classes.end(),
                                  [&](const ClassDef& k) { return k.extends == c.name; });
  return has_children && !c.is_sealed ? c.name + "Any" : c.name;
}

std::string FileEmitter::ts_type(const TypeRef& t) {
  std::string base = ts_type_nonnull(t);
  return t.nullable ? base + " | null" : base;
}

std::string FileEmitter::ts_element(const TypeRef& t) {
  std::string s = ts_type(t);
  return t.nullable ? "(" + s + ")" : s;
}

std::string FileEmitter::ts_type_nonnull(const TypeRef& t) {
  using K = TypeRef::Kind;
  switch (t.kind) {
    case K::boolean: return "boolean";
    case K::integer: return "number";
    case K::floating: return "number";
    case K::string: return "string";
    case K::date_time: return "Date";
    case K::duration: return "number";
    case K::byte_data: return "Uint8Array";
    case K::uuid: return "string";
    case K::uri: return "string";
    case K::big_int: return "bigint";
    case K::list: return ts_element(arg(t, 0)) + "[]";
    case K::set: return "Set<" + ts_type(arg(t, 0)) + ">";
    case K::map: return "Map<" + ts_type(arg(t, 0)) + ", " + ts_type(arg(t, 1)) + ">";
    case K::record: {
      std::string s = "{ ";
      int position = 0;
      for (const TypeRef::RecordField& f : t.record_fields) {
        s += record_property(f, position) + ": " + ts_type(*f.type) + "; ";
      }
      return s + "}";
    }
    case K::vector:
    case K::half_vector: return "number[]";
    case K::sparse_vector: return "rt.SparseVector";
    case K::bit: return "boolean[]";
    case K::model: {
      Resolved r = resolve(t);
      if (r.enm != nullptr) return r.qualifier + r.enm->name;
      return r.qualifier + class_ref_type(*r.cls, *r.set);
    }
  }
  fail(t.where, "unsupported type kind");
}

const TypeRef& FileEmitter::arg(const TypeRef& t, size_t i) {
  if (t.args.size() <= i) fail(t.where, "container type " + wire_type_name(t) + " lacks a type argument");
  return t.args[i];
}

std::string FileEmitter::record_property(const TypeRef::RecordField& f, int& position) {
  if (f.named) return f.name;
  // Built by appending: `"$" + std::to_string(...)` trips GCC 12's false -Wrestrict at -O3 (GCC bug 105651).
  std::string out = "$";
  out += std::to_string(++position);
  return out;
}

}  // namespace switchboard::codegen::ts_detail
