#include "switchboard/model/decode.hpp"

#include <charconv>
#include <cmath>

namespace switchboard::model {

using simdjson::ondemand::json_type;

std::string_view json_type_name(JsonValue& v) {
  json_type t;
  if (v.type().get(t)) return "invalid JSON";
  switch (t) {
    case json_type::array: return "array";
    case json_type::object: return "object";
    case json_type::number: return "number";
    case json_type::string: return "string";
    case json_type::boolean: return "boolean";
    case json_type::null: return "null";
  }
  return "invalid JSON";
}

bool DecodeContext::expected(std::string_view expected, JsonValue& v) {
  message_ = "expected ";
  message_.append(expected);
  message_.append(", got ");
  message_.append(json_type_name(v));
  return false;
}

bool DecodeContext::fail(std::string message) {
  message_ = std::move(message);
  return false;
}

bool DecodeContext::fail(simdjson::error_code error) {
  message_ = "invalid JSON (";
  message_.append(simdjson::error_message(error));
  message_.push_back(')');
  return false;
}

void DecodeContext::in_field(std::string_view name) {
  std::string prefix(name);
  if (!path_.empty() && path_.front() != '[' && path_.front() != '{') prefix.push_back('.');
  path_.insert(0, prefix);
}

void DecodeContext::in_index(std::size_t index) {
  std::string prefix = "[" + std::to_string(index) + "]";
  if (!path_.empty() && path_.front() != '[' && path_.front() != '{') prefix.push_back('.');
  path_.insert(0, prefix);
}

void DecodeContext::in_key(std::string_view key) {
  std::string prefix = "{\"";
  prefix.append(key);
  prefix.append("\"}");
  if (!path_.empty() && path_.front() != '[' && path_.front() != '{') prefix.push_back('.');
  path_.insert(0, prefix);
}

std::string DecodeContext::error() const { return path_.empty() ? message_ : path_ + ": " + message_; }

bool is_null(JsonValue& v) {
  json_type t;
  if (v.type().get(t) || t != json_type::null) return false;
  bool null = false;
  return !v.is_null().get(null) && null;
}

namespace {

bool check_type(JsonValue& v, DecodeContext& ctx, json_type want, std::string_view expected) {
  json_type t;
  if (auto e = v.type().get(t)) return ctx.fail(e);
  if (t != want) return ctx.expected(expected, v);
  return true;
}

bool read_text(JsonValue& v, DecodeContext& ctx, std::string_view expected, std::string_view& out) {
  if (!check_type(v, ctx, json_type::string, expected)) return false;
  if (auto e = v.get_string().get(out)) return ctx.fail(e);
  return true;
}

bool read_floats(JsonValue v, DecodeContext& ctx, std::string_view expected, std::vector<float>& out) {
  out.clear();
  JsonArray a;
  if (!get_array(v, ctx, expected, a)) return false;
  std::size_t i = 0;
  for (auto element : a) {
    JsonValue item;
    double d = 0;
    if (auto e = std::move(element).get(item)) return ctx.fail(e);
    if (!read_double(item, ctx, d)) {
      ctx.in_index(i);
      return false;
    }
    out.push_back(static_cast<float>(d));
    ++i;
  }
  return true;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;  // Dart's decoder takes both the base64 and base64url alphabets.
  if (c == '/' || c == '_') return 63;
  return -1;
}

bool base64_decode(std::string_view s, Bytes& out) {
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  if (s.size() % 4 == 1) return false;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : s) {
    const int v = base64_value(c);
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::byte>((buffer >> bits) & 0xFF));
    }
  }
  return true;
}

}  // namespace

bool get_object(JsonValue& v, DecodeContext& ctx, std::string_view expected, JsonObject& out) {
  if (!check_type(v, ctx, json_type::object, expected)) return false;
  if (auto e = v.get_object().get(out)) return ctx.fail(e);
  return true;
}

bool get_array(JsonValue& v, DecodeContext& ctx, std::string_view expected, JsonArray& out) {
  if (!check_type(v, ctx, json_type::array, expected)) return false;
  if (auto e = v.get_array().get(out)) return ctx.fail(e);
  return true;
}

bool read_bool(JsonValue v, DecodeContext& ctx, bool& out) {
  if (!check_type(v, ctx, json_type::boolean, "bool")) return false;
  if (auto e = v.get_bool().get(out)) return ctx.fail(e);
  return true;
}

bool read_int(JsonValue v, DecodeContext& ctx, std::int64_t& out) {
  if (!check_type(v, ctx, json_type::number, "int")) return false;
  const std::string_view token = v.raw_json_token();
  if (auto e = v.get_int64().get(out)) {
    if (token.find_first_of(".eE") != std::string_view::npos) {
      return ctx.fail("expected int, got number with a fraction or exponent");
    }
    if (e == simdjson::NUMBER_OUT_OF_RANGE || e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_ERROR) {
      return ctx.fail("expected int, got number out of the 64-bit range");
    }
    return ctx.fail(e);
  }
  return true;
}

bool read_double(JsonValue v, DecodeContext& ctx, double& out) {
  if (!check_type(v, ctx, json_type::number, "double")) return false;
  if (auto e = v.get_double().get(out)) {
    if (e == simdjson::NUMBER_ERROR) return ctx.fail("expected double, got number out of range");
    return ctx.fail(e);
  }
  if (!std::isfinite(out)) return ctx.fail("expected double, got number out of range");
  return true;
}

bool read_string(JsonValue v, DecodeContext& ctx, std::string& out) {
  std::string_view s;
  if (!read_text(v, ctx, "String", s)) return false;
  out.assign(s);
  return true;
}

bool read_date_time(JsonValue v, DecodeContext& ctx, DateTime& out) {
  std::string_view s;
  if (!read_text(v, ctx, "DateTime", s)) return false;
  const auto t = parse_date_time(s);
  if (!t) return ctx.fail("expected DateTime, got string that is not an ISO-8601 date and time");
  out = *t;
  return true;
}

bool read_duration(JsonValue v, DecodeContext& ctx, Duration& out) {
  std::int64_t ms = 0;
  if (!check_type(v, ctx, json_type::number, "Duration")) return false;
  if (!read_int(v, ctx, ms)) return ctx.fail("expected Duration, got number that is not an integer in range");
  out = Duration{ms};
  return true;
}

bool read_bytes(JsonValue v, DecodeContext& ctx, Bytes& out) {
  static constexpr std::string_view prefix = "decode('";
  static constexpr std::string_view suffix = "', 'base64')";
  std::string_view s;
  if (!read_text(v, ctx, "ByteData", s)) return false;
  out.clear();
  if (s.size() < prefix.size() + suffix.size() || !s.starts_with(prefix) || !s.ends_with(suffix) ||
      !base64_decode(s.substr(prefix.size(), s.size() - prefix.size() - suffix.size()), out)) {
    return ctx.fail("expected ByteData, got string that is not decode('<base64>', 'base64')");
  }
  return true;
}

bool read_uuid(JsonValue v, DecodeContext& ctx, Uuid& out) {
  std::string_view s;
  if (!read_text(v, ctx, "UuidValue", s)) return false;
  const auto u = Uuid::parse(s);
  if (!u) return ctx.fail("expected UuidValue, got string that is not a UUID");
  out = *u;
  return true;
}

bool read_uri(JsonValue v, DecodeContext& ctx, Uri& out) {
  std::string_view s;
  if (!read_text(v, ctx, "Uri", s)) return false;
  out.text.assign(s);
  return true;
}

bool read_big_int(JsonValue v, DecodeContext& ctx, BigInt& out) {
  std::string_view s;
  if (!read_text(v, ctx, "BigInt", s)) return false;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return ctx.fail("expected BigInt, got string that is not a decimal integer");
  for (char c : s) {
    if (c < '0' || c > '9') return ctx.fail("expected BigInt, got string that is not a decimal integer");
  }
  while (s.size() > 1 && s[0] == '0') s.remove_prefix(1);
  out.decimal.clear();
  if (negative && s != "0") out.decimal.push_back('-');
  out.decimal.append(s);
  return true;
}

bool read_vector(JsonValue v, DecodeContext& ctx, Vector& out) { return read_floats(v, ctx, "Vector", out.values); }

bool read_half_vector(JsonValue v, DecodeContext& ctx, HalfVector& out) {
  return read_floats(v, ctx, "HalfVector", out.values);
}

bool read_sparse_vector(JsonValue v, DecodeContext& ctx, SparseVector& out) {
  std::string_view s;
  if (!read_text(v, ctx, "SparseVector", s)) return false;
  out = SparseVector{};
  auto bad = [&] { return ctx.fail("expected SparseVector, got string that is not {index:value,...}/dimensions"); };
  const auto close = s.find("}/");
  if (s.empty() || s[0] != '{' || close == std::string_view::npos) return bad();
  auto parse_int = [](std::string_view t, std::int64_t& n) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    return ec == std::errc{} && p == t.data() + t.size();
  };
  if (!parse_int(s.substr(close + 2), out.dimensions) || out.dimensions < 0) return bad();
  std::string_view body = s.substr(1, close - 1);
  while (!body.empty()) {
    const auto comma = body.find(',');
    const auto item = body.substr(0, comma);
    body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
    const auto colon = item.find(':');
    std::int64_t index = 0;
    double value = 0;
    if (colon == std::string_view::npos || !parse_int(item.substr(0, colon), index)) return bad();
    const auto number = item.substr(colon + 1);
    auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc{} || p != number.data() + number.size() || index < 1 || index > out.dimensions ||
        (!out.indices.empty() && index - 1 <= out.indices.back())) {
      return bad();
    }
    if (value == 0) continue;
    out.indices.push_back(index - 1);
    out.values.push_back(static_cast<float>(value));
  }
  return true;
}

bool read_bit(JsonValue v, DecodeContext& ctx, Bit& out) {
  std::string_view s;
  if (!read_text(v, ctx, "Bit", s)) return false;
  out.bits.clear();
  for (char c : s) {
    if (c != '0' && c != '1') return ctx.fail("expected Bit, got string of other characters than 0 and 1");
    out.bits.push_back(c == '1');
  }
  return true;
}

DecodeResult decode_root(std::string_view json, RootReader read, void* target) {
  // simdjson's On-Demand API reads a scalar document only through the document itself; wrapping the text in
  // an array gives every root (an enum's "red" as much as a class's object) the same JsonValue path.
  thread_local simdjson::ondemand::parser parser;
  std::string wrapped;
  wrapped.reserve(json.size() + 2 + simdjson::SIMDJSON_PADDING);
  wrapped.push_back('[');
  wrapped.append(json);
  wrapped.push_back('\n');  // A trailing line comment or open token cannot swallow the closing bracket.
  wrapped.push_back(']');
  DecodeContext ctx;
  auto fail = [&](simdjson::error_code e) {
    ctx.fail(e);
    return DecodeResult::failure(ctx.error());
  };
  const simdjson::padded_string padded(wrapped);
  simdjson::ondemand::document doc;
  if (auto e = parser.iterate(padded).get(doc)) return fail(e);
  JsonArray array;
  if (auto e = doc.get_array().get(array)) return fail(e);
  std::size_t count = 0;
  for (auto element : array) {
    JsonValue v;
    if (auto e = std::move(element).get(v)) {
      return count ? DecodeResult::failure("invalid JSON (trailing content after the value)") : fail(e);
    }
    if (count++ > 0) return DecodeResult::failure("invalid JSON (trailing content after the value)");
    if (!read(v, ctx, target)) return DecodeResult::failure(ctx.error());
  }
  if (count == 0) return DecodeResult::failure("invalid JSON (empty)");
  if (!doc.current_location().error()) return DecodeResult::failure("invalid JSON (trailing content after the value)");
  return {};
}

}  // namespace switchboard::model
