#include "switchboard/model/registry.hpp"

#include <algorithm>

namespace switchboard::model {

void Registry::add(const ModelEntry& entry) { entries_.insert_or_assign(std::string(entry.class_name), entry); }

const ModelEntry* Registry::find(std::string_view class_name) const {
  const auto it = entries_.find(class_name);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<std::string_view> Registry::class_names() const {
  std::vector<std::string_view> names;
  names.reserve(entries_.size());
  for (const auto& [name, entry] : entries_) names.push_back(entry.class_name);
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

struct Job {
  const ModelEntry* entry;
  std::string* out;
  Scope scope;
};

bool run(JsonValue v, DecodeContext& ctx, void* target) {
  auto* job = static_cast<Job*>(target);
  return job->entry->transcode(v, ctx, job->out, job->scope);
}

}  // namespace

DecodeResult Registry::validate(std::string_view class_name, std::string_view data_json) const {
  const ModelEntry* entry = find(class_name);
  if (!entry) return DecodeResult::failure("unknown className \"" + std::string(class_name) + "\"");
  Job job{entry, nullptr, Scope::server};
  return decode_root(data_json, &run, &job);
}

DecodeResult Registry::transcode(std::string_view class_name, std::string_view data_json, Scope scope,
                                 std::string& out) const {
  const ModelEntry* entry = find(class_name);
  if (!entry) return DecodeResult::failure("unknown className \"" + std::string(class_name) + "\"");
  if (entry->server_only && scope == Scope::client) {
    return DecodeResult::failure("class \"" + std::string(class_name) + "\" is serverOnly: never sent to clients");
  }
  std::string encoded;
  Job job{entry, &encoded, scope};
  auto result = decode_root(data_json, &run, &job);
  if (result) out.append(encoded);
  return result;
}

}  // namespace switchboard::model
