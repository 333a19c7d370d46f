#pragma once
// The front end of switchboard-gen: reads protocol YAML model files (Serverpod's format: `class:`,
// `exception:`, `enum:`) into a validated ModelSet.
//
// Every problem is reported as a Diagnostic "file:line:column: message" (1-based line and column, pointing at
// the offending YAML node or at the exact character inside a field's type string). Database-only keywords
// (`table`, `indexes`, `managedMigration`, `serializationDataType`, field options `relation(...)`, `unique`,
// `column=`, `defaultPersist=`, ...) are accepted and produce one `note` each. As in Serverpod's JSON, a class
// with `table:` gets an implicit first field `int? id` unless it declares `id` itself. The result is returned
// only when there is no error, so emitters may rely on everything model.hpp promises.
// load_models uses no global state: concurrent calls are safe.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "codegen/model.hpp"

namespace switchboard::codegen {

struct Diagnostic {
  enum class Severity { error, note };
  Severity severity = Severity::error;
  SourceLocation where;  // line/column 0 when the message concerns a whole file (e.g. it cannot be read)
  std::string message;
};

// "file:line:column: message" for errors, "file:line:column: note: message" for notes.
std::string format(const Diagnostic& diagnostic);

// A module the models may refer to as `module:NICKNAME:Type`: its model files are loaded like the project's.
// `package` is the module's Dart package name, the prefix of its classes on the wire ("serverpod_auth" in
// "serverpod_auth.UserInfo"); "" means the same as the nickname (Serverpod's default when a module is given
// no nickname).
struct ModuleInput {
  std::string nickname;
  std::filesystem::path dir;
  std::string package{};
};

struct LoadOptions {
  // Model files and/or folders. A folder is searched recursively for `*.yaml` (which includes `*.spy.yaml`);
  // a file named explicitly is read whatever its extension.
  std::vector<std::filesystem::path> inputs;
  std::vector<ModuleInput> modules;
};

// Loads and validates the project's models and its modules. Appends every note and error to `diagnostics`
// in a deterministic order (files sorted by path). Returns nullopt when at least one error was reported.
// Never throws on bad input (unreadable files, YAML syntax errors, hostile nesting are errors).
std::optional<ModelSet> load_models(const LoadOptions& options, std::vector<Diagnostic>& diagnostics);

// True when `diagnostics` holds at least one error.
bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace switchboard::codegen
