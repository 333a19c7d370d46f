#pragma once
// Server: a Switchboard streaming server embedded in a process.
//
// A Server runs `threads` event loops ("shards"); each connection is pinned to one of them for its whole
// life. Every public member function is safe to call from any thread, including from Application hooks,
// except where noted. Delivery calls (publish, send*) never block on the network: they hand the message to
// the owning event loops and return.

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "switchboard/application.hpp"
#include "switchboard/channel_rules.hpp"
#include "switchboard/error.hpp"
#include "switchboard/log.hpp"
#include "switchboard/message.hpp"
#include "switchboard/session.hpp"

namespace switchboard {

// What the authenticator sees of the HTTP upgrade request.
struct HandshakeRequest {
  std::string target;                          // e.g. "/ws?user=ada"
  std::string path;                            // e.g. "/ws"
  std::map<std::string, std::string> query;    // URL-decoded query parameters
  std::map<std::string, std::string> headers;  // lower-cased header names
  std::string remote;                          // "ip:port"
};

struct AuthResult {
  bool accepted = true;
  std::string user;           // The authenticated user id ("" = anonymous).
  unsigned http_status = 401; // Sent when !accepted.
  std::string reason;         // Body of the rejection.
};

// Runs on the connection's event loop during the handshake; must not block.
using Authenticator = std::function<AuthResult(const HandshakeRequest&)>;

// The default authenticator: the `user` query parameter is the user id (absent = anonymous). Rejects user
// ids longer than 128 bytes. A placeholder for real authentication, which replaces it through Options.
AuthResult query_parameter_authenticator(const HandshakeRequest&);

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "text/plain";
  std::string body;
};

// Completes an HTTP request; may be called once, from any thread.
using HttpResponder = std::function<void(HttpResponse)>;
using HttpHandler = std::function<void(const HandshakeRequest&, HttpResponder)>;

// What happens to a session whose outbound buffer is full (docs/protocol.md, "Backpressure").
enum class SlowConsumerPolicy {
  close,  // Close it with 4008 (the default): it must reconnect and catch up.
  drop,   // Drop channel messages and pushes for it until its buffer is half empty, then send it a "gap" frame
          // per channel naming the sequence numbers it missed (and one counting the dropped pushes).
};

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;                 // 0 picks a free port; see Server::port().
  std::string websocket_path = "/ws";
  std::string metrics_path = "/metrics";     // Prometheus text format (docs/protocol.md, "Metrics"); "" = off.
  unsigned threads = 0;                      // Event loops; 0 = one per core.
  std::chrono::milliseconds heartbeat{25000};  // Ping interval; silent peers are closed after 2x this.
  std::chrono::milliseconds handshake_timeout{10000};
  // stop(): how long sessions get to receive what is queued for them, the 1001 close and to answer it;
  // whoever is left after it is dropped.
  std::chrono::milliseconds shutdown_timeout{5000};
  std::size_t max_message_bytes = 64 * 1024;     // Largest inbound message; larger closes with 1009.
  std::size_t max_outbound_bytes = 1024 * 1024;  // Per-session send buffer; past it slow_consumer_policy.
  SlowConsumerPolicy slow_consumer_policy = SlowConsumerPolicy::close;
  // SO_SNDBUF of WebSocket connections; 0 leaves the kernel's autotuning (up to net.ipv4.tcp_wmem's maximum,
  // 4 MiB on Linux by default), which buffers that much more for a stalled client outside max_outbound_bytes.
  std::size_t socket_send_buffer = 0;
  // Limits (docs/protocol.md, "Limits"). 0 means no limit for each of them.
  std::size_t max_subscriptions = 1000;      // Channels per session; past it: error too_many_subscriptions.
  double publish_rate = 0;                   // publish + send requests per second per session (token bucket);
  double publish_burst = 0;                  // bucket size (0: max(1, publish_rate)); past it: rate_limited.
  std::size_t max_connections = 0;           // WebSocket sessions in all; past it the upgrade gets 503.
  std::size_t max_connections_per_ip = 0;    // WebSocket sessions per client address; past it 429.
  std::chrono::milliseconds idle_timeout{0}; // No request (any text frame) for this long: close 4002.
  // Browser handshakes (those with an Origin header) from an origin not listed here get 403. Entries are
  // compared case-insensitively with the whole header, e.g. "https://chat.example.com". Empty: any origin.
  std::vector<std::string> allowed_origins;
  Authenticator authenticator = query_parameter_authenticator;
  // Structured logs (docs/protocol.md, "Logs"): records at log_level and above go to log_sink.
  LogLevel log_level = LogLevel::info;
  LogSink log_sink = stderr_log_sink;
  // Typed channels: which channels exist, the model classes each carries, who may publish. Checked before
  // Application::may_subscribe / may_publish. The default declares nothing and allows every channel.
  ChannelRules channel_rules;
  // Checks a published message's data against its declared class. Unset: only class names are checked.
  ModelValidator validate_model;
};

struct PublishResult {
  // invalid_channel, undeclared_channel, class_not_allowed or invalid_message (Options::channel_rules), or
  // empty. A refused message is delivered to nobody and takes no sequence number.
  std::error_code error;
  std::uint64_t seq = 0;   // The channel's sequence number for this message; 0 when nobody is subscribed.
  std::size_t subscribers = 0;  // Subscribers the message was handed to.
};

struct SessionInfo {
  SessionId id = 0;
  std::string user;
  std::string remote;
  std::vector<std::string> channels;
  std::vector<std::string> groups;
};

struct ChannelInfo {
  std::string name;
  std::size_t subscribers = 0;
  std::uint64_t last_seq = 0;
};

// A consistent-per-loop picture of who is connected.
struct Snapshot {
  std::vector<SessionInfo> sessions;   // Ordered by id.
  std::vector<ChannelInfo> channels;   // Ordered by name.
  std::size_t subscriptions = 0;       // Sum of every session's channel count.
  std::size_t group_memberships = 0;
  std::uint64_t sessions_opened = 0;   // Since start.
  std::uint64_t sessions_closed = 0;
};

// Serializes a snapshot as the JSON served by the demo at GET /stats.
std::string to_json(const Snapshot&);

class Server {
 public:
  explicit Server(Options options, std::shared_ptr<Application> app = nullptr);
  ~Server();  // Calls stop().
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the event loops. Throws std::system_error when the address cannot be bound.
  void start();
  // The bound port (useful with port 0). Valid after start().
  std::uint16_t port() const noexcept;
  const Options& options() const noexcept;
  // Graceful shutdown: stops accepting, closes every session with 1001 (going away) after what is already
  // queued for it, waits up to Options::shutdown_timeout for the close handshakes, drops whoever is left,
  // then stops the loops and joins them. Returns the number of sessions dropped at the deadline. Idempotent.
  // Must not be called from an Application hook.
  std::size_t stop();

  // Answer GET `path` with `handler` (before start()). /healthz is built in.
  void route(std::string path, HttpHandler handler);

  // Broadcast to every subscriber of `channel`, in publish order, with the channel's next sequence number.
  // Serialized once, whatever the number of subscribers. The channel rules apply as to clients, except that
  // the server may publish to channels declared `publish: server`; Options::validate_model runs on the
  // calling thread.
  PublishResult publish(std::string_view channel, const Message& message);
  // Targeted pushes. Delivery is asynchronous; a session that disconnects meanwhile is skipped silently.
  // send() returns session_not_found when the id cannot belong to this server.
  std::error_code send(SessionId session, const Message& message);
  void send_to_user(std::string_view user, const Message& message);
  // Returns invalid_channel when the group name breaks the naming rules.
  std::error_code send_to_group(std::string_view group, const Message& message);
  std::error_code add_to_group(SessionId session, std::string_view group);
  std::error_code remove_from_group(SessionId session, std::string_view group);
  // Close one session (after what is already queued for it) with `code` and `reason`.
  std::error_code close(SessionId session, std::uint16_t code = close_code::normal, std::string_view reason = {});

  // Who is connected, gathered from every event loop. The callback runs on an event-loop thread.
  void snapshot(std::function<void(Snapshot)> done);
  // Blocking form. Never call it (nor wait on the future) from an Application hook or HTTP handler.
  std::future<Snapshot> snapshot();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchboard
