// Cross-file validation of a loaded model set: duplicate names, type references resolved against the set and the
// loaded modules, `extends:` chains (unknown or sealed parents, cycles, redeclared fields), defaults that must suit
// their field's type, and containment cycles that no value could ever satisfy. Reports every problem; only
// resolves references in place, never adds or removes definitions.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "codegen/load/detail.hpp"
#include "codegen/type_parser.hpp"

namespace switchboard::codegen::loader_detail {
namespace {

// Resolves model references against the set being validated and the loaded modules.
class Validator {
 public:
  Validator(LoadedSet& loaded, const std::map<std::string, ModelSet>& modules, Reporter& report)
      : loaded_(loaded), set_(loaded.set), modules_(modules), report_(report) {}

  void run() {
    check_duplicates();
    for (const auto& c : set_.classes) {
      for (const auto& f : c.fields) resolve(f.type);
    }
    check_extends();
    check_inherited_fields();
    check_defaults();
    check_containment();
  }

 private:
  void error(const SourceLocation& where, std::string message) { report_.error(where, std::move(message)); }

  // Classes and enums share one namespace; the later definition (by file order) is the duplicate.
  void check_duplicates() {
    std::map<std::string, SourceLocation> first;
    std::vector<std::string> drop_classes;
    auto visit = [&](const std::string& name, const SourceLocation& where) {
      auto [it, inserted] = first.emplace(name, where);
      if (!inserted) {
        error(where, fmt::format("'{}' is already defined at {}:{}:{}", name, it->second.file, it->second.line,
                                 it->second.column));
      }
    };
    std::vector<std::pair<SourceLocation, std::string>> all;
    for (const auto& c : set_.classes) all.emplace_back(c.where, c.name);
    for (const auto& e : set_.enums) all.emplace_back(e.where, e.name);
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
      return std::tie(a.first.file, a.first.line, a.first.column) <
             std::tie(b.first.file, b.first.line, b.first.column);
    });
    for (const auto& [where, name] : all) visit(name, where);
  }

  void resolve(const TypeRef& type) {
    for (const auto& arg : type.args) resolve(arg);
    for (const auto& field : type.record_fields) resolve(*field.type);
    if (type.kind != TypeRef::Kind::model) return;
    if (type.module.empty()) {
      if (!set_.find_class(type.name) && !set_.find_enum(type.name) && !loaded_.broken.count(type.name)) {
        error(type.where, fmt::format("unknown type '{}'", type.name));
      }
      return;
    }
    const ModelSet* module = find_module(type.module);
    if (!module) {
      error(type.where, fmt::format("unknown module nickname '{}' in 'module:{}:{}' (load it with --module {}=DIR)",
                                    type.module, type.module, type.name, type.module));
    } else if (!module->find_class(type.name) && !module->find_enum(type.name)) {
      error(type.where, fmt::format("type '{}' not found in module '{}'", type.name, type.module));
    }
  }

  const ModelSet* find_module(const std::string& nickname) const {
    if (nickname == set_.module) return &set_;  // A module may name its own types the long way.
    auto it = modules_.find(nickname);
    return it == modules_.end() ? nullptr : &it->second;
  }

  void check_extends() {
    std::set<std::string> in_reported_cycle;
    for (const auto& c : set_.classes) {
      if (c.extends.empty()) continue;
      const SourceLocation& where = loaded_.extends_where[c.name];
      const ClassDef* parent = set_.find_class(c.extends);
      if (!parent && loaded_.broken.count(c.extends)) continue;
      if (!parent) {
        error(where, set_.find_enum(c.extends) ? fmt::format("'{}' extends enum '{}': only classes can be extended",
                                                             c.name, c.extends)
                                               : fmt::format("'{}' extends unknown class '{}'", c.name, c.extends));
        continue;
      }
      if (parent->kind != c.kind) {
        error(where, fmt::format("'{}' extends '{}': a class can only extend a class, an exception an exception",
                                 c.name, c.extends));
        continue;
      }
      // Walk up; coming back to `c` is a cycle.
      std::vector<std::string> chain{c.name};
      std::set<std::string> visited{c.name};
      for (const ClassDef* p = parent; p != nullptr; p = p->extends.empty() ? nullptr : set_.find_class(p->extends)) {
        chain.push_back(p->name);
        if (p->name == c.name) {
          if (!in_reported_cycle.count(c.name)) {
            std::string path;
            for (const auto& n : chain) path += (path.empty() ? "" : " -> ") + n;
            error(where, fmt::format("inheritance cycle: {}", path));
            in_reported_cycle.insert(chain.begin(), chain.end());
          }
          break;
        }
        if (!visited.insert(p->name).second) break;  // A cycle above `c`: reported for its own members.
      }
    }
  }

  // Ancestors of `c`, nearest first; stops at a missing parent or a cycle.
  std::vector<const ClassDef*> ancestors(const ClassDef& c) const {
    std::vector<const ClassDef*> out;
    std::set<std::string> seen{c.name};
    for (const ClassDef* p = c.extends.empty() ? nullptr : set_.find_class(c.extends); p != nullptr;
         p = p->extends.empty() ? nullptr : set_.find_class(p->extends)) {
      if (!seen.insert(p->name).second) break;
      out.push_back(p);
    }
    return out;
  }

  void check_inherited_fields() {
    for (const auto& c : set_.classes) {
      for (const ClassDef* p : ancestors(c)) {
        for (const auto& f : c.fields) {
          for (const auto& pf : p->fields) {
            if (f.name == pf.name) {
              error(f.where, fmt::format("field '{}' is already declared in parent class '{}'", f.name, p->name));
            } else if (f.json_key == pf.json_key) {
              error(f.where, fmt::format("JSON key '{}' is already used by field '{}' of parent class '{}'",
                                         f.json_key, pf.name, p->name));
            }
          }
        }
      }
      for (std::size_t i = 0; i < c.fields.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (c.fields[i].json_key == c.fields[j].json_key) {
            error(c.fields[i].where, fmt::format("JSON key '{}' is already used by field '{}'", c.fields[i].json_key,
                                                 c.fields[j].name));
          }
        }
      }
    }
  }

  const EnumDef* enum_of(const TypeRef& type) const {
    if (type.kind != TypeRef::Kind::model) return nullptr;
    const ModelSet* owner = type.module.empty() ? &set_ : find_module(type.module);
    return owner ? owner->find_enum(type.name) : nullptr;
  }

  // A default as written must suit the field's type (Serverpod's forms: `now`, `random`, quoted strings...).
  void check_default(const Field& field, const DefaultValue& value, std::string_view option) {
    const std::string& t = value.text;
    const TypeRef& type = field.type;
    bool good = false;
    std::string expected;
    switch (type.kind) {
      case TypeRef::Kind::boolean: good = t == "true" || t == "false"; expected = "true or false"; break;
      case TypeRef::Kind::integer: good = is_integer(t); expected = "an integer"; break;
      case TypeRef::Kind::floating: good = is_number(t); expected = "a number"; break;
      case TypeRef::Kind::string: good = is_quoted(t); expected = "a quoted string"; break;
      case TypeRef::Kind::date_time:
        good = t == "now" || is_quoted(t);
        expected = "now or a quoted UTC date";
        break;
      case TypeRef::Kind::duration: good = is_duration(t); expected = "a duration like 1d 2h 30min"; break;
      case TypeRef::Kind::uuid:
        good = t == "random" || t == "random_v7" || is_quoted(t);
        expected = "random, random_v7 or a quoted UUID";
        break;
      case TypeRef::Kind::uri: good = is_quoted(t); expected = "a quoted URI"; break;
      case TypeRef::Kind::big_int:
        good = is_integer(t) || is_quoted(t);
        expected = "an integer";
        break;
      case TypeRef::Kind::model:
        if (const EnumDef* e = enum_of(type)) {
          good = std::any_of(e->values.begin(), e->values.end(), [&](const auto& v) { return v.name == t; });
          expected = fmt::format("a value of enum '{}'", e->name);
          break;
        }
        [[fallthrough]];
      default:
        error(value.where, fmt::format("'{}' is not supported for a field of type '{}'", option,
                                       to_string(type)));
        return;
    }
    if (!good) {
      error(value.where, fmt::format("invalid {} '{}' for field '{}' of type '{}': expected {}", option, t,
                                     field.name, to_string(type), expected));
    }
  }

  void check_defaults() {
    for (const auto& c : set_.classes) {
      for (const auto& f : c.fields) {
        if (f.default_model) check_default(f, *f.default_model, "default");
      }
    }
    for (const auto& [class_name, field_name, value] : loaded_.persist_defaults) {
      const ClassDef* c = set_.find_class(class_name);
      if (!c) continue;
      for (const auto& f : c->fields) {
        if (f.name == field_name) check_default(f, value, "defaultPersist");
      }
    }
    for (const auto& e : set_.enums) {
      for (const auto& p : e.properties) {
        if (!p.default_value) continue;
        Field as_field;
        as_field.name = p.name;
        as_field.type = p.type;
        check_default(as_field, *p.default_value, "default");
      }
    }
  }

  // Edges "class A holds a B by value": a non-nullable model field, possibly inside non-nullable records.
  struct Edge {
    std::string target;
    std::string via;  // "A.field"
    SourceLocation where;
  };

  void direct_models(const TypeRef& type, const std::string& via, const SourceLocation& where,
                     std::vector<Edge>& out) const {
    if (type.nullable) return;
    if (type.kind == TypeRef::Kind::record) {
      for (const auto& f : type.record_fields) direct_models(*f.type, via, where, out);
    } else if (type.kind == TypeRef::Kind::model && type.module.empty() && set_.find_class(type.name)) {
      out.push_back({type.name, via, where});
    }
  }

  std::vector<Edge> edges_of(const ClassDef& c) const {
    std::vector<Edge> out;
    auto add = [&](const ClassDef& owner) {
      for (const auto& f : owner.fields) direct_models(f.type, owner.name + "." + f.name, f.where, out);
    };
    add(c);
    for (const ClassDef* p : ancestors(c)) add(*p);
    return out;
  }

  void check_containment() {
    std::map<std::string, std::vector<Edge>> graph;
    for (const auto& c : set_.classes) graph[c.name] = edges_of(c);
    std::set<std::string> reported;
    for (const auto& c : set_.classes) {
      if (reported.count(c.name)) continue;
      // Breadth-first from c; a path back to c is a containment cycle.
      std::map<std::string, std::pair<std::string, const Edge*>> came_from;  // node -> (previous, edge)
      std::vector<std::string> queue{c.name};
      const Edge* closing = nullptr;
      std::string closing_from;
      for (std::size_t i = 0; i < queue.size() && !closing; ++i) {
        for (const Edge& e : graph[queue[i]]) {
          if (e.target == c.name) {
            closing = &e;
            closing_from = queue[i];
            break;
          }
          if (!came_from.count(e.target)) {
            came_from[e.target] = {queue[i], &e};
            queue.push_back(e.target);
          }
        }
      }
      if (!closing) continue;
      std::vector<const Edge*> path{closing};
      for (std::string at = closing_from; at != c.name; at = came_from[at].first) path.push_back(came_from[at].second);
      std::reverse(path.begin(), path.end());
      std::string route;
      for (const Edge* e : path) {
        route += (route.empty() ? "" : " -> ") + e->via;
        reported.insert(e->target);
      }
      error(path.front()->where, fmt::format("'{}' contains itself ({}) without a nullable or List/Set/Map "
                                             "in between", c.name, route));
    }
  }

  LoadedSet& loaded_;
  ModelSet& set_;
  const std::map<std::string, ModelSet>& modules_;
  Reporter& report_;
};

}  // namespace

void validate(LoadedSet& loaded, const std::map<std::string, ModelSet>& modules, Reporter& report) {
  Validator(loaded, modules, report).run();
}

}  // namespace switchboard::codegen::loader_detail
