// Reading one YAML model file into per-file definitions: the file's document kind (`class:`, `exception:` or
// `enum:`), its keywords, fields and enum values, each with its source location and `###` documentation. Checks
// only what one file can show; references between models are checked later by validator.cpp. A file with errors
// adds its model's name to LoadedSet::broken instead of a definition.
#include <algorithm>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "codegen/load/detail.hpp"
#include "codegen/type_parser.hpp"

namespace switchboard::codegen::loader_detail {
namespace {

// `class:` or `exception:` documents.
void parse_class(const FileContext& file, const YAML::Node& root, const YAML::Node& kind_key, LoadedSet& out) {
  ClassDef def;
  def.kind = kind_key.Scalar() == "class" ? ClassDef::Kind::class_ : ClassDef::Kind::exception;
  bool ok = true;
  bool has_table = false;
  SourceLocation table_where;
  std::optional<SourceLocation> extends_where;
  std::vector<std::pair<std::string, DefaultValue>> persist_defaults;
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Node key = it->first;  // Copies: the iterator's pair is a temporary.
    const YAML::Node value = it->second;
    const std::string& k = key.Scalar();
    if (k == "class" || k == "exception") {
      auto name = scalar(file, value, key, fmt::format("the '{}' name", k));
      if (!name) return;
      def.name = *name;
      def.where = file.at(value, key);
      def.doc = doc_above(file, key.Mark().line);
    } else if (k == "fields") {
      if (value.IsNull()) continue;
      if (!value.IsMap()) {
        file.report.error(file.at(value, key), "'fields' must map field names to types");
        ok = false;
        continue;
      }
      for (auto f = value.begin(); f != value.end(); ++f) {
        std::optional<DefaultValue> default_persist;
        auto field = parse_field(file, f->first, f->second, default_persist);
        if (!field) {
          ok = false;
          continue;
        }
        auto dup = std::find_if(def.fields.begin(), def.fields.end(),
                                [&](const Field& other) { return other.name == field->name; });
        if (dup != def.fields.end()) {
          file.report.error(field->where, fmt::format("field '{}' is already declared at line {}", field->name,
                                                      dup->where.line));
          ok = false;
          continue;
        }
        if (default_persist) persist_defaults.emplace_back(field->name, *default_persist);
        def.fields.push_back(std::move(*field));
      }
    } else if (k == "extends") {
      auto parent = scalar(file, value, key, "'extends'");
      if (!parent) {
        ok = false;
        continue;
      }
      def.extends = *parent;
      extends_where = file.at(value, key);
    } else if (k == "sealed") {
      auto b = boolean(file, value, key, "'sealed'");
      if (!b) ok = false; else def.is_sealed = *b;
    } else if (k == "serverOnly") {
      auto b = boolean(file, value, key, "'serverOnly'");
      if (!b) ok = false; else def.server_only = *b;
    } else if (contains(database_class_keys, k)) {
      file.note(key.Mark(), fmt::format("'{}' is a database keyword; ignored", k));
      if (k == "table") {
        has_table = true;
        table_where = file.at(key.Mark());
      }
    } else {
      file.error(key.Mark(), fmt::format("unknown keyword '{}' in {} '{}'", k, kind_key.Scalar(), def.name));
      ok = false;
    }
  }
  if (!is_valid_class_name(def.name)) {
    file.report.error(def.where, fmt::format("invalid {} name '{}': use PascalCase letters and digits, starting "
                                             "with an uppercase letter", kind_key.Scalar(), def.name));
    return;
  }
  if (is_reserved_type_name(def.name)) {
    file.report.error(def.where, fmt::format("the name '{}' is reserved for a built-in type", def.name));
    return;
  }
  // A class with a table has an implicit `int? id` on the wire in Serverpod's JSON (unless declared).
  if (has_table && std::none_of(def.fields.begin(), def.fields.end(), [](const Field& f) { return f.name == "id"; })) {
    Field id;
    id.name = "id";
    id.json_key = "id";
    id.type.kind = TypeRef::Kind::integer;
    id.type.nullable = true;
    id.type.where = table_where;
    id.doc = "The database id, set once the object has been stored.";
    id.where = table_where;
    def.fields.insert(def.fields.begin(), std::move(id));
  }
  if (!ok) {
    out.broken.insert(def.name);
    return;
  }
  if (extends_where) out.extends_where[def.name] = *extends_where;
  for (auto& [field, value] : persist_defaults) out.persist_defaults.emplace_back(def.name, field, value);
  out.set.classes.push_back(std::move(def));
}

bool check_property_value(const FileContext& file, const YAML::Node& node, const TypeRef& type,
                          const std::string& value_name, const std::string& property) {
  const std::string& text = node.Scalar();
  bool good = true;
  std::string_view expected;
  if (type.nullable && text == "null") return true;
  switch (type.kind) {
    case TypeRef::Kind::integer: good = is_integer(text); expected = "an int"; break;
    case TypeRef::Kind::floating: good = is_number(text); expected = "a double"; break;
    case TypeRef::Kind::boolean: good = text == "true" || text == "false"; expected = "true or false"; break;
    default: break;
  }
  if (!good) {
    file.error(node.Mark(), fmt::format("enum value '{}': property '{}' must be {}, found '{}'", value_name,
                                        property, expected, text));
  }
  return good;
}

// `enum:` documents.
void parse_enum(const FileContext& file, const YAML::Node& root, LoadedSet& out) {
  EnumDef def;
  bool ok = true;
  // std::optional: a default YAML::Node is a defined null, not "absent".
  std::optional<YAML::Node> values_key;
  std::optional<YAML::Node> values;
  std::optional<YAML::Node> default_key;
  std::optional<YAML::Node> default_node;
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Node key = it->first;  // Copies: the iterator's pair is a temporary.
    const YAML::Node value = it->second;
    const std::string& k = key.Scalar();
    if (k == "enum") {
      auto name = scalar(file, value, key, "the 'enum' name");
      if (!name) return;
      def.name = *name;
      def.where = file.at(value, key);
      def.doc = doc_above(file, key.Mark().line);
    } else if (k == "serialized") {
      auto s = scalar(file, value, key, "'serialized'");
      if (!s) {
        ok = false;
      } else if (*s == "byName") {
        def.serialized = EnumDef::Serialized::by_name;
      } else if (*s == "byIndex") {
        def.serialized = EnumDef::Serialized::by_index;
      } else {
        file.report.error(file.at(value, key),
                          fmt::format("invalid 'serialized' value '{}': expected byName or byIndex", *s));
        ok = false;
      }
    } else if (k == "values") {
      values_key.emplace(key);  // emplace, not =: YAML::Node's operator= writes into the bound node.
      values.emplace(value);
    } else if (k == "default") {
      default_key.emplace(key);
      default_node.emplace(value);
    } else if (k == "properties") {
      if (!value.IsMap()) {
        file.report.error(file.at(value, key), "'properties' must map property names to types");
        ok = false;
        continue;
      }
      for (auto p = value.begin(); p != value.end(); ++p) {
        std::optional<DefaultValue> default_persist;
        auto field = parse_field(file, p->first, p->second, default_persist);
        if (!field) {
          ok = false;
          continue;
        }
        if (field->scope != Field::Scope::all || !field->persist || field->json_key != field->name) {
          file.report.error(field->where, fmt::format("enum property '{}' takes only a type and default=",
                                                      field->name));
          ok = false;
          continue;
        }
        auto dup = std::find_if(def.properties.begin(), def.properties.end(),
                                [&](const EnumDef::Property& other) { return other.name == field->name; });
        if (dup != def.properties.end()) {
          file.report.error(field->where, fmt::format("property '{}' given twice", field->name));
          ok = false;
          continue;
        }
        const auto scalar_kind = field->type.kind;
        if (scalar_kind != TypeRef::Kind::integer && scalar_kind != TypeRef::Kind::floating &&
            scalar_kind != TypeRef::Kind::boolean && scalar_kind != TypeRef::Kind::string) {
          file.report.error(field->type.where, fmt::format("enum property '{}' must be int, double, bool or "
                                                           "String, found '{}'", field->name,
                                                           to_string(field->type)));
          ok = false;
          continue;
        }
        def.properties.push_back({field->name, field->type, field->default_model});
      }
    } else if (k == "serverOnly") {
      if (!boolean(file, value, key, "'serverOnly'")) ok = false;
    } else {
      file.error(key.Mark(), fmt::format("unknown keyword '{}' in enum '{}'", k, def.name));
      ok = false;
    }
  }
  if (!is_valid_class_name(def.name)) {
    file.report.error(def.where, fmt::format("invalid enum name '{}': use PascalCase letters and digits, starting "
                                             "with an uppercase letter", def.name));
    return;
  }
  if (is_reserved_type_name(def.name)) {
    file.report.error(def.where, fmt::format("the name '{}' is reserved for a built-in type", def.name));
    return;
  }
  if (!values) {
    file.error(root.Mark(), fmt::format("enum '{}' has no 'values'", def.name));
    return;
  }
  if (!values->IsSequence() || values->size() == 0) {
    file.report.error(file.at(*values, *values_key), "'values' must be a non-empty list");
    return;
  }
  for (const YAML::Node& item : *values) {
    EnumDef::Value v;
    v.where = file.at(item.Mark());
    v.doc = doc_above(file, item.Mark().line);
    // Rebind with reset(): YAML::Node's operator= would overwrite the node it is bound to, in the document.
    YAML::Node props;
    YAML::Node name_node(item);
    if (item.IsScalar()) {
      v.name = item.Scalar();
    } else if (item.IsMap() && item.size() == 1) {
      name_node.reset(item.begin()->first);
      v.name = name_node.Scalar();
      props.reset(item.begin()->second);
    } else {
      file.error(item.Mark(), "an enum value is a name, or a name with its properties ('- name:' then "
                              "'property: value' lines)");
      ok = false;
      continue;
    }
    if (!is_valid_enum_value(v.name)) {
      file.error(name_node.Mark(), fmt::format("invalid enum value '{}': use camelCase, starting with a "
                                               "lowercase letter", v.name));
      ok = false;
      continue;
    }
    if (std::any_of(def.values.begin(), def.values.end(), [&](const auto& o) { return o.name == v.name; })) {
      file.error(name_node.Mark(), fmt::format("enum value '{}' given twice", v.name));
      ok = false;
      continue;
    }
    if (props && !props.IsNull()) {
      if (!props.IsMap()) {
        file.error(props.Mark(), fmt::format("the properties of enum value '{}' must be 'name: value' lines",
                                             v.name));
        ok = false;
        continue;
      }
      for (auto p = props.begin(); p != props.end(); ++p) {
        const YAML::Node pkey = p->first;
        const YAML::Node pvalue = p->second;
        const std::string pname = pkey.Scalar();
        auto decl = std::find_if(def.properties.begin(), def.properties.end(),
                                 [&](const auto& d) { return d.name == pname; });
        if (decl == def.properties.end()) {
          file.error(pkey.Mark(), fmt::format("enum value '{}': unknown property '{}'", v.name, pname));
          ok = false;
          continue;
        }
        if (!pvalue.IsScalar()) {
          file.report.error(file.at(pvalue, pkey),
                            fmt::format("enum value '{}': property '{}' must be a single value", v.name, pname));
          ok = false;
          continue;
        }
        v.properties[pname] = pvalue.Scalar();  // Kept even when invalid: no second "lacks property" error.
        if (!check_property_value(file, pvalue, decl->type, v.name, pname)) ok = false;
      }
    }
    for (const auto& decl : def.properties) {
      if (!v.properties.count(decl.name) && !decl.default_value && !decl.type.nullable) {
        file.error(name_node.Mark(), fmt::format("enum value '{}' lacks property '{}', which has no default",
                                                 v.name, decl.name));
        ok = false;
      }
    }
    def.values.push_back(std::move(v));
  }
  if (default_node) {
    auto d = scalar(file, *default_node, *default_key, "the enum 'default'");
    if (!d) {
      ok = false;
    } else if (std::none_of(def.values.begin(), def.values.end(), [&](const auto& v) { return v.name == *d; })) {
      file.report.error(file.at(*default_node, *default_key),
                        fmt::format("enum default '{}' is not one of the values of '{}'", *d, def.name));
      ok = false;
    } else {
      def.default_value = *d;
    }
  }
  if (ok) {
    out.set.enums.push_back(std::move(def));
  } else {
    out.broken.insert(def.name);
  }
}

}  // namespace

void parse_file(const fs::path& path, Reporter& report, LoadedSet& out) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    report.error({name, 0, 0}, "cannot read the file");
    return;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  FileContext file{name, {}, report};
  {
    std::string line;
    std::istringstream lines(text);
    while (std::getline(lines, line)) file.lines.push_back(line);
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    file.error(e.mark, fmt::format("YAML syntax error: {}", e.msg));
    return;
  }
  if (!root || root.IsNull()) {
    report.error({name, 1, 1}, "empty model file: expected 'class:', 'exception:' or 'enum:'");
    return;
  }
  if (!root.IsMap()) {
    file.error(root.Mark(), "a model file must be a map starting with 'class:', 'exception:' or 'enum:'");
    return;
  }
  std::optional<YAML::Node> kind_key;  // A default YAML::Node is a defined null: not usable as "absent".
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Node key = it->first;  // Copy: the iterator's pair is a temporary.
    if (!key.IsScalar()) {
      file.error(key.Mark(), "keys must be plain words");
      return;
    }
    const std::string k = key.Scalar();
    if (k == "class" || k == "exception" || k == "enum") {
      if (kind_key) {
        file.error(key.Mark(), fmt::format("'{}' after '{}': one model per file", k, kind_key->Scalar()));
        return;
      }
      kind_key.emplace(key);
    }
  }
  if (!kind_key) {
    file.error(root.Mark(), "missing 'class:', 'exception:' or 'enum:'");
    return;
  }
  if (kind_key->Scalar() == "enum") {
    parse_enum(file, root, out);
  } else {
    parse_class(file, root, *kind_key, out);
  }
}

// The model files under `input`, sorted: the file itself, or every *.yaml below a folder.
std::vector<fs::path> model_files(const fs::path& input, Reporter& report) {
  std::vector<fs::path> files;
  std::error_code ec;
  auto status = fs::status(input, ec);
  if (ec || !fs::exists(status)) {
    report.error({input.string(), 0, 0}, "no such file or folder");
    return files;
  }
  if (!fs::is_directory(status)) {
    files.push_back(input);
    return files;
  }
  for (fs::recursive_directory_iterator it(input, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".yaml") files.push_back(it->path());
  }
  if (ec) report.error({input.string(), 0, 0}, fmt::format("cannot list the folder: {}", ec.message()));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace switchboard::codegen::loader_detail
