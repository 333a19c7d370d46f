// The C++ emitter's view of the models: collecting every class, exception and enum of a model set under its C++
// namespace, name and wire name; resolving a type reference to its model; and the containment edges between
// models (by value or through containers) that decide struct order and where an Indirect box is needed.
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

void Generator::collect(const ModelSet& set) {
  const std::string ns = set.module.empty() ? std::string(kRoot) : std::string(kRoot) + "::" + set.module;
  auto add = [&](const std::string& name, Model m) {
    m.set = &set;
    m.module = set.module;
    m.ns = ns;
    m.name = ident(name);
    m.qname = ns + "::" + m.name;
    m.id = set.module.empty() ? name : "m_" + set.module + "_" + name;
    // Serverpod prefixes module classes with the module's package name ("serverpod_auth.UserInfo"), not its
    // nickname; the nickname stands in when no package was given.
    m.wire = set.module.empty() ? name : (set.package.empty() ? set.module : set.package) + "." + name;
    models_[set.module + "::" + name] = std::move(m);
  };
  for (const auto& c : set.classes) {
    Model m;
    m.cls = &c;
    add(c.name, std::move(m));
  }
  for (const auto& e : set.enums) {
    Model m;
    m.en = &e;
    add(e.name, std::move(m));
  }
}

Model* Generator::resolve(const TypeRef& t, const ModelSet* context) const {
  const std::string module = t.module.empty() ? context->module : t.module;
  auto it = models_.find(module + "::" + t.name);
  return it == models_.end() ? nullptr : const_cast<Model*>(&it->second);
}

// The models `t` refers to: `direct` without passing through a List/Set/Map (they need a complete type where
// the field is declared), `all` at any depth. A polymorphic class stands for all its alternatives.
void Generator::edges(const TypeRef& t, const ModelSet* context, bool in_container, std::set<Model*>& direct,
                      std::set<Model*>& all) const {
  switch (t.kind) {
    case TypeRef::Kind::list:
    case TypeRef::Kind::set:
    case TypeRef::Kind::map:
      for (const auto& a : t.args) edges(a, context, true, direct, all);
      break;
    case TypeRef::Kind::record:
      for (const auto& f : t.record_fields) edges(*f.type, context, in_container, direct, all);
      break;
    case TypeRef::Kind::model: {
      Model* m = resolve(t, context);
      if (!m || m->en) break;
      std::vector<Model*> targets = m->polymorphic() ? m->alternatives : std::vector<Model*>{m};
      for (Model* x : targets) {
        all.insert(x);
        if (!in_container) direct.insert(x);
      }
      break;
    }
    default:
      break;
  }
}

std::set<Model*> Generator::reachable_from(Model* start) const {
  std::set<Model*> seen;
  std::vector<Model*> stack{start};
  while (!stack.empty()) {
    Model* m = stack.back();
    stack.pop_back();
    if (!m->cls) continue;
    for (const Field* f : m->fields) {
      std::set<Model*> direct, all;
      edges(f->type, m->set, false, direct, all);
      for (Model* x : all) {
        if (seen.insert(x).second) stack.push_back(x);
      }
    }
  }
  return seen;
}

}  // namespace switchboard::codegen::cpp_detail
