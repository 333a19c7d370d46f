#pragma once
// The code emitters of switchboard-gen. Each writes one output language for a loaded, validated ModelSet.

#include <filesystem>
#include <ostream>

#include "codegen/model.hpp"

namespace switchboard::codegen {

// C++: one aggregated header and source per model set (switchboard_models.hpp/.cpp: every class, exception and
// enum, their codecs and register_models()), under `out_dir`.
// Returns false, with messages on `errors`, when something cannot be written or generated.
bool emit_cpp(const ModelSet& models, const std::filesystem::path& out_dir, std::ostream& errors);

// TypeScript: types plus encode/decode functions with validation, under `out_dir`.
bool emit_ts(const ModelSet& models, const std::filesystem::path& out_dir, std::ostream& errors);

}  // namespace switchboard::codegen
