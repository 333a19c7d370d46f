// The TypeScript emitter of switchboard-gen: a loaded ModelSet -> TypeScript types plus encode/decode functions
// that read and write exactly the wire encoding of docs/models.md.
//
// Output, under out_dir (all files carry a DO NOT EDIT banner):
//   models.ts            the project's models: per class/exception an interface, per enum a const object and a
//                        string-literal union type; per model encodeX(value, path?) and decodeX(json, path?)
//   module_<nick>.ts     the same for each referenced module (`--module auth=DIR`)
//   index.ts             re-exports, the registry className -> {encode, decode}, encodeModel and decodeModel
// Generated files import the hand-written runtime (clients/typescript/src/models/runtime.ts) as `../runtime.js`,
// so out_dir must be a folder beside runtime.ts (e.g. src/models/generated/).
//
// The generated code composes the runtime's per-type encoders and decoders inline (arrow functions for container
// elements), so it has no module-level state and no initialisation order: models may refer to each other in any
// order and cycle.
//
// This file holds index.ts, the file writing and emit_ts; the per-file emitter is in codegen/ts/file_emitter.hpp.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "codegen/emitters.hpp"
#include "codegen/ts/file_emitter.hpp"
#include "codegen/ts/ts_support.hpp"

namespace switchboard::codegen {
namespace {

using ts_detail::EmitFailure;
using ts_detail::FileEmitter;
using ts_detail::kBanner;
using ts::json_string;
using ts::wire_type_name;


std::string emit_index(const ModelSet& project, const std::vector<FileEmitter::RegistryEntry>& project_entries,
                       const std::map<std::string, std::vector<FileEmitter::RegistryEntry>>& module_entries) {
  std::ostringstream out;
  out << kBanner << "\n";
  out << "// The models of this protocol: re-exports, the registry className -> {encode, decode}, and\n"
      << "// encodeModel / decodeModel for model messages {\"className\": ..., \"data\": ...}.\n\n";
  out << "import * as rt from \"../runtime.js\";\n";
  out << "import * as models from \"./models.js\";\n";
  for (const auto& [nick, entries] : module_entries) {
    out << "import * as " << FileEmitter::module_alias(nick) << " from \"./" << FileEmitter::module_file_stem(nick)
        << ".js\";\n";
  }
  out << "\nexport * from \"./models.js\";\n";
  for (const auto& [nick, entries] : module_entries) {
    out << "export * as " << nick << " from \"./" << FileEmitter::module_file_stem(nick) << ".js\";\n";
  }
  out << "export { DecodeError, EncodeError } from \"../runtime.js\";\n";
  out << "export type { Envelope, SparseVector } from \"../runtime.js\";\n\n";

  out << "// Every model that can travel as a message, by its wire className (module models as\n"
      << "// \"<module>.<Name>\"), plus Serverpod's scalar envelopes (int, String, DateTime, ...).\n";
  out << "export const registry = {\n";
  for (const auto& e : project_entries) {
    out << "  " << json_string(e.wire_name) << ": { encode: models." << e.encode << ", decode: models." << e.decode
        << " },\n";
  }
  for (const auto& [nick, entries] : module_entries) {
    for (const auto& e : entries) {
      const std::string alias = FileEmitter::module_alias(nick);
      out << "  " << json_string(e.wire_name) << ": { encode: " << alias << "." << e.encode << ", decode: " << alias
          << "." << e.decode << " },\n";
    }
  }
  out << "  ...rt.scalarCodecs,\n";
  out << "} as const;\n\n";
  (void)project;
  out << R"TS(export type ModelName = keyof typeof registry;
// The TypeScript type of the model with wire name K.
export type ModelType<K extends ModelName> = ReturnType<(typeof registry)[K]["decode"]>;
// A decoded model message: switch on `className` to narrow `value`.
export type DecodedModel = { [K in ModelName]: { className: K; value: ModelType<K> } }[ModelName];

export function isModelName(name: string): name is ModelName {
  return Object.prototype.hasOwnProperty.call(registry, name);
}

// The envelope {className, data} of `value` as the model `className`. Throws EncodeError for a value that has
// no wire form.
export function encodeModel<K extends ModelName>(value: ModelType<K>, className: K): rt.Envelope<K> {
  if (!isModelName(className)) throw new rt.EncodeError("className", `unknown model ${JSON.stringify(className)}`);
  const encode = registry[className].encode as (value: unknown, path?: string) => unknown;
  return { className, data: encode(value, "") };
}

// Decodes a model message {className, data} (already parsed from JSON). Throws DecodeError naming the path
// within `data` (or `className`) of the first value that does not fit.
export function decodeModel(envelope: unknown): DecodedModel {
  const { className, data } = rt.readEnvelope(envelope);
  if (!isModelName(className)) {
    throw new rt.DecodeError("className", "a known model class name", JSON.stringify(className),
                             `unknown model ${JSON.stringify(className)}`);
  }
  const decode = registry[className].decode as (json: unknown, path?: string) => unknown;
  return { className, value: decode(data, "") } as DecodedModel;
}
)TS";
  return out.str();
}

// Writes `text` to `path` unless the file already holds exactly that (so that builds depending on the
// output do not rerun for an unchanged model set).
bool write_file(const std::filesystem::path& path, const std::string& text, std::ostream& errors) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream current;
      current << in.rdbuf();
      if (current.str() == text) return true;
    }
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    errors << path.string() << ": cannot write\n";
    return false;
  }
  return true;
}

}  // namespace

bool emit_ts(const ModelSet& models, const std::filesystem::path& out_dir, std::ostream& errors) {
  std::vector<std::pair<std::string, std::string>> files;  // file name, content
  std::vector<FileEmitter::RegistryEntry> project_entries;
  std::map<std::string, std::vector<FileEmitter::RegistryEntry>> module_entries;
  try {
    FileEmitter project(models, models);
    files.emplace_back("models.ts", project.emit());
    project_entries = project.registry_entries();
    for (const auto& [nick, module] : models.modules) {
      ModelSet named = module;
      if (named.module.empty()) named.module = nick;
      if (named.package.empty()) named.package = named.module;
      FileEmitter m(named, models);
      files.emplace_back(FileEmitter::module_file_stem(nick) + ".ts", m.emit());
      module_entries[nick] = m.registry_entries();
    }
  } catch (const EmitFailure& failure) {
    errors << failure.message << "\n";
    return false;
  }
  files.emplace_back("index.ts", emit_index(models, project_entries, module_entries));

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    errors << out_dir.string() << ": cannot create directory: " << ec.message() << "\n";
    return false;
  }
  bool ok = true;
  for (const auto& [name, text] : files) ok = write_file(out_dir / name, text, errors) && ok;
  return ok;
}

}  // namespace switchboard::codegen
