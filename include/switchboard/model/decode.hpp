#pragma once
// Decoding primitives for generated model code, on simdjson's On-Demand API. Only generated .cpp files and the
// Registry include this header.
//
// Every read_* function reads one value and returns true, or records an error in the DecodeContext and returns
// false. Callers on the way back up prepend their part of the path (field, index, key), so that a successful
// decode costs nothing for path tracking and a failed one reports e.g.
// "attachments[2].fileName: expected String, got number".

#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "switchboard/model/types.hpp"

namespace switchboard::model {

using JsonValue = simdjson::ondemand::value;
using JsonObject = simdjson::ondemand::object;
using JsonArray = simdjson::ondemand::array;

class DecodeContext {
 public:
  // Records "expected <expected>, got <what v is>". Always returns false.
  bool expected(std::string_view expected, JsonValue& v);
  // Records a free-form message for the current value. Always returns false.
  bool fail(std::string message);
  // Records a simdjson error (malformed JSON and the like). Always returns false.
  bool fail(simdjson::error_code error);

  // Path building, called while unwinding after a failure.
  void in_field(std::string_view name);   // ".name" (no dot at the root)
  void in_index(std::size_t index);       // "[3]"
  void in_key(std::string_view key);      // "{\"key\"}" (map keys)

  bool failed() const { return !message_.empty(); }
  // "path: message", or just "message" at the root.
  std::string error() const;

 private:
  std::string path_;
  std::string message_;
};

// The JSON type name of `v` as used in messages: "string", "number", "boolean", "null", "object", "array".
std::string_view json_type_name(JsonValue& v);

// True when `v` is JSON null (consumes it). False for anything else, without consuming it.
bool is_null(JsonValue& v);

bool get_object(JsonValue& v, DecodeContext& ctx, std::string_view expected, JsonObject& out);
bool get_array(JsonValue& v, DecodeContext& ctx, std::string_view expected, JsonArray& out);

bool read_bool(JsonValue v, DecodeContext& ctx, bool& out);
bool read_int(JsonValue v, DecodeContext& ctx, std::int64_t& out);
bool read_double(JsonValue v, DecodeContext& ctx, double& out);
bool read_string(JsonValue v, DecodeContext& ctx, std::string& out);
bool read_date_time(JsonValue v, DecodeContext& ctx, DateTime& out);
bool read_duration(JsonValue v, DecodeContext& ctx, Duration& out);
bool read_bytes(JsonValue v, DecodeContext& ctx, Bytes& out);
bool read_uuid(JsonValue v, DecodeContext& ctx, Uuid& out);
bool read_uri(JsonValue v, DecodeContext& ctx, Uri& out);
bool read_big_int(JsonValue v, DecodeContext& ctx, BigInt& out);
bool read_vector(JsonValue v, DecodeContext& ctx, Vector& out);
bool read_half_vector(JsonValue v, DecodeContext& ctx, HalfVector& out);
bool read_sparse_vector(JsonValue v, DecodeContext& ctx, SparseVector& out);
bool read_bit(JsonValue v, DecodeContext& ctx, Bit& out);

// Parses `json` (any std::string_view; it is copied into a padded buffer) and runs `read` on its root value,
// then checks that nothing but whitespace follows. Uses a parser per thread.
using RootReader = bool (*)(JsonValue v, DecodeContext& ctx, void* target);
DecodeResult decode_root(std::string_view json, RootReader read, void* target);

}  // namespace switchboard::model
