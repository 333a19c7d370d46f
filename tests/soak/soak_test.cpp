// Soak: a real Server (2 event loops) and a few thousand sessions of our client on shared client event loops,
// under random churn for a bounded time: subscribe, unsubscribe, publish (clients and Server::publish), pings,
// group joins and pushes, abrupt disconnects and graceful closes, each followed by a reconnect.
//
// Checked at the end:
// - Exact delivery: "stable" sessions follow two "stable:*" channels from before the first publish to after the
//   last. Each receives every message acknowledged on those channels, once, in seq order, with its text; the
//   acknowledged seqs of a channel are exactly 1..N (no gap, no duplicate). The expectations come from the acks.
// - Every reply during the churn is the one the session's own history calls for (ack, already_subscribed,
//   not_subscribed), and no session receives a message of a channel other than the one its frame names.
// - After every connection is closed: the snapshot shows no session, channel, subscription or group membership,
//   GET /metrics says 0 sessions, and on_close ran once per on_open.
// - Heap in use returns to where it was after a warm-up round (same sessions, short churn, all closed): within
//   max(10%, 2 MiB). Under ASan/TSan the sanitizer allocator's count, otherwise mallinfo2().uordblks.
//
// The run is random but reproducible: the seed is printed, and SWITCHBOARD_SOAK_SEED=<n> replays it (as far
// as thread interleaving allows). SWITCHBOARD_SOAK_SECONDS changes the churn time (default 20).
#include <gtest/gtest.h>
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/frame_log.hpp"
#include "support/raw_socket.hpp"
#include "switchboard/client.hpp"
#include "switchboard/server.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SWITCHBOARD_SOAK_SANITIZER_HEAP 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SWITCHBOARD_SOAK_SANITIZER_HEAP 1
#endif
#ifdef SWITCHBOARD_SOAK_SANITIZER_HEAP
#if __has_include(<sanitizer/allocator_interface.h>)
#include <sanitizer/allocator_interface.h>
#else
// GCC ships no header for it, but its libasan and libtsan export the function (the same runtime as clang's).
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif
#endif

namespace switchboard::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::size_t wanted_sessions = 2000;
constexpr std::size_t stable_sessions = 100;
constexpr int stable_channels = 4;
constexpr int churn_channels = 16;
constexpr int groups = 8;
constexpr int users = 50;
constexpr int drivers = 4;  // Threads making requests; each owns a slice of the churned sessions.
constexpr int client_loops = 4;
constexpr auto warm_up_time = 2s;
constexpr auto reply_timeout = 30s;  // A guard only: a reply this late is a failure, not a slow machine.

std::size_t heap_in_use() {
#ifdef SWITCHBOARD_SOAK_SANITIZER_HEAP
  return __sanitizer_get_current_allocated_bytes();
#else
  return mallinfo2().uordblks;
#endif
}

std::string stable_channel(int i) { return "stable:" + std::to_string(i); }
std::string churn_channel(int i) { return "churn:" + std::to_string(i); }

// Every message published says which channel it was for: {"text":"<channel>#<publisher>-<n>"}.
Message soak_message(const std::string& channel, const std::string& tag) {
  return Message{"Soak", "{\"text\":\"" + channel + "#" + tag + "\"}"};
}

// Raises the open-file limit to its hard limit; returns the soft limit then in force.
rlim_t raise_fd_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

// Counts hook calls: on_close must run once per on_open.
class CountingApp : public Application {
 public:
  void on_open(Session&) override { opened.fetch_add(1); }
  void on_close(Session&, const CloseReason&) override { closed.fetch_add(1); }
  std::atomic<std::uint64_t> opened{0}, closed{0};
};

// What every driver, and the client callbacks, report into. Failures are collected, not asserted, on the
// driver threads; the test thread reports them.
struct Shared {
  std::mutex mu;
  std::vector<std::string> failures;
  std::atomic<bool> failed{false};
  std::atomic<std::uint64_t> deliveries{0}, misdelivered{0}, pushes{0};

  void fail(std::string what) {
    std::lock_guard lock(mu);
    if (failures.size() < 20) failures.push_back(std::move(what));
    failed = true;
  }
};

// A churned connection, touched only by the driver that owns it.
struct Slot {
  std::unique_ptr<client::Client> client;
  SessionId id = 0;
  std::set<std::string> channels;  // What it follows, by the acks it got.
  std::string user;
};

// A session that follows two stable channels for the whole phase and records what it receives.
struct Stable {
  Log<client::ChannelMessage> messages;
  std::vector<std::string> channels;
  std::unique_ptr<client::Client> client;  // Last: destroyed first, its callbacks write into `messages`.
};

struct Ack {
  std::uint64_t seq;
  std::string data;
};

struct PhaseStats {
  std::uint64_t requests = 0, publishes = 0, server_publishes = 0, reconnects = 0, group_joins = 0;
};

class SoakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto fd_limit = raise_fd_limit();
    // Both ends of every connection live in this process, plus a margin for loops, timers and the listener.
    sessions_ = std::min<std::size_t>(wanted_sessions, (fd_limit - 256) / 2);
    const char* seed_env = std::getenv("SWITCHBOARD_SOAK_SEED");
    seed_ = seed_env ? std::strtoull(seed_env, nullptr, 10) : std::random_device{}();
    const char* seconds_env = std::getenv("SWITCHBOARD_SOAK_SECONDS");
    churn_time_ = std::chrono::seconds(seconds_env ? std::atoi(seconds_env) : 20);
    std::printf("soak: seed %llu (SWITCHBOARD_SOAK_SEED=%llu replays it), %zu sessions (%zu stable), "
                "open-file limit %llu, churn %lld s\n",
                static_cast<unsigned long long>(seed_), static_cast<unsigned long long>(seed_), sessions_,
                stable_sessions, static_cast<unsigned long long>(fd_limit),
                static_cast<long long>(churn_time_.count()));
    ASSERT_GE(sessions_, stable_sessions + 100) << "the open-file limit is too low for a soak";

    Options o;
    o.port = 0;
    o.threads = 2;
    // Consistency under churn is the subject here, not backpressure (lifecycle_test covers 4008): a client loop
    // that falls behind on a loaded machine must not turn into a slow-consumer close.
    o.max_outbound_bytes = 64 * 1024 * 1024;
    app_ = std::make_shared<CountingApp>();
    server_ = std::make_unique<Server>(o, app_);
    server_->start();
    for (int i = 0; i < client_loops; ++i) loops_.push_back(std::make_unique<client::EventLoop>());
  }

  void TearDown() override {
    loops_.clear();
    if (server_) server_->stop();
  }

  client::EventLoop& loop_for(std::size_t i) { return *loops_[i % loops_.size()]; }

  // Connects `c` as `user`; returns the session id from the welcome. Throws as Client::connect does.
  SessionId connect(client::Client& c, const std::string& user) {
    client::Options o;
    o.port = server_->port();
    o.target = "/ws?user=" + user;
    o.timeout = reply_timeout;
    return std::stoull(c.connect(o).session);
  }

  // Wires a churned client's callbacks: count deliveries, and check each message is for the channel it names.
  std::unique_ptr<client::Client> churn_client(std::size_t i, Shared& shared) {
    auto c = std::make_unique<client::Client>(loop_for(i));
    c->on_message([&shared](const client::ChannelMessage& m) {
      shared.deliveries.fetch_add(1, std::memory_order_relaxed);
      if (m.message.data.find("\"" + m.channel + "#") == std::string::npos) shared.misdelivered.fetch_add(1);
    });
    c->on_push([&shared](const client::Push&) { shared.pushes.fetch_add(1, std::memory_order_relaxed); });
    return c;
  }

  void reconnect(Slot& slot, std::size_t i, Shared& shared) {
    slot.client = churn_client(i, shared);
    slot.id = connect(*slot.client, slot.user);
    slot.channels.clear();
  }

  // True when `reply` is `expected` ("" for an ack); otherwise records what came instead.
  static bool check(Shared& shared, const client::Reply& reply, const std::string& expected, const std::string& what) {
    if (reply.error == expected) return true;
    shared.fail(what + ": expected " + (expected.empty() ? "an ack" : expected) + ", got " +
                (reply.error.empty() ? "an ack" : reply.error + " (" + reply.message + ")"));
    return false;
  }

  // One driver: random requests on its slots until `deadline`, each waiting for its reply, so that no request
  // is in flight when its connection is dropped and every acknowledged publish is known.
  void drive(int index, std::vector<Slot>& slots, std::size_t begin, std::size_t end, Clock::time_point deadline,
             Shared& shared, std::map<std::string, std::vector<Ack>>& acks, PhaseStats& stats) {
    std::mt19937_64 rng(seed_ + static_cast<std::uint64_t>(index));
    auto pick = [&rng](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    std::uint64_t n = 0;
    while (Clock::now() < deadline && !shared.failed) {
      const std::size_t i = begin + pick(end - begin);
      Slot& s = slots[i];
      const auto roll = pick(100);
      ++stats.requests;
      const std::string tag = std::to_string(index) + "-" + std::to_string(n++);
      if (roll < 30) {  // publish, to a stable channel half of the time
        const bool stable = pick(2) == 0;
        const auto channel = stable ? stable_channel(static_cast<int>(pick(stable_channels)))
                                    : churn_channel(static_cast<int>(pick(churn_channels)));
        const auto message = soak_message(channel, tag);
        const auto reply = s.client->publish(channel, message).get();
        if (!check(shared, reply, "", "publish to " + channel)) return;
        ++stats.publishes;
        if (stable) acks[channel].push_back({reply.seq, message.data});
      } else if (roll < 33) {  // the server publishes
        const auto channel = stable_channel(static_cast<int>(pick(stable_channels)));
        const auto message = soak_message(channel, "server-" + tag);
        const auto result = server_->publish(channel, message);
        if (result.error) return shared.fail("Server::publish: " + result.error.message());
        ++stats.server_publishes;
        acks[channel].push_back({result.seq, message.data});
      } else if (roll < 53) {  // subscribe, to a churned channel mostly
        const auto channel = pick(8) == 0 ? stable_channel(static_cast<int>(pick(stable_channels)))
                                          : churn_channel(static_cast<int>(pick(churn_channels)));
        const bool following = s.channels.count(channel) != 0;
        if (!check(shared, s.client->subscribe(channel).get(), following ? "already_subscribed" : "",
                   "subscribe to " + channel)) {
          return;
        }
        s.channels.insert(channel);
      } else if (roll < 68) {  // unsubscribe, from a channel it follows mostly
        if (!s.channels.empty() && pick(4) != 0) {
          auto it = std::next(s.channels.begin(), static_cast<std::ptrdiff_t>(pick(s.channels.size())));
          const auto channel = *it;
          if (!check(shared, s.client->unsubscribe(channel).get(), "", "unsubscribe from " + channel)) return;
          s.channels.erase(it);
        } else {
          const auto channel = churn_channel(static_cast<int>(pick(churn_channels)));
          const bool following = s.channels.count(channel) != 0;
          if (!check(shared, s.client->unsubscribe(channel).get(), following ? "" : "not_subscribed",
                     "unsubscribe from " + channel)) {
            return;
          }
          s.channels.erase(channel);
        }
      } else if (roll < 76) {
        if (!check(shared, s.client->ping().get(), "", "ping")) return;
      } else if (roll < 81) {
        if (auto ec = server_->add_to_group(s.id, "g" + std::to_string(pick(groups)))) {
          return shared.fail("add_to_group: " + ec.message());
        }
        ++stats.group_joins;
      } else if (roll < 84) {
        if (auto ec = server_->send_to_group("g" + std::to_string(pick(groups)), Message{"Notice", "{}"})) {
          return shared.fail("send_to_group: " + ec.message());
        }
      } else if (roll < 86) {
        server_->send_to_user("u" + std::to_string(pick(users)), Message{"Notice", "{}"});
      } else if (roll < 95) {  // drop the connection without a close frame, then come back
        s.client->abort();
        reconnect(s, i, shared);
        ++stats.reconnects;
      } else {  // close properly, then come back
        auto closing = s.client->close();
        if (closing.wait_for(reply_timeout) != std::future_status::ready) return shared.fail("close: no end");
        if (const auto closed = closing.get(); closed.code != close_code::normal) {
          return shared.fail("close: the server answered " + std::to_string(closed.code));
        }
        reconnect(s, i, shared);
        ++stats.reconnects;
      }
    }
  }

  // One round: connect every session, churn for `churn`, check exact delivery to the stable sessions, close
  // everything (half gracefully, half abruptly) and wait until the server holds nothing.
  PhaseStats run_phase(std::chrono::seconds churn, std::uint64_t phase_seed) {
    Shared shared;
    PhaseStats total;
    std::vector<Stable> stable(stable_sessions);
    std::vector<Slot> slots(sessions_ - stable_sessions);
    std::vector<std::map<std::string, std::vector<Ack>>> acks(drivers);
    std::vector<PhaseStats> stats(drivers);
    const auto opened_before = app_->opened.load();

    // Stable sessions first, each following two stable channels before anything is published.
    for (std::size_t i = 0; i < stable.size(); ++i) {
      auto& st = stable[i];
      st.client = std::make_unique<client::Client>(loop_for(i));
      st.client->on_message([&st](const client::ChannelMessage& m) { st.messages.add(m); });
      connect(*st.client, "stable" + std::to_string(i));
      for (int k : {0, 1}) {
        st.channels.push_back(stable_channel(static_cast<int>((i + static_cast<std::size_t>(k)) % stable_channels)));
        const auto reply = st.client->subscribe(st.channels.back()).get();
        EXPECT_TRUE(reply.ok()) << reply.error;
      }
    }
    // The churned sessions, connected by their drivers in parallel.
    auto slice = [&](int d) {
      return std::pair{slots.size() * static_cast<std::size_t>(d) / drivers,
                       slots.size() * static_cast<std::size_t>(d + 1) / drivers};
    };
    {
      std::vector<std::thread> threads;
      for (int d = 0; d < drivers; ++d) {
        threads.emplace_back([&, d] {
          const auto [begin, end] = slice(d);
          try {
            for (std::size_t i = begin; i < end; ++i) {
              slots[i].user = "u" + std::to_string(i % users);
              reconnect(slots[i], i, shared);
            }
          } catch (const std::exception& e) {
            shared.fail(std::string("connect: ") + e.what());
          }
        });
      }
      for (auto& t : threads) t.join();
    }
    // on_open runs just after the welcome is sent, so it may trail the connect() that saw the welcome.
    const auto opened_by = Clock::now() + reply_timeout;
    while (app_->opened.load() - opened_before < sessions_ && Clock::now() < opened_by) {
      std::this_thread::sleep_for(5ms);
    }
    EXPECT_EQ(app_->opened.load() - opened_before, sessions_);

    const auto started = Clock::now();
    const auto deadline = started + churn;
    {
      std::vector<std::thread> threads;
      for (int d = 0; d < drivers; ++d) {
        threads.emplace_back([&, d] {
          const auto [begin, end] = slice(d);
          try {
            drive(d + static_cast<int>(phase_seed) * drivers, slots, begin, end, deadline, shared, acks[d], stats[d]);
          } catch (const std::exception& e) {
            shared.fail(std::string("driver: ") + e.what());
          }
        });
      }
      for (auto& t : threads) t.join();
    }
    const auto churned = std::chrono::duration<double>(Clock::now() - started).count();
    for (const auto& s : stats) {
      total.requests += s.requests;
      total.publishes += s.publishes;
      total.server_publishes += s.server_publishes;
      total.reconnects += s.reconnects;
      total.group_joins += s.group_joins;
    }

    // Exact delivery to the stable sessions, from the acks.
    std::map<std::string, std::vector<Ack>> expected;
    for (auto& per_driver : acks) {
      for (auto& [channel, list] : per_driver) {
        auto& all = expected[channel];
        all.insert(all.end(), list.begin(), list.end());
      }
    }
    std::uint64_t stable_deliveries = 0;
    for (auto& [channel, list] : expected) {
      std::sort(list.begin(), list.end(), [](const Ack& a, const Ack& b) { return a.seq < b.seq; });
      for (std::size_t k = 0; k < list.size(); ++k) {
        if (list[k].seq != k + 1) {
          ADD_FAILURE() << channel << ": acknowledged seq #" << k << " is " << list[k].seq << ", expected " << k + 1;
          break;
        }
      }
    }
    const auto delivered_by = Clock::now() + 2 * reply_timeout;  // One guard for all of them.
    for (auto& st : stable) {
      std::size_t want = 0;
      for (const auto& channel : st.channels) want += expected[channel].size();
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(delivered_by - Clock::now());
      EXPECT_TRUE(st.messages.wait_count(want, std::max(left, std::chrono::milliseconds(0))))
          << "a stable session got " << st.messages.size() << " of " << want << " messages";
      EXPECT_TRUE(st.client->ping().get().ok());  // Anything extra would have arrived before this pong.
      const auto got = st.messages.items();
      stable_deliveries += got.size();
      EXPECT_EQ(got.size(), want);
      for (const auto& channel : st.channels) {
        std::size_t k = 0;
        const auto& list = expected[channel];
        for (const auto& m : got) {
          if (m.channel != channel) continue;
          if (k >= list.size() || m.seq != list[k].seq || m.message.data != list[k].data) {
            ADD_FAILURE() << channel << ": message #" << k << " is seq " << m.seq << " " << m.message.data
                          << ", expected seq " << (k < list.size() ? list[k].seq : 0) << " "
                          << (k < list.size() ? list[k].data : "nothing");
            break;
          }
          ++k;
        }
      }
    }
    {
      std::lock_guard lock(shared.mu);
      for (const auto& f : shared.failures) ADD_FAILURE() << f;
    }
    EXPECT_EQ(shared.misdelivered.load(), 0u);

    // What there is to clean up: every session still connected, and memberships of every kind.
    const auto busy = server_->snapshot().get();
    std::printf("soak: before closing: %zu sessions, %zu channels, %zu subscriptions, %zu group memberships, "
                "heap in use %zu bytes\n",
                busy.sessions.size(), busy.channels.size(), busy.subscriptions, busy.group_memberships,
                heap_in_use());
    EXPECT_EQ(busy.sessions.size(), sessions_);
    EXPECT_GE(busy.subscriptions, 2 * stable_sessions);
    EXPECT_GT(busy.group_memberships, 0u);

    // Close everything: half with a close handshake, half by dropping the connection.
    auto close_properly = [](client::Client& c) {
      EXPECT_EQ(c.close().wait_for(reply_timeout), std::future_status::ready) << "a close handshake never ended";
    };
    for (std::size_t i = 0; i < slots.size(); ++i) {
      if (!slots[i].client) continue;
      if (i % 2 == 0) {
        close_properly(*slots[i].client);
      } else {
        slots[i].client->abort();
      }
      slots[i].client.reset();
    }
    for (auto& st : stable) {
      close_properly(*st.client);
      st.client.reset();
    }
    EXPECT_TRUE(nothing_left()) << "the server still holds sessions after every client left";
    std::printf("soak: churned %.1f s: %llu requests, %llu client publishes, %llu server publishes, %llu reconnects, "
                "%llu group joins; %llu channel messages to churned sessions, %llu to stable ones, %llu pushes\n",
                churned, static_cast<unsigned long long>(total.requests),
                static_cast<unsigned long long>(total.publishes),
                static_cast<unsigned long long>(total.server_publishes),
                static_cast<unsigned long long>(total.reconnects),
                static_cast<unsigned long long>(total.group_joins),
                static_cast<unsigned long long>(shared.deliveries.load()),
                static_cast<unsigned long long>(stable_deliveries),
                static_cast<unsigned long long>(shared.pushes.load()));
    return total;
  }

  // Waits until the server has no session, channel, subscription or group membership left.
  bool nothing_left() {
    const auto deadline = Clock::now() + 60s;
    while (Clock::now() < deadline) {
      const auto s = server_->snapshot().get();
      if (s.sessions.empty() && s.channels.empty() && s.subscriptions == 0 && s.group_memberships == 0 &&
          app_->closed.load() == app_->opened.load()) {
        return true;
      }
      std::this_thread::sleep_for(20ms);
    }
    const auto s = server_->snapshot().get();
    std::printf("soak: left: %zu sessions, %zu channels, %zu subscriptions, %zu group memberships; %llu opened, "
                "%llu closed\n",
                s.sessions.size(), s.channels.size(), s.subscriptions, s.group_memberships,
                static_cast<unsigned long long>(app_->opened.load()),
                static_cast<unsigned long long>(app_->closed.load()));
    return false;
  }

  // GET /metrics -> the value of `name` (a sample without labels).
  std::string metric(const std::string& name) {
    RawSocket raw(server_->port());
    raw.write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::istringstream body(raw.read_to_eof().first);
    std::string line;
    while (std::getline(body, line)) {
      if (line.starts_with(name + " ")) return line.substr(name.size() + 1);
    }
    return "<absent>";
  }

  std::size_t sessions_ = 0;
  std::uint64_t seed_ = 0;
  std::chrono::seconds churn_time_{20};
  std::shared_ptr<CountingApp> app_;
  std::unique_ptr<Server> server_;
  std::vector<std::unique_ptr<client::EventLoop>> loops_;
};

TEST_F(SoakTest, ChurnDeliversExactlyAndLeavesNothingBehind) {
  // Warm-up: the same sessions and the same kinds of churn, so that every lasting allocation (hash table
  // buckets, per-loop buffers, client loops) is made before the baseline is taken.
  run_phase(std::chrono::duration_cast<std::chrono::seconds>(warm_up_time), 1);
  ASSERT_FALSE(HasFailure());
  const auto baseline = heap_in_use();

  const auto stats = run_phase(churn_time_, 2);
  EXPECT_GT(stats.publishes, 0u);
  EXPECT_GT(stats.reconnects, 0u);
  const auto snapshot = server_->snapshot().get();
  EXPECT_EQ(snapshot.sessions_opened, snapshot.sessions_closed);
  EXPECT_EQ(metric("switchboard_sessions"), "0");
  EXPECT_EQ(metric("switchboard_channels"), "0");
  EXPECT_EQ(metric("switchboard_subscriptions"), "0");

  const auto after = heap_in_use();
  const std::size_t allowance = std::max<std::size_t>(baseline / 10, 2 * 1024 * 1024);
  std::printf("soak: heap in use after the warm-up %zu bytes, after the churn %zu bytes (%+lld); allowed up to "
              "%zu; %llu sessions opened in all\n",
              baseline, after, static_cast<long long>(after) - static_cast<long long>(baseline),
              baseline + allowance, static_cast<unsigned long long>(snapshot.sessions_opened));
  EXPECT_LE(after, baseline + allowance);
}

}  // namespace
}  // namespace switchboard::testing
