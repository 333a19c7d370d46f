#include "protocol/json_validate.hpp"

namespace switchboard::protocol {

namespace od = simdjson::ondemand;

namespace {

template <class Json>  // od::value or od::document
simdjson::error_code validate_any(Json& v, std::size_t depth, std::size_t max_depth) {
  if (depth > max_depth) return simdjson::DEPTH_ERROR;
  od::json_type type;
  if (auto e = v.type().get(type)) return e;
  switch (type) {
    case od::json_type::object: {
      od::object obj;
      if (auto e = v.get_object().get(obj)) return e;
      for (auto field : obj) {
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return e;
        od::value child;
        if (auto e = field.value().get(child)) return e;
        if (auto e = validate_any(child, depth + 1, max_depth)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array arr;
      if (auto e = v.get_array().get(arr)) return e;
      for (auto element : arr) {
        od::value child;
        if (auto e = element.get(child)) return e;
        if (auto e = validate_any(child, depth + 1, max_depth)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      // get_double() accepts every JSON number within double range and consumes the token.
      double n;
      return v.get_double().get(n);
    }
    case od::json_type::string: {
      std::string_view s;
      return v.get_string().get(s);
    }
    case od::json_type::boolean: {
      bool b;
      return v.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = v.is_null().get(is_null)) return e;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

}  // namespace

simdjson::error_code validate_json(od::value& v, std::size_t max_depth) { return validate_any(v, 1, max_depth); }

simdjson::error_code validate_json(od::document& doc, std::size_t max_depth) {
  return validate_any(doc, 1, max_depth);
}

}  // namespace switchboard::protocol
