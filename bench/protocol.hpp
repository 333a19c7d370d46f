#pragma once

// Protocol adapters: what loadgen says and reads on top of WebSocket for each server it measures
// (--protocol switchboard|socketio|nats). The epoll loop, framing, counters and reports are shared
// (engine.cpp); only this file knows the servers' languages:
//
// - switchboard: Switchboard's JSON subset (docs/protocol.md), also spoken by the `ws` and `uws` peers.
// - socketio: Engine.IO v4 / Socket.IO v5 text frames: `42<id>["subscribe",..]` and `42<id>["publish",{..}]`
//   events acknowledged by `43<id>[..]`, broadcasts as `42["message",{channel,seq,message}]`.
// - nats: the NATS text protocol over binary WebSocket frames. NATS numbers nothing, so the publisher puts its
//   own per-channel number in the payload as the seq, and sends `PING` after every `PUB`: each `PONG` is one
//   publish's ack (NATS answers PINGs in order, after what came before).
//
// Plain functions over byte ranges, a switch on the protocol per frame (never per byte), no allocation per
// message: the publish is written into a caller's buffer sized once (publish_capacity).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bench {

enum class Protocol : std::uint8_t { switchboard, socketio, nats };

std::optional<Protocol> parse_protocol(std::string_view name);
const char* protocol_name(Protocol p);
// The upgrade request's target when --path is not given.
const char* default_path(Protocol p);
// The opcode of the frames loadgen sends (nats: binary, like its server; the others: text).
std::uint8_t client_opcode(Protocol p);

// A channel as one protocol names it on the wire (nats: the subject, ':' replaced by '.').
std::string wire_channel_name(Protocol p, std::string_view channel);

// What one received protocol message means to loadgen.
enum class EventKind : std::uint8_t {
  none,     // nothing for the scenario (pings answered, INFO, +OK, pong, push, ...)
  open,     // the protocol's opening exchange is complete (welcome, `40{..}`, the first PONG)
  ack,      // a subscribe or publish was acknowledged (seq: the server's seq when it says, else 0)
  message,  // a broadcast: channel (wire name), seq, sent_ns (0 when the payload holds no time)
  gap,      // Switchboard's `gap` frame (drop policy)
  error,    // an error or unexpected frame: text says what
};

struct Event {
  EventKind kind = EventKind::none;
  std::string_view channel;
  std::uint64_t seq = 0;
  std::uint64_t sent_ns = 0;
  std::string_view text;  // the frame (or protocol message), for error reports
};

// Per-connection protocol state.
struct ProtoState {
  bool opened = false;
  // nats only: NATS is a byte stream split into frames anywhere; an unfinished protocol message waits here.
  std::string stream;
};

// Receives what `classify` finds: on_event once per protocol message, reply(bytes) for protocol-level answers
// the connection must send (socket.io `3` to a ping, `40` to the open packet; nats CONNECT, PONG).
template <class Sink>
concept EventSink = requires(Sink s, const Event& e, std::string_view bytes) {
  s.on_event(e);
  s.reply(bytes);
};

// One protocol message (switchboard, socketio: a whole frame) -> event; replies go to `reply`.
Event classify_switchboard(std::string_view frame);
Event classify_socketio(std::string_view frame, ProtoState& st, std::string_view& reply);
// nats: the first complete protocol message in `in`. Returns the bytes it took (0: incomplete).
std::size_t classify_nats(std::string_view in, ProtoState& st, Event& ev, std::string_view& reply);

// Feeds one received frame's payload to the adapter.
template <EventSink Sink>
void classify(Protocol p, ProtoState& st, std::string_view frame, Sink& sink) {
  std::string_view reply;
  switch (p) {
    case Protocol::switchboard: sink.on_event(classify_switchboard(frame)); return;
    case Protocol::socketio: {
      const Event ev = classify_socketio(frame, st, reply);
      if (!reply.empty()) sink.reply(reply);
      if (ev.kind != EventKind::none) sink.on_event(ev);
      return;
    }
    case Protocol::nats: {
      // Without a carried remainder the frame is parsed in place; otherwise it is appended to the remainder.
      const bool carried = !st.stream.empty();
      if (carried) st.stream.append(frame);
      std::string_view in = carried ? std::string_view(st.stream) : frame;
      while (!in.empty()) {
        Event ev;
        reply = {};
        const std::size_t used = classify_nats(in, st, ev, reply);
        if (used == 0) break;
        if (!reply.empty()) sink.reply(reply);
        if (ev.kind != EventKind::none) sink.on_event(ev);
        if (ev.kind == EventKind::error) return;
        in.remove_prefix(used);
      }
      if (carried) st.stream.erase(0, st.stream.size() - in.size());
      else st.stream.assign(in);
      return;
    }
  }
}

// The bytes of a subscribe request (id: the request id; nats: the subscription id).
std::string subscribe_request(Protocol p, std::string_view wire_channel, std::uint64_t id);

// Bytes a publish needs at most beyond its payload, for buffers sized once.
inline constexpr std::size_t kPublishOverhead = 256;
std::size_t publish_capacity(std::string_view wire_channel, std::size_t payload);

// Writes one publish at out (capacity publish_capacity): request id `id`, and for nats the per-channel
// number `seq` in the payload; the payload is `payload` bytes holding sent_ns (write_payload). Returns its size.
std::size_t write_publish(Protocol p, char* out, std::string_view wire_channel, std::uint64_t id, std::uint64_t seq,
                          std::size_t payload, std::uint64_t sent_ns);

}  // namespace bench
