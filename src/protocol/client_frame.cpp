#include "protocol/client_frame.hpp"

#include "protocol/json_validate.hpp"

#include <simdjson.h>

#include <cstring>

namespace switchboard::protocol {

namespace od = simdjson::ondemand;

namespace {

std::string json_error(simdjson::error_code e) {
  return std::string("frame is not valid JSON: ") + simdjson::error_message(e);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// The raw text of an already validated value.
simdjson::error_code raw_text(od::value v, std::string_view& out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return e;
  if (type == od::json_type::object) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return e;
    auto e = obj.raw_json().get(out);
    out = trim(out);
    return e;
  }
  if (type == od::json_type::array) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return e;
    auto e = arr.raw_json().get(out);
    out = trim(out);
    return e;
  }
  out = trim(v.raw_json_token());
  return simdjson::SUCCESS;
}

std::optional<ClientFrame::Type> parse_type(std::string_view t) {
  using T = ClientFrame::Type;
  if (t == "subscribe") return T::subscribe;
  if (t == "unsubscribe") return T::unsubscribe;
  if (t == "publish") return T::publish;
  if (t == "send") return T::send;
  if (t == "ping") return T::ping;
  return std::nullopt;
}

// Fields as found, before the per-type checks. A field of the wrong type is remembered, not reported at once,
// so that the error can carry the request id wherever "id" appears in the object.
struct Fields {
  std::optional<DecodeError> type_error, id_error, channel_error, message_error;
  std::optional<std::string_view> type;
  std::optional<std::uint64_t> id;
  std::optional<std::string_view> channel;
  bool has_message = false;
  std::optional<std::string_view> class_name;
  std::optional<std::string_view> data;
};

// Reads a field's value as a string, or says why it is not one.
std::optional<DecodeError> read_string(od::value v, std::string_view name, std::string_view& out) {
  if (v.get_string().get(out)) return DecodeError{error::bad_field, std::string(name) + " must be a string", {}};
  return std::nullopt;
}

std::optional<DecodeError> read_message(od::value v, Fields& f) {
  od::object obj;
  if (v.get_object().get(obj)) {
    return DecodeError{error::bad_field, "message must be an object {\"className\": string, \"data\": any}", {}};
  }
  f.has_message = true;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return DecodeError{error::bad_json, "bad key in message", {}};
    od::value fv;
    if (field.value().get(fv)) return DecodeError{error::bad_json, "bad value in message", {}};
    if (key == "className") {
      std::string_view s;
      if (auto err = read_string(fv, "message.className", s)) return err;
      f.class_name = s;
    } else if (key == "data") {
      std::string_view raw;
      if (raw_text(fv, raw)) return DecodeError{error::bad_json, "bad value in message.data", {}};
      f.data = raw;
    }
  }
  return std::nullopt;
}

std::optional<DecodeError> read_fields(od::object obj, Fields& f) {
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return DecodeError{error::bad_json, "bad key", {}};
    od::value v;
    if (field.value().get(v)) return DecodeError{error::bad_json, "bad value", {}};
    if (key == "type") {
      std::string_view s;
      f.type_error = read_string(v, "type", s);
      if (!f.type_error) f.type = s;
    } else if (key == "id") {
      std::uint64_t id = 0;
      if (v.get_uint64().get(id) || id > max_request_id) {
        f.id_error = DecodeError{error::bad_field, "id must be an integer from 0 to 9007199254740991", {}};
      } else {
        f.id = id;
      }
    } else if (key == "channel") {
      std::string_view s;
      f.channel_error = read_string(v, "channel", s);
      if (!f.channel_error) f.channel = s;
    } else if (key == "message") {
      f.message_error = read_message(v, f);
    }
  }
  return std::nullopt;
}

// The request id of a frame that failed validation, when its top level still reads as an object with a valid
// `id`: then the bad_json error answers the request it belongs to (docs/protocol.md, "error"), e.g. a publish
// with a number past a double's range deep in its data. Values other than `id` are skipped unparsed.
std::optional<std::uint64_t> salvage_id(od::document& doc) {
  if (!doc.is_alive()) return std::nullopt;  // Some errors abandon the document: it cannot be rewound.
  doc.rewind();
  od::object obj;
  if (doc.get_object().get(obj)) return std::nullopt;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return std::nullopt;
    if (key != "id") continue;
    std::uint64_t id = 0;
    if (field.value().get_uint64().get(id) || id > max_request_id) return std::nullopt;
    return id;
  }
  return std::nullopt;
}

DecodeError missing(std::string_view field, const Fields& f) {
  return DecodeError{error::missing_field, "missing field \"" + std::string(field) + "\"", f.id};
}

DecodeError with_id(DecodeError e, const Fields& f) {
  e.id = f.id;
  return e;
}

DecodeResult check(const Fields& f) {
  if (f.type_error) return with_id(*f.type_error, f);
  if (!f.type) return missing("type", f);
  auto type = parse_type(*f.type);
  if (!type) {
    return DecodeError{error::unknown_type,
                       "unknown frame type \"" + std::string(*f.type) +
                           "\" (expected subscribe, unsubscribe, publish, send or ping)",
                       f.id};
  }
  using T = ClientFrame::Type;
  ClientFrame frame{*type, f.id, {}, {}, {}};
  const bool needs_id = *type == T::subscribe || *type == T::unsubscribe || *type == T::publish;
  const bool needs_channel = needs_id;
  const bool needs_message = *type == T::publish || *type == T::send;
  if (f.id_error) return *f.id_error;
  if (needs_id && !f.id) return missing("id", f);
  if (needs_channel) {
    if (f.channel_error) return with_id(*f.channel_error, f);
    if (!f.channel) return missing("channel", f);
    frame.channel = *f.channel;
  }
  if (needs_message) {
    if (f.message_error) return with_id(*f.message_error, f);
    if (!f.has_message) return missing("message", f);
    if (!f.class_name) return missing("message.className", f);
    if (f.class_name->empty()) return DecodeError{error::bad_field, "message.className must not be empty", f.id};
    if (!f.data) return missing("message.data", f);
    frame.class_name = *f.class_name;
    frame.data = *f.data;
  }
  return frame;
}

}  // namespace

struct ClientFrameDecoder::Impl {
  od::parser parser;
  std::string scratch;  // The frame plus SIMDJSON_PADDING bytes, as simdjson requires.
};

ClientFrameDecoder::ClientFrameDecoder() : impl_(std::make_unique<Impl>()) {}
ClientFrameDecoder::~ClientFrameDecoder() = default;

DecodeResult ClientFrameDecoder::decode(std::string_view text) {
  auto& scratch = impl_->scratch;
  scratch.resize(text.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(scratch.data(), text.data(), text.size());
  simdjson::padded_string_view input(scratch.data(), text.size(), scratch.size());

  od::document doc;
  if (auto e = impl_->parser.iterate(input).get(doc)) return DecodeError{error::bad_json, json_error(e), {}};

  // Pass 1: the whole frame must be valid JSON, whatever its shape.
  if (auto e = validate_json(doc, max_json_depth)) {
    if (e == simdjson::DEPTH_ERROR) {
      return DecodeError{error::bad_json, "frame is nested deeper than 64 levels", salvage_id(doc)};
    }
    return DecodeError{error::bad_json, json_error(e), salvage_id(doc)};
  }
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return DecodeError{error::bad_json, "frame has content after the JSON value", {}};

  // Pass 2: read the fields of the (now known valid) frame.
  doc.rewind();
  od::json_type type;
  if (doc.type().get(type) || type != od::json_type::object) {
    return DecodeError{error::not_object, "frame must be a JSON object with a \"type\" field", {}};
  }
  od::object obj;
  if (auto e = doc.get_object().get(obj)) return DecodeError{error::bad_json, json_error(e), {}};
  Fields fields;
  if (auto err = read_fields(obj, fields)) return with_id(*err, fields);
  return check(fields);
}

}  // namespace switchboard::protocol
