#include "protocol.hpp"

#include <cstring>

#include "ws.hpp"

namespace bench {

namespace {

// The demo's ChatMessage around the payload: the same message object in every protocol, so that every server
// carries (and, where it parses, parses) the same bytes.
constexpr std::string_view kMessageHead = R"("message":{"className":"ChatMessage","data":{"sender":"bench","text":")";
constexpr std::string_view kMessageTail = R"("}})";

Event simple(EventKind kind, std::string_view text, std::uint64_t seq = 0) {
  Event ev;
  ev.kind = kind;
  ev.seq = seq;
  ev.text = text;
  return ev;
}

char* put(char* out, std::string_view s) {
  std::memcpy(out, s.data(), s.size());
  return out + s.size();
}

std::size_t digits(std::uint64_t v) {
  std::size_t n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

// Reads channel, seq and send time from a broadcast's JSON (Switchboard's and socket.io's message objects both
// hold `"channel":"..."` before `"seq":N`, and the payload in `"text":"t<ns>..."`).
Event message_event(std::string_view text) {
  constexpr std::string_view kChannel = "\"channel\":\"";
  Event ev = simple(EventKind::message, text);
  const auto ch = text.find(kChannel);
  if (ch == std::string_view::npos) return simple(EventKind::error, text);
  const std::size_t from = ch + kChannel.size();
  const auto end = text.find('"', from);
  if (end == std::string_view::npos) return simple(EventKind::error, text);
  ev.channel = text.substr(from, end - from);
  ev.seq = find_uint(text.substr(end), "\"seq\":");
  ev.sent_ns = find_uint(text, kPayloadKey, 0);
  return ev;
}

}  // namespace

std::optional<Protocol> parse_protocol(std::string_view name) {
  if (name == "switchboard") return Protocol::switchboard;
  if (name == "socketio") return Protocol::socketio;
  if (name == "nats") return Protocol::nats;
  return std::nullopt;
}

const char* protocol_name(Protocol p) {
  switch (p) {
    case Protocol::switchboard: return "switchboard";
    case Protocol::socketio: return "socketio";
    case Protocol::nats: return "nats";
  }
  return "?";
}

const char* default_path(Protocol p) {
  switch (p) {
    case Protocol::switchboard: return "/ws";
    case Protocol::socketio: return "/socket.io/?EIO=4&transport=websocket";
    case Protocol::nats: return "/";
  }
  return "/";
}

std::uint8_t client_opcode(Protocol p) { return p == Protocol::nats ? kBinary : kText; }

std::string wire_channel_name(Protocol p, std::string_view channel) {
  std::string out(channel);
  if (p == Protocol::nats)
    for (char& ch : out)
      if (ch == ':') ch = '.';
  return out;
}

Event classify_switchboard(std::string_view frame) {
  // Switchboard writes `type` first; the byte after `{"type":"` tells the frame types apart.
  constexpr std::string_view kType = "{\"type\":\"";
  if (!frame.starts_with(kType) || frame.size() <= kType.size()) return simple(EventKind::error, frame);
  switch (frame[kType.size()]) {
    case 'm': return message_event(frame);
    case 'a': return simple(EventKind::ack, frame, find_uint(frame, "\"seq\":"));
    case 'g': return simple(EventKind::gap, frame);
    case 'w': return simple(EventKind::open, frame);  // welcome
    case 'p': return simple(EventKind::none, frame);  // pong, push: no scenario asks for them
    default: return simple(EventKind::error, frame);
  }
}

Event classify_socketio(std::string_view frame, ProtoState& st, std::string_view& reply) {
  // Engine.IO packet type, then (for `4`, a Socket.IO packet) the Socket.IO packet type.
  if (frame.starts_with("42[\"message\",")) return message_event(frame);
  if (frame.starts_with("43")) return simple(EventKind::ack, frame, find_uint(frame, "\"seq\":"));
  if (frame == "2") {
    reply = "3";
    return {};
  }
  if (frame.starts_with("0{")) {
    reply = "40";  // connect to the main namespace
    return {};
  }
  if (frame.starts_with("40")) {
    st.opened = true;
    return simple(EventKind::open, frame);
  }
  if (frame == "3" || frame == "6") return {};
  return simple(EventKind::error, frame);  // 1 (close), 41 (disconnect), 44 (connect error), ...
}

std::size_t classify_nats(std::string_view in, ProtoState& st, Event& ev, std::string_view& reply) {
  const auto eol = in.find("\r\n");
  if (eol == std::string_view::npos) return 0;
  const std::string_view line = in.substr(0, eol);
  std::size_t used = eol + 2;
  if (line.starts_with("MSG ")) {
    // MSG <subject> <sid> [reply-to] <#bytes>\r\n<payload>\r\n
    const auto subject_end = line.find(' ', 4);
    const auto last_space = line.rfind(' ');
    if (subject_end == std::string_view::npos || last_space <= subject_end) {
      ev = simple(EventKind::error, line);
      return used;
    }
    std::size_t bytes = 0;
    for (std::size_t i = last_space + 1; i < line.size(); ++i)
      bytes = bytes * 10 + static_cast<std::size_t>(line[i] - '0');
    if (in.size() < used + bytes + 2) return 0;
    const std::string_view payload = in.substr(used, bytes);
    ev = simple(EventKind::message, payload, find_uint(payload, "\"seq\":"));
    ev.channel = line.substr(4, subject_end - 4);
    ev.sent_ns = find_uint(payload, kPayloadKey, 0);
    return used + bytes + 2;
  }
  if (line == "PONG") {
    if (!st.opened) {
      st.opened = true;
      ev = simple(EventKind::open, line);
    } else {
      ev = simple(EventKind::ack, line);
    }
  } else if (line == "PING") {
    reply = "PONG\r\n";
  } else if (line.starts_with("INFO ")) {
    reply = "CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1}\r\nPING\r\n";
  } else if (line == "+OK") {
  } else {
    ev = simple(EventKind::error, line);  // -ERR '...', or something loadgen does not know
  }
  return used;
}

std::string subscribe_request(Protocol p, std::string_view wire_channel, std::uint64_t id) {
  const std::string ch(wire_channel), n = std::to_string(id);
  switch (p) {
    case Protocol::switchboard: return "{\"type\":\"subscribe\",\"id\":" + n + ",\"channel\":\"" + ch + "\"}";
    case Protocol::socketio: return "42" + n + "[\"subscribe\",\"" + ch + "\"]";
    case Protocol::nats: return "SUB " + ch + " " + n + "\r\nPING\r\n";
  }
  return {};
}

std::size_t publish_capacity(std::string_view wire_channel, std::size_t payload) {
  return kPublishOverhead + wire_channel.size() + payload;
}

namespace {
// `"channel":"<wire_channel>",` and the message with its payload written in place: the body of both JSON
// publishes.
char* put_channel_and_message(char* at, std::string_view wire_channel, std::size_t payload, std::uint64_t sent_ns) {
  at = put(at, "\"channel\":\"");
  at = put(at, wire_channel);
  at = put(at, "\",");
  at = put(at, kMessageHead);
  write_payload(at, payload, sent_ns);
  return put(at + payload, kMessageTail);
}
}  // namespace

std::size_t write_publish(Protocol p, char* out, std::string_view wire_channel, std::uint64_t id, std::uint64_t seq,
                          std::size_t payload, std::uint64_t sent_ns) {
  char* at = out;
  switch (p) {
    case Protocol::switchboard:
      at = put(at, "{\"type\":\"publish\",\"id\":");
      at += write_uint(at, id);
      at = put(put_channel_and_message(put(at, ","), wire_channel, payload, sent_ns), "}");
      break;
    case Protocol::socketio:
      at = put(at, "42");
      at += write_uint(at, id);
      at = put(put_channel_and_message(put(at, "[\"publish\",{"), wire_channel, payload, sent_ns), "}]");
      break;
    case Protocol::nats: {
      // PUB <subject> <#bytes>\r\n{"seq":N,"message":{...}}\r\nPING\r\n
      const std::size_t body = 7 + digits(seq) + 1 + kMessageHead.size() + payload + kMessageTail.size() + 1;
      at = put(at, "PUB ");
      at = put(at, wire_channel);
      at = put(at, " ");
      at += write_uint(at, body);
      at = put(at, "\r\n{\"seq\":");
      at += write_uint(at, seq);
      at = put(at, ",");
      at = put(at, kMessageHead);
      write_payload(at, payload, sent_ns);
      at = put(at + payload, kMessageTail);
      at = put(at, "}\r\nPING\r\n");
      break;
    }
  }
  return static_cast<std::size_t>(at - out);
}

}  // namespace bench
