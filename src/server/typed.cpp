// The non-template part of the typed server API (switchboard/typed.hpp): the registry-backed model validator.
#include "switchboard/typed.hpp"

#include <memory>

#include "switchboard/model/registry.hpp"

namespace switchboard {

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

// The length of the field path at the start of `text` (model::DecodeContext's form: names joined by '.',
// "[3]" indexes, "{\"key\"}" map keys), when ": " follows it; 0 otherwise.
std::size_t path_length(std::string_view text) {
  std::size_t i = 0;
  bool segment = false;  // Whether the path holds at least one segment.
  while (i < text.size()) {
    const char c = text[i];
    if (is_name_char(c)) {
      while (i < text.size() && is_name_char(text[i])) ++i;
    } else if (c == '[') {
      const std::size_t close = text.find(']', i);
      if (close == std::string_view::npos || close == i + 1) return 0;
      for (std::size_t j = i + 1; j < close; ++j) {
        if (text[j] < '0' || text[j] > '9') return 0;
      }
      i = close + 1;
    } else if (c == '{' && i + 1 < text.size() && text[i + 1] == '"') {
      const std::size_t close = text.find("\"}", i + 2);
      if (close == std::string_view::npos) return 0;
      i = close + 2;
    } else if (c == '.' && segment && i + 1 < text.size() && is_name_char(text[i + 1])) {
      ++i;
      continue;
    } else if (c == ':' && segment && text.substr(i).starts_with(": ")) {
      return i;
    } else {
      return 0;
    }
    segment = true;
  }
  return 0;
}

}  // namespace

ModelError model_error(std::string_view decode_error) {
  const std::size_t n = path_length(decode_error);
  if (n == 0) return ModelError{"", std::string(decode_error)};
  return ModelError{std::string(decode_error.substr(0, n)), std::string(decode_error.substr(n + 2))};
}

ModelValidator model_validator(model::Registry registry) {
  auto shared = std::make_shared<const model::Registry>(std::move(registry));
  return [shared](std::string_view class_name, std::string_view data_json) -> std::optional<ModelError> {
    const auto result = shared->validate(class_name, data_json);
    if (result.ok()) return std::nullopt;
    return model_error(result.error());
  };
}

}  // namespace switchboard
