// Internals of the model loader (codegen/loader.hpp), shared by the translation units under codegen/load/ and
// loader.cpp; nothing outside the loader includes this. Loading runs in three steps: model_file.cpp reads each YAML
// file into a LoadedSet (using field_parser.cpp for scalars, types and field options, and lexical.cpp for Serverpod's
// naming and literal rules), then validator.cpp checks the whole set across files, then loader.cpp sorts it and
// returns it. Every step reports through a Reporter and never throws; all of it runs on the caller's thread.
#pragma once

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "codegen/loader.hpp"

namespace switchboard::codegen::loader_detail {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------------------------
// Reporting

class Reporter {
 public:
  explicit Reporter(std::vector<Diagnostic>& out) : out_(out) {}

  void error(SourceLocation where, std::string message) {
    out_.push_back({Diagnostic::Severity::error, std::move(where), std::move(message)});
  }
  void note(SourceLocation where, std::string message) {
    out_.push_back({Diagnostic::Severity::note, std::move(where), std::move(message)});
  }

 private:
  std::vector<Diagnostic>& out_;
};

// One model file being read: its path, its raw lines (for `###` comments, which YAML drops) and where to report.
struct FileContext {
  std::string path;
  std::vector<std::string> lines;
  Reporter& report;

  SourceLocation at(const YAML::Mark& mark) const {
    if (mark.is_null()) return {path, 1, 1};
    return {path, mark.line + 1, mark.column + 1};
  }
  // The location of a node, or of `fallback` (its key) when the node has no position (an empty value).
  SourceLocation at(const YAML::Node& node, const YAML::Node& fallback) const {
    return node.Mark().is_null() ? at(fallback.Mark()) : at(node.Mark());
  }
  void error(const YAML::Mark& mark, std::string message) const { report.error(at(mark), std::move(message)); }
  void note(const YAML::Mark& mark, std::string message) const { report.note(at(mark), std::move(message)); }
};

// A model set being loaded, with the facts its validation needs that model.hpp does not carry.
struct LoadedSet {
  ModelSet set;
  std::map<std::string, SourceLocation> extends_where;  // class name -> where its `extends:` value is
  // `defaultPersist=` values: validated like `default=`, not kept in the AST. (class, field, value)
  std::vector<std::tuple<std::string, std::string, DefaultValue>> persist_defaults;
  // Models whose own file had errors: references to them are not reported again as "unknown type".
  std::set<std::string> broken;
};

// ---------------------------------------------------------------------------------------------------------------
// Lexical rules (lexical.cpp)

std::string trim(std::string_view s);
// The `###` documentation block directly above 0-based line `line0`: consecutive comment lines, where plain `#`
// lines are skipped and a blank or non-comment line ends the block. Lines are joined with '\n'.
std::string doc_above(const FileContext& file, int line0);
// ^[A-Z][A-Za-z0-9]*$
bool is_valid_class_name(std::string_view name);
// Serverpod's camelCase or snake_case, starting with a lowercase letter.
bool is_valid_field_name(std::string_view name);
// camelCase, one letter, or runs of capitals (`aBC`): ^[a-z]+([A-Z][a-z0-9]*)*$.
bool is_valid_enum_value(std::string_view name);
// -?[0-9]+
bool is_integer(std::string_view t);
// -?[0-9]+(.[0-9]+)?([eE][-+]?[0-9]+)?
bool is_number(std::string_view t);
// 'text' or "text", with no quote of the same kind inside.
bool is_quoted(std::string_view t);
// Serverpod's duration literal: parts like `1d`, `2h`, `30min`, `5s`, `100ms`, separated by spaces.
bool is_duration(std::string_view t);
// Names a model may not take: they would shadow the types of the type grammar.
bool is_reserved_type_name(const std::string& name);
// A module nickname or package name: ^[a-z_][a-z0-9_]*$
bool is_nickname(std::string_view s);

// ---------------------------------------------------------------------------------------------------------------
// Scalars, types and field options (field_parser.cpp)

// A scalar node's text as a string, or nullopt (with an error) when the node is not a scalar.
std::optional<std::string> scalar(const FileContext& file, const YAML::Node& node, const YAML::Node& key,
                                  std::string_view what);
// A scalar node's `true` or `false`, or nullopt (with an error).
std::optional<bool> boolean(const FileContext& file, const YAML::Node& node, const YAML::Node& key,
                            std::string_view what);
// One field: `name: Type, option, ...`. `default_persist` receives a `defaultPersist=` value. Reports and returns
// nullopt when the field is invalid.
std::optional<Field> parse_field(const FileContext& file, const YAML::Node& key, const YAML::Node& value,
                                 std::optional<DefaultValue>& default_persist);

// Class-level keywords that only matter to a database.
inline constexpr std::array<std::string_view, 5> database_class_keys{"table", "indexes", "managedMigration",
                                                                     "serializationDataType", "database"};

bool contains(auto const& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// ---------------------------------------------------------------------------------------------------------------
// Model files (model_file.cpp)

// Reads one model file (`class:`, `exception:` or `enum:`) into `out`; reports and skips what is invalid.
void parse_file(const fs::path& path, Reporter& report, LoadedSet& out);
// The model files under `input`, sorted: the file itself, or every *.yaml below a folder.
std::vector<fs::path> model_files(const fs::path& input, Reporter& report);

// ---------------------------------------------------------------------------------------------------------------
// Cross-file validation (validator.cpp)

// Resolves type references against `loaded` and `modules`, and checks duplicates, inheritance, defaults and
// containment cycles; reports every problem found.
void validate(LoadedSet& loaded, const std::map<std::string, ModelSet>& modules, Reporter& report);

}  // namespace switchboard::codegen::loader_detail
