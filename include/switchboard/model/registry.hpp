#pragma once
// Registry: the dispatch table from a wire class name ("ChatMessage", "serverpod_auth.UserInfo") to the
// generated codec of that class, so that the server can (a) check that a message's `data` decodes as the class
// its `className` names, reporting the failing field, and (b) re-encode it for clients (dropping serverOnly
// fields). Filled once at start-up by the generated `register_models(registry)`; read-only afterwards, so it
// may then be used from any number of threads at once.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "switchboard/model/decode.hpp"
#include "switchboard/model/types.hpp"

namespace switchboard::model {

struct ModelEntry {
  std::string_view class_name;  // As on the wire.
  bool server_only = false;     // `serverOnly: true`: never encoded for clients.
  // Decodes `v` as this class; when `out` is not null, appends its re-encoding for `scope`.
  bool (*transcode)(JsonValue v, DecodeContext& ctx, std::string* out, Scope scope) = nullptr;
};

class Registry {
 public:
  // Adds or replaces the entry for entry.class_name (which must outlive the registry: generated code passes
  // string literals).
  void add(const ModelEntry& entry);
  const ModelEntry* find(std::string_view class_name) const;
  std::vector<std::string_view> class_names() const;  // Sorted.

  // Checks that `data_json` decodes as `class_name`. Errors: unknown class, or the decode error with its path.
  DecodeResult validate(std::string_view class_name, std::string_view data_json) const;

  // Decodes `data_json` as `class_name` and appends its encoding for `scope` to `out` (only on success).
  // Scope::client fails for a serverOnly class.
  DecodeResult transcode(std::string_view class_name, std::string_view data_json, Scope scope,
                         std::string& out) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, ModelEntry, Hash, std::equal_to<>> entries_;
};

}  // namespace switchboard::model
