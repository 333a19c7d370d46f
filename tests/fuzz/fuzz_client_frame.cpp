// libFuzzer target for the server's envelope decoder, protocol::ClientFrameDecoder (built with
// -DSWITCHBOARD_FUZZ=ON and clang++; see tests/fuzz/CMakeLists.txt). Seeds: tests/fuzz/client_frame/.
//
// Every input must either fail with a non-empty message (and an id only in the allowed range), or decode to a
// frame that has the fields its type requires. A decoded frame is then written back as JSON and decoded again
// by a second decoder: that must give the same frame (so what the server forwards, channel names and the raw
// `message.data` text, is valid JSON that means the same thing).
//
// The decoders are reused across inputs, as an event loop reuses its own, so state left behind by one decode
// (scratch buffer, parser capacity) is exercised by the next.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "protocol/client_frame.hpp"
#include "protocol/json_writer.hpp"

namespace sp = switchboard::protocol;
using Type = sp::ClientFrame::Type;

namespace {

std::string_view type_name(Type t) {
  switch (t) {
    case Type::subscribe: return "subscribe";
    case Type::unsubscribe: return "unsubscribe";
    case Type::publish: return "publish";
    case Type::send: return "send";
    case Type::ping: return "ping";
  }
  std::abort();
}

bool has_channel(Type t) { return t == Type::subscribe || t == Type::unsubscribe || t == Type::publish; }
bool has_message(Type t) { return t == Type::publish || t == Type::send; }

std::string encode(const sp::ClientFrame& f) {
  std::string out = "{\"type\":";
  sp::append_json_string(out, type_name(f.type));
  if (f.id) {
    out += ",\"id\":";
    sp::append_uint(out, *f.id);
  }
  if (has_channel(f.type)) {
    out += ",\"channel\":";
    sp::append_json_string(out, f.channel);
  }
  if (has_message(f.type)) {
    out += ",\"message\":{\"className\":";
    sp::append_json_string(out, f.class_name);
    out += ",\"data\":";
    out += f.data;
    out += '}';
  }
  out += '}';
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static sp::ClientFrameDecoder decoder;
  static sp::ClientFrameDecoder again;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const auto result = decoder.decode(text);
  if (const auto* err = std::get_if<sp::DecodeError>(&result)) {
    if (err->message.empty()) std::abort();
    if (err->id && *err->id > sp::max_request_id) std::abort();
    return 0;
  }
  const auto& frame = std::get<sp::ClientFrame>(result);
  if (frame.id && *frame.id > sp::max_request_id) std::abort();
  if (has_channel(frame.type) && !frame.id) std::abort();  // subscribe, unsubscribe, publish need an id
  if (has_message(frame.type) && (frame.class_name.empty() || frame.data.empty())) std::abort();
  if (!has_channel(frame.type) && !frame.channel.empty()) std::abort();
  if (!has_message(frame.type) && (!frame.class_name.empty() || !frame.data.empty())) std::abort();

  const std::string encoded = encode(frame);
  const auto second = again.decode(encoded);
  const auto* frame2 = std::get_if<sp::ClientFrame>(&second);
  if (frame2 == nullptr) std::abort();
  if (frame2->type != frame.type || frame2->id != frame.id || frame2->channel != frame.channel ||
      frame2->class_name != frame.class_name || frame2->data != frame.data) {
    std::abort();
  }
  return 0;
}
