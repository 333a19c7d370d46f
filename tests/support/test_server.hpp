#pragma once
// TestServer: a real Server on a free loopback port with a RecordingApp, and helpers to connect real
// clients to it. Used by the integration tests.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

#include "support/frame_log.hpp"
#include "switchboard/client.hpp"
#include "switchboard/server.hpp"

namespace switchboard::testing {

// Records every hook call. Policy: nobody may subscribe to "secret"; nobody may publish to "readonly".
class RecordingApp : public Application {
 public:
  struct Closed {
    SessionId id;
    CloseReason reason;
    std::string user_data;  // What on_open attached, read back in on_close.
  };

  void on_open(Session& s) override {
    s.data() = std::string("attached-to-") + std::to_string(s.id());
    opened.add(s.id());
  }
  void on_message(Session& s, const Message& m) override {
    if (m.class_name == "Throw") throw std::runtime_error("application bug");
    messages.add({s.id(), m});
  }
  void on_close(Session& s, const CloseReason& r) override {
    auto* text = std::any_cast<std::string>(&s.data());
    closed.add({s.id(), r, text ? *text : ""});
    // Membership must already be gone when on_close runs.
    if (!s.channels().empty() || !s.groups().empty()) close_saw_memberships = true;
  }
  bool may_subscribe(const Session&, std::string_view channel) override { return channel != "secret"; }
  bool may_publish(const Session&, std::string_view channel) override { return channel != "readonly"; }

  Log<SessionId> opened;
  Log<std::pair<SessionId, Message>> messages;
  Log<Closed> closed;
  std::atomic<bool> close_saw_memberships{false};
};

// A connected client with everything it received recorded.
struct TestClient {
  explicit TestClient(client::EventLoop* loop = nullptr)
      : client(loop ? std::make_unique<client::Client>(*loop) : std::make_unique<client::Client>()) {
    client->on_frame([this](std::string_view f) { frames.add(std::string(f)); });
    client->on_message([this](const client::ChannelMessage& m) { messages.add(m); });
    client->on_push([this](const client::Push& p) { pushes.add(p); });
    client->on_error([this](const client::Reply& r) { errors.add(r); });
    client->on_close([this](const client::Closed& c) { closes.add(c); });
  }
  client::Client* operator->() { return client.get(); }

  Log<std::string> frames;
  Log<client::ChannelMessage> messages;
  Log<client::Push> pushes;
  Log<client::Reply> errors;
  Log<client::Closed> closes;
  client::Welcome welcome;
  // Declared last so that it is destroyed first: its callbacks write into the logs above.
  std::unique_ptr<client::Client> client;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }
  void TearDown() override { server.reset(); }

  virtual Options options() {
    Options o;
    o.port = 0;
    o.threads = 2;
    o.heartbeat = std::chrono::milliseconds(5000);
    o.max_message_bytes = 4096;
    return o;
  }

  void start() {
    app = std::make_shared<RecordingApp>();
    server = std::make_unique<Server>(options(), app);
    server->start();
  }

  std::unique_ptr<TestClient> connect(const std::string& target = "/ws", client::EventLoop* loop = nullptr) {
    auto c = std::make_unique<TestClient>(loop);
    client::Options o;
    o.port = server->port();
    o.target = target;
    c->welcome = c->client->connect(o);
    return c;
  }

  Snapshot snapshot() { return server->snapshot().get(); }

  // Waits until the server's state satisfies `pred`.
  bool eventually(const std::function<bool(const Snapshot&)>& pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (pred(snapshot())) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::shared_ptr<RecordingApp> app;
  std::unique_ptr<Server> server;
};

// A raw publish request frame with `data` as given (JSON text).
inline std::string publish_frame(int id, std::string_view channel, std::string_view class_name,
                                 std::string_view data) {
  return R"({"type":"publish","id":)" + std::to_string(id) + R"(,"channel":")" + std::string(channel) +
         R"(","message":{"className":")" + std::string(class_name) + R"(","data":)" + std::string(data) + "}}";
}

// Sends `frame` and expects exactly `reply` as the next frame, then a working session (a ping answered).
inline void expect_reply(TestClient& c, const std::string& frame, const std::string& reply) {
  const auto before = c.frames.size();
  c->send_text(frame);
  ASSERT_TRUE(c.frames.wait_count(before + 1)) << frame;
  EXPECT_EQ(c.frames.items()[before], reply) << "for " << frame;
  ASSERT_TRUE(c->ping().get().ok()) << "session broken after " << frame;
}

inline Message chat(std::string text) { return Message{"ChatMessage", "{\"text\":\"" + text + "\"}"}; }

}  // namespace switchboard::testing
