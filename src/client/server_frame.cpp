#include "client/server_frame.hpp"

#include "protocol/json_validate.hpp"

#include <simdjson.h>

#include <climits>
#include <string>
#include <utility>

namespace switchboard::client {
namespace {

namespace od = simdjson::ondemand;

// One known field as found in the frame: absent (!seen), present with a value, or present with a problem (wrong
// JSON type, bad value). A problem is reported only when the frame's type uses the field, so a field that a
// later protocol version gives another meaning does not break older clients.
template <class T>
struct Slot {
  bool seen = false;
  std::string problem;
  T value{};

  void set(T v) {
    seen = true;
    problem.clear();
    value = std::move(v);
  }
  void fail(std::string why) {
    seen = true;
    problem = std::move(why);
  }
};

// Every field any server frame has. Filled in one pass over the object, whatever the order of the keys.
struct Fields {
  Slot<std::string> type, session, server, channel, group, code;
  Slot<std::string> text;  // "message" when it is a string (error frames).
  Slot<Message> model;     // "message" when it is an object (message and push frames).
  Slot<std::uint64_t> id, seq, heartbeat_ms, max_message_bytes, from_seq, to_seq, pushes;
  Slot<std::int64_t> protocol;
};

std::string quoted(std::string_view name) {
  // Built by appends: `"\"" + std::string(name) + "\""` trips GCC 12's false -Wrestrict at -O3 (GCC bug 105651).
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('"');
  out.append(name);
  out.push_back('"');
  return out;
}

std::string json_error(simdjson::error_code e) { return std::string(simdjson::error_message(e)); }

// Records `why` in `error` and returns false, so that checks read `return fail(error, ...)`.
bool fail(std::string& error, std::string why) {
  error = std::move(why);
  return false;
}

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void read_string(od::value& v, std::string_view name, Slot<std::string>& slot) {
  std::string_view s;
  if (auto e = v.get_string().get(s)) {
    return slot.fail("field " + quoted(name) + " is not a string (" + json_error(e) + ")");
  }
  slot.set(std::string(s));
}

void read_uint(od::value& v, std::string_view name, Slot<std::uint64_t>& slot) {
  std::uint64_t n = 0;
  if (v.get_uint64().get(n)) return slot.fail("field " + quoted(name) + " is not an unsigned 64-bit integer");
  slot.set(n);
}

// True for errors after which the iterator cannot go on because the document's structure is broken, as
// opposed to a value of the wrong type or a malformed scalar, which the iterator can step over.
bool is_structural(simdjson::error_code e) {
  switch (e) {
    case simdjson::SUCCESS:
    case simdjson::INCORRECT_TYPE:
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
    case simdjson::STRING_ERROR:
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return false;
    default:
      return true;
  }
}

// Server frames nest little; model data may nest more than client input (which the server caps at 64).
constexpr std::size_t kMaxDepth = 1024;

// Validates `v` and copies its exact text into `out`, without the whitespace after it. `v` is inside an
// object, so a token (',' or '}') always follows it and marks its end.
simdjson::error_code read_raw(od::value& v, std::string& out) {
  // For a scalar, the token is the whole value (plus the whitespace after it); for an object or array it is
  // only the opening bracket, and the end is where the iterator stands once validate() consumed the value.
  const std::string_view token = v.raw_json_token();
  const char* begin = token.data();
  const char* end = begin + token.size();
  const bool scalar = token.empty() || (token[0] != '{' && token[0] != '[');
  if (auto e = protocol::validate_json(v, kMaxDepth)) return e;
  if (!scalar) {
    if (auto e = v.current_location().get(end)) return e;
  }
  while (end > begin && is_json_space(end[-1])) --end;
  out.assign(begin, end);
  return simdjson::SUCCESS;
}

// Reads a model message {"className": string, "data": any}; both are required, className non-empty. A
// problem with the message goes into `slot`; the return value is an error only if the JSON is broken.
simdjson::error_code read_model(od::value& v, Slot<Message>& slot) {
  od::object object;
  if (auto e = v.get_object().get(object)) {
    slot.fail("field \"message\" is not an object");
    return is_structural(e) ? e : simdjson::SUCCESS;
  }
  bool has_class = false, has_data = false;
  Message message;
  for (auto result : object) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(result).get(field)) return e;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (key == "className") {
      std::string_view s;
      if (auto e = field.value().get_string().get(s)) {
        slot.fail("field \"message.className\" is not a string");
        return is_structural(e) ? e : simdjson::SUCCESS;
      }
      if (s.empty()) {
        slot.fail("field \"message.className\" is empty");
        return simdjson::SUCCESS;
      }
      message.class_name = s;
      has_class = true;
    } else if (key == "data") {
      if (auto e = read_raw(field.value(), message.data)) {
        slot.fail("field \"message.data\" is not valid JSON: " + json_error(e));
        return is_structural(e) ? e : simdjson::SUCCESS;
      }
      has_data = true;
    }
  }
  if (!has_class) slot.fail("field \"message\" has no \"className\"");
  else if (!has_data) slot.fail("field \"message\" has no \"data\"");
  else slot.set(std::move(message));
  return simdjson::SUCCESS;
}

// Reads {"maxMessageBytes": N}; same contract as read_model.
simdjson::error_code read_limits(od::value& v, Slot<std::uint64_t>& max_message_bytes) {
  od::object object;
  if (auto e = v.get_object().get(object)) {
    max_message_bytes.fail("field \"limits\" is not an object");
    return is_structural(e) ? e : simdjson::SUCCESS;
  }
  for (auto result : object) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(result).get(field)) return e;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (key == "maxMessageBytes") read_uint(field.value(), "limits.maxMessageBytes", max_message_bytes);
  }
  return simdjson::SUCCESS;
}

// Files one field of the root object into its slot. Returns false only when the JSON itself is broken.
bool read_field(od::field& field, Fields& f, std::string& error) {
  std::string_view key;
  if (auto e = field.unescaped_key().get(key)) return fail(error, "bad JSON: " + json_error(e));
  od::value& v = field.value();
  simdjson::error_code structural = simdjson::SUCCESS;
  if (key == "type") read_string(v, key, f.type);
  else if (key == "session") read_string(v, key, f.session);
  else if (key == "server") read_string(v, key, f.server);
  else if (key == "channel") read_string(v, key, f.channel);
  else if (key == "group") read_string(v, key, f.group);
  else if (key == "code") read_string(v, key, f.code);
  else if (key == "id") read_uint(v, key, f.id);
  else if (key == "seq") read_uint(v, key, f.seq);
  else if (key == "heartbeatMs") read_uint(v, key, f.heartbeat_ms);
  else if (key == "fromSeq") read_uint(v, key, f.from_seq);
  else if (key == "toSeq") read_uint(v, key, f.to_seq);
  else if (key == "pushes") read_uint(v, key, f.pushes);
  else if (key == "limits") structural = read_limits(v, f.max_message_bytes);
  else if (key == "protocol") {
    std::int64_t n = 0;
    if (v.get_int64().get(n) || n < INT_MIN || n > INT_MAX) f.protocol.fail("field \"protocol\" is not an int");
    else f.protocol.set(n);
  } else if (key == "message") {
    // An error frame's message is a string; message and push frames carry a model message object.
    od::json_type type{};
    if (auto e = v.type().get(type)) return fail(error, "bad JSON: " + json_error(e));
    if (type == od::json_type::string) {
      read_string(v, key, f.text);
    } else if (type == od::json_type::object) {
      structural = read_model(v, f.model);
    } else {
      f.text.fail("field \"message\" is neither a string nor an object");
      f.model.fail("field \"message\" is neither a string nor an object");
    }
  }
  if (structural) return fail(error, "bad JSON: " + json_error(structural));
  return true;
}

// A field the frame's type requires: present and without problem.
template <class T>
bool need(const Slot<T>& slot, std::string_view type, std::string_view name, std::string& error) {
  if (!slot.seen) return fail(error, std::string(type) + " frame has no field " + quoted(name));
  if (!slot.problem.empty()) return fail(error, std::string(type) + " frame: " + slot.problem);
  return true;
}

// A field the frame's type may carry: absent, or present without problem.
template <class T>
bool allow(const Slot<T>& slot, std::string_view type, std::string& error) {
  if (slot.seen && !slot.problem.empty()) return fail(error, std::string(type) + " frame: " + slot.problem);
  return true;
}

template <class T>
std::optional<T> value_of(const Slot<T>& slot) {
  return slot.seen ? std::optional<T>(slot.value) : std::nullopt;
}

// A channel's range or a push count (server_frame.hpp), never both: with both, the client could only guess
// which one the server meant.
std::optional<ServerFrame> build_gap(Fields& f, std::string& error) {
  if (f.channel.seen == f.pushes.seen) {
    error = "gap frame must have either \"channel\" (with \"fromSeq\" and \"toSeq\") or \"pushes\"";
    return std::nullopt;
  }
  if (f.pushes.seen) {
    if (!need(f.pushes, "gap", "pushes", error)) return std::nullopt;
    if (f.pushes.value == 0) {
      error = "gap frame: field \"pushes\" is 0";
      return std::nullopt;
    }
    return Gap{{}, 0, 0, f.pushes.value};
  }
  if (!need(f.channel, "gap", "channel", error) || !need(f.from_seq, "gap", "fromSeq", error) ||
      !need(f.to_seq, "gap", "toSeq", error)) {
    return std::nullopt;
  }
  if (f.channel.value.empty()) {
    error = "gap frame: field \"channel\" is empty";
    return std::nullopt;
  }
  if (f.from_seq.value == 0 || f.from_seq.value > f.to_seq.value) {
    error = "gap frame: \"fromSeq\" " + std::to_string(f.from_seq.value) + " and \"toSeq\" " +
            std::to_string(f.to_seq.value) + " are not a range 1 <= fromSeq <= toSeq";
    return std::nullopt;
  }
  return Gap{std::move(f.channel.value), f.from_seq.value, f.to_seq.value, 0};
}

std::optional<ServerFrame> build(Fields& f, std::string& error) {
  if (!need(f.type, "server", "type", error)) return std::nullopt;
  const std::string_view type = f.type.value;
  if (type == "welcome") {
    if (!need(f.session, type, "session", error) || !need(f.protocol, type, "protocol", error) ||
        !need(f.server, type, "server", error) || !need(f.heartbeat_ms, type, "heartbeatMs", error) ||
        !need(f.max_message_bytes, type, "limits.maxMessageBytes", error)) {
      return std::nullopt;
    }
    Welcome w;
    w.session = std::move(f.session.value);
    w.protocol = static_cast<int>(f.protocol.value);
    w.server = std::move(f.server.value);
    w.heartbeat = std::chrono::milliseconds(f.heartbeat_ms.value);
    w.max_message_bytes = static_cast<std::size_t>(f.max_message_bytes.value);
    return w;
  }
  if (type == "ack") {
    if (!need(f.id, type, "id", error) || !allow(f.seq, type, error)) return std::nullopt;
    return AckFrame{f.id.value, f.seq.seen ? f.seq.value : 0};
  }
  if (type == "error") {
    if (!allow(f.id, type, error) || !need(f.code, type, "code", error) || !need(f.text, type, "message", error)) {
      return std::nullopt;
    }
    return ErrorFrame{value_of(f.id), std::move(f.code.value), std::move(f.text.value)};
  }
  if (type == "message") {
    if (!need(f.channel, type, "channel", error) || !need(f.seq, type, "seq", error) ||
        !need(f.model, type, "message", error)) {
      return std::nullopt;
    }
    return ChannelMessage{std::move(f.channel.value), f.seq.value, std::move(f.model.value)};
  }
  if (type == "push") {
    if (!need(f.model, type, "message", error) || !allow(f.group, type, error)) return std::nullopt;
    return Push{std::move(f.model.value), std::move(f.group.value)};
  }
  if (type == "pong") {
    if (!allow(f.id, type, error)) return std::nullopt;
    return PongFrame{value_of(f.id)};
  }
  if (type == "gap") return build_gap(f, error);
  error = "unknown frame type " + quoted(type);
  return std::nullopt;
}

}  // namespace

struct ServerFrameDecoder::State {
  od::parser parser;
  std::string input;  // The frame plus SIMDJSON_PADDING zero bytes, which simdjson may read past the end.
};

ServerFrameDecoder::ServerFrameDecoder() : state_(std::make_unique<State>()) {}
ServerFrameDecoder::~ServerFrameDecoder() = default;

std::optional<ServerFrame> ServerFrameDecoder::decode(std::string_view text, std::string& error) {
  State& s = *state_;
  s.input.assign(text);
  s.input.append(simdjson::SIMDJSON_PADDING, '\0');

  od::document doc;
  if (auto e = s.parser.iterate(s.input.data(), text.size(), s.input.size()).get(doc)) {
    error = "bad JSON: " + json_error(e);
    return std::nullopt;
  }
  od::object root;
  if (auto e = doc.get_object().get(root)) {
    error = e == simdjson::INCORRECT_TYPE ? "frame is not a JSON object" : "bad JSON: " + json_error(e);
    return std::nullopt;
  }
  Fields fields;
  for (auto result : root) {
    od::field field;
    if (auto e = std::move(result).get(field)) {
      error = "bad JSON: " + json_error(e);
      return std::nullopt;
    }
    if (!read_field(field, fields, error)) return std::nullopt;
  }
  // The root object has been read to its closing brace; any token after it is trailing garbage.
  if (!doc.current_location().error()) {
    error = "bad JSON: trailing content after the object";
    return std::nullopt;
  }
  return build(fields, error);
}

}  // namespace switchboard::client
