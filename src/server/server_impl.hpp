#pragma once
// Server::Impl: the state every event loop shares. Read-only once start() returned, except where a member
// says how it is synchronized.

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "server/connection_limits.hpp"
#include "server/log.hpp"
#include "switchboard/server.hpp"

namespace switchboard {

namespace server {
class Shard;
class Listener;
}  // namespace server

class Server::Impl {
 public:
  Impl(Options options, std::shared_ptr<Application> app);
  ~Impl();

  void start();
  std::size_t stop();  // Server::stop()

  server::Shard& shard_of(SessionId id) const;
  bool owns(SessionId id) const noexcept;

  const Options options;
  const std::shared_ptr<Application> app;  // Never null: a default Application when none was given.
  const std::string server_version;        // "switchboard/<version>"
  // Any thread. Before the shards: sessions release their slots into it until the shards are gone.
  server::ConnectionLimits connection_limits;
  const server::Logger log;
  std::map<std::string, HttpHandler> routes;  // Set before start().
  std::vector<std::unique_ptr<server::Shard>> shards;
  std::unique_ptr<engine::Engine> engine;
  std::shared_ptr<server::Listener> listener;
  std::uint16_t bound_port = 0;
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> messages_published{0};  // Accepted publishes, from clients and Server::publish.

 private:
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace switchboard
