#pragma once
// Typed channels: which channels exist, which model classes each may carry, and who may publish to it
// (docs/protocol.md, "Typed channels"). Usually loaded from a channels.yaml with load_channel_rules() and
// handed to the Server through Options::channel_rules.
//
// A ChannelRules is plain data. Once the Server holds it, it is only read, so lookups are safe from any thread.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard {

// Who may publish to a channel. The server (Server::publish) may always publish to a declared channel.
enum class Publishers {
  clients,  // Clients (subject to Application::may_publish) and the server.
  server,   // The server only; a client's publish is refused with `forbidden`.
};

struct ChannelRule {
  // An exact channel name ("chat"), or a prefix followed by a single trailing '*' ("room:*") that matches
  // every channel starting with the prefix. "*" alone matches every channel.
  std::string pattern;
  // The model classes (Message::class_name) the channel carries. Empty: any class, data unchecked.
  std::vector<std::string> classes;
  Publishers publish = Publishers::clients;
};

class ChannelRules {
 public:
  // Declares nothing and allows undeclared channels: a server without rules accepts every channel, as it
  // did before typed channels existed. load_channel_rules() starts from allow_undeclared = false instead.
  ChannelRules() = default;

  // Declares a channel or pattern. Throws std::invalid_argument, with a sentence saying what is wrong, when
  // the pattern is not a valid channel name (docs/protocol.md, "Identifiers") optionally followed by one
  // trailing '*', when it was declared already, or when a class name is empty or listed twice.
  void add(ChannelRule rule);

  // Whether channels that no rule matches may be used (with no class or data checks).
  bool allow_undeclared() const noexcept { return allow_undeclared_; }
  void set_allow_undeclared(bool allow) noexcept { allow_undeclared_ = allow; }

  // The rule that governs `channel`, or nullptr when none matches. The most specific rule wins: an exact
  // name beats every pattern, and a longer prefix beats a shorter one ("room:vip:*" beats "room:*" beats
  // "*"). Declaration order does not matter. The pointer is valid until the next add().
  const ChannelRule* lookup(std::string_view channel) const;

  // Every rule, in declaration order.
  const std::vector<ChannelRule>& rules() const noexcept { return rules_; }

 private:
  std::vector<ChannelRule> rules_;
  bool allow_undeclared_ = true;
};

// Why a message's data does not decode as its class.
struct ModelError {
  // Where, from the root of the data: "attachments[2].fileName"; "" for the data itself.
  std::string path;
  // What is wrong there, e.g. "expected String, got number" or "required field is missing".
  std::string message;
};

// Checks that `data_json` (valid JSON text) decodes as the model class `class_name`; nullopt when it does.
// Called only for classes a rule lists explicitly, so it may treat an unknown class as an error. It runs on
// event-loop threads and on callers of Server::publish, concurrently: it must be thread-safe and must not
// block. An exception thrown from it while handling a client's publish closes that session with 1011.
using ModelValidator =
    std::function<std::optional<ModelError>(std::string_view class_name, std::string_view data_json)>;

// Reads a channels.yaml (format: docs/protocol.md, "Typed channels"). Throws std::runtime_error with
// "FILE:LINE:COLUMN: what is wrong" for a bad configuration, or "FILE: cannot open: reason".
ChannelRules load_channel_rules(const std::string& path);

}  // namespace switchboard
