#include "codegen/model.hpp"

#include <algorithm>

namespace switchboard::codegen {

// Linear on purpose: model sets are small, and emitter tests may build sets that are not sorted.
const ClassDef* ModelSet::find_class(const std::string& name) const {
  auto it = std::find_if(classes.begin(), classes.end(), [&](const ClassDef& c) { return c.name == name; });
  return it == classes.end() ? nullptr : &*it;
}

const EnumDef* ModelSet::find_enum(const std::string& name) const {
  auto it = std::find_if(enums.begin(), enums.end(), [&](const EnumDef& e) { return e.name == name; });
  return it == enums.end() ? nullptr : &*it;
}

}  // namespace switchboard::codegen
