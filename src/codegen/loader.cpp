// The model loader's entry points (codegen/loader.hpp): loads the modules first, so that each can refer to the
// others, then the project's own files, and sorts every set by name. The reading and checking themselves live in
// codegen/load/ (see codegen/load/detail.hpp for the steps).
#include "codegen/loader.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "codegen/load/detail.hpp"

namespace switchboard::codegen {
namespace {

using namespace loader_detail;

// Reads every file of `inputs` into one set, then validates it against `modules`.
ModelSet load_set(const std::vector<fs::path>& inputs, const std::string& nickname,
                  const std::map<std::string, ModelSet>& modules, Reporter& report) {
  LoadedSet loaded;
  loaded.set.module = nickname;
  std::vector<fs::path> files;
  for (const auto& input : inputs) {
    for (auto& f : model_files(input, report)) files.push_back(std::move(f));
  }
  // The same file named twice (directly and through its folder) is read once.
  std::set<fs::path> seen;
  for (const auto& f : files) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(f, ec);
    if (!seen.insert(ec ? f : canonical).second) continue;
    parse_file(f, report, loaded);
  }
  validate(loaded, modules, report);
  std::sort(loaded.set.classes.begin(), loaded.set.classes.end(),
            [](const ClassDef& a, const ClassDef& b) { return a.name < b.name; });
  std::sort(loaded.set.enums.begin(), loaded.set.enums.end(),
            [](const EnumDef& a, const EnumDef& b) { return a.name < b.name; });
  return std::move(loaded.set);
}

}  // namespace

std::string format(const Diagnostic& d) {
  std::string where = d.where.line > 0 ? fmt::format("{}:{}:{}", d.where.file, d.where.line, d.where.column)
                                       : d.where.file;
  return fmt::format("{}: {}{}", where, d.severity == Diagnostic::Severity::note ? "note: " : "", d.message);
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::error; });
}

std::optional<ModelSet> load_models(const LoadOptions& options, std::vector<Diagnostic>& diagnostics) {
  const std::size_t first = diagnostics.size();
  Reporter report(diagnostics);
  std::map<std::string, ModelSet> modules;
  for (const auto& m : options.modules) {
    if (!is_nickname(m.nickname)) {
      report.error({m.dir.string(), 0, 0}, fmt::format("invalid module nickname '{}': use lowercase letters, "
                                                       "digits and '_'", m.nickname));
      continue;
    }
    if (modules.count(m.nickname)) {
      report.error({m.dir.string(), 0, 0}, fmt::format("module nickname '{}' given twice", m.nickname));
      continue;
    }
    if (!m.package.empty() && !is_nickname(m.package)) {
      report.error({m.dir.string(), 0, 0}, fmt::format("invalid package name '{}' for module '{}': use lowercase "
                                                       "letters, digits and '_'", m.package, m.nickname));
      continue;
    }
    modules.emplace(m.nickname, ModelSet{});
  }
  // Modules may refer to each other; load them all first, then validate each against the others.
  for (const auto& m : options.modules) {
    auto it = modules.find(m.nickname);
    if (it == modules.end() || !it->second.module.empty()) continue;
    std::map<std::string, ModelSet> others;
    for (const auto& o : options.modules) {
      if (o.nickname != m.nickname && modules.count(o.nickname)) {
        // A module validates against the names of the others: load their files without reporting twice.
        std::vector<Diagnostic> ignored;
        Reporter quiet(ignored);
        LoadedSet names;
        for (const auto& f : model_files(o.dir, quiet)) parse_file(f, quiet, names);
        names.set.module = o.nickname;
        others.emplace(o.nickname, std::move(names.set));
      }
    }
    it->second = load_set({m.dir}, m.nickname, others, report);
    it->second.package = m.package.empty() ? m.nickname : m.package;
  }
  ModelSet project = load_set(options.inputs, "", modules, report);
  if (has_errors(std::vector<Diagnostic>(diagnostics.begin() + static_cast<std::ptrdiff_t>(first),
                                         diagnostics.end()))) {
    return std::nullopt;
  }
  project.modules = std::move(modules);
  return project;
}

}  // namespace switchboard::codegen
