// switchboard-gen: reads protocol YAML models (Serverpod's format) and writes C++ or TypeScript.
//
//   switchboard-gen --lang cpp|ts --out DIR [--module NICKNAME[:PACKAGE]=DIR]... PATH...
//
// Exit status: 0 on success, 1 when the models are invalid or the output cannot be written, 2 on a usage error.
// Every message (errors and notes, one line each) goes to stderr.

#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "codegen/emitters.hpp"
#include "codegen/loader.hpp"

namespace {

namespace codegen = switchboard::codegen;

constexpr std::string_view usage =
    "usage: switchboard-gen --lang cpp|ts --out DIR [--module NICK[:PACKAGE]=DIR]... PATH...\n"
    "\n"
    "Reads protocol YAML model files (Serverpod's .spy.yaml format: class, exception, enum) and writes\n"
    "C++ or TypeScript types and JSON codecs for them.\n"
    "\n"
    "  PATH                  a model file, or a folder searched recursively for *.yaml (and *.spy.yaml)\n"
    "  --lang cpp|ts         the language to write\n"
    "  --out DIR             the folder to write into (created if missing)\n"
    "  --module NICK[:PACKAGE]=DIR\n"
    "                        models of a module, referred to as module:NICK:Type (repeatable). Its classes\n"
    "                        travel as \"PACKAGE.Name\" (the module's Dart package); PACKAGE defaults to NICK.\n"
    "                        Example: --module auth:serverpod_auth=models/auth (\"serverpod_auth.UserInfo\")\n"
    "  --help                print this help\n"
    "\n"
    "Exit status: 0 on success, 1 on invalid models or output errors, 2 on usage errors.\n";

struct Arguments {
  std::string lang;
  std::filesystem::path out;
  codegen::LoadOptions load;
  bool help = false;
};

int usage_error(const std::string& message) {
  std::cerr << "switchboard-gen: " << message << "\n" << usage;
  return 2;
}

// Returns 0 when `args` is filled in, else the exit status of a usage error (already printed).
int parse_arguments(int argc, char** argv, Arguments& args) {
  std::vector<std::string_view> in(argv + 1, argv + argc);
  bool only_paths = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    std::string_view a = in[i];
    if (only_paths || a.empty() || a[0] != '-') {
      args.load.inputs.emplace_back(std::string(a));
      continue;
    }
    if (a == "--") {
      only_paths = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      args.help = true;
      return 0;
    }
    // --name value or --name=value
    std::string_view name = a;
    std::string value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string_view::npos) {
      name = a.substr(0, eq);
      value = std::string(a.substr(eq + 1));
      has_value = true;
    }
    if (name != "--lang" && name != "--out" && name != "--module") {
      return usage_error("unknown option '" + std::string(a) + "'");
    }
    if (!has_value) {
      if (i + 1 >= in.size()) return usage_error("'" + std::string(name) + "' needs a value");
      value = std::string(in[++i]);
    }
    if (name == "--lang") {
      if (value != "cpp" && value != "ts") return usage_error("--lang must be cpp or ts, not '" + value + "'");
      args.lang = value;
    } else if (name == "--out") {
      if (value.empty()) return usage_error("--out needs a folder");
      args.out = value;
    } else {
      // NICK[:PACKAGE]=DIR: split at the first '=' (nickname and package never hold '=' or ':', DIR may).
      auto eq = value.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == value.size()) {
        return usage_error("--module takes NICKNAME[:PACKAGE]=DIR, not '" + value + "'");
      }
      std::string names = value.substr(0, eq);
      std::string package;
      if (auto colon = names.find(':'); colon != std::string::npos) {
        package = names.substr(colon + 1);
        names.resize(colon);
        if (names.empty() || package.empty()) {
          return usage_error("--module takes NICKNAME[:PACKAGE]=DIR, not '" + value + "'");
        }
      }
      args.load.modules.push_back({names, value.substr(eq + 1), package});
    }
  }
  if (args.lang.empty()) return usage_error("missing --lang cpp|ts");
  if (args.out.empty()) return usage_error("missing --out DIR");
  if (args.load.inputs.empty()) return usage_error("no model file or folder given");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  if (int status = parse_arguments(argc, argv, args); status != 0) return status;
  if (args.help) {
    std::cout << usage;
    return 0;
  }
  std::vector<codegen::Diagnostic> diagnostics;
  auto models = codegen::load_models(args.load, diagnostics);
  for (const auto& d : diagnostics) std::cerr << codegen::format(d) << '\n';
  if (!models) return 1;

  std::error_code ec;
  std::filesystem::create_directories(args.out, ec);
  if (ec) {
    std::cerr << args.out.string() << ": cannot create the output folder: " << ec.message() << '\n';
    return 1;
  }
  bool ok = args.lang == "cpp" ? codegen::emit_cpp(*models, args.out, std::cerr)
                               : codegen::emit_ts(*models, args.out, std::cerr);
  return ok ? 0 : 1;
}
