// Targeted pushes from the server API: to one session, to every session of a user, to a group.
#include "support/test_server.hpp"

namespace switchboard::testing {
namespace {

using TargetedSendTest = ServerTest;

SessionId id_of(const TestClient& c) { return std::stoull(c.welcome.session); }

// After a ping round trip, everything the server queued earlier for this client has arrived.
void settle(TestClient& c) { ASSERT_TRUE(c.client->ping().get().ok()); }

TEST_F(TargetedSendTest, SendReachesOnlyThatSession) {
  auto a = connect(), b = connect();
  ASSERT_FALSE(server->send(id_of(*b), Message{"Notice", R"({"text":"for b"})"}));
  ASSERT_TRUE(b->pushes.wait_count(1));
  EXPECT_EQ(b->pushes.items()[0].message, (Message{"Notice", R"({"text":"for b"})"}));
  EXPECT_EQ(b->pushes.items()[0].group, "");
  EXPECT_EQ(b->frames.items().back(), R"({"type":"push","message":{"className":"Notice","data":{"text":"for b"}}})");
  settle(*a);
  EXPECT_EQ(a->pushes.size(), 0u);
}

TEST_F(TargetedSendTest, SendToUnknownSessionIsHarmless) {
  EXPECT_EQ(server->send(0, chat("x")), make_error_code(error::session_not_found));
  EXPECT_EQ(server->send((SessionId{999} << 8) | 200, chat("x")), make_error_code(error::session_not_found));
  EXPECT_FALSE(server->send((SessionId{999} << 8) | 1, chat("x")));  // Plausible id, nobody there: skipped.
  auto a = connect();
  settle(*a);
}

TEST_F(TargetedSendTest, SendToUserReachesEverySessionOfThatUser) {
  auto ada1 = connect("/ws?user=ada"), ada2 = connect("/ws?user=ada"), bob = connect("/ws?user=bob");
  ASSERT_NE(ada1->welcome.session, ada2->welcome.session);
  server->send_to_user("ada", Message{"Notice", R"({"text":"hi ada"})"});
  ASSERT_TRUE(ada1->pushes.wait_count(1));
  ASSERT_TRUE(ada2->pushes.wait_count(1));
  EXPECT_EQ(ada2->pushes.items()[0].message.data, R"({"text":"hi ada"})");
  settle(*bob);
  EXPECT_EQ(bob->pushes.size(), 0u);
}

TEST_F(TargetedSendTest, SendToGroupReachesMembersOnlyAndNamesTheGroup) {
  auto a = connect(), b = connect(), c = connect();
  ASSERT_FALSE(server->add_to_group(id_of(*a), "admins"));
  ASSERT_FALSE(server->add_to_group(id_of(*b), "admins"));
  ASSERT_FALSE(server->add_to_group(id_of(*b), "ops"));  // A session can be in many groups.
  ASSERT_TRUE(eventually([](const Snapshot& s) { return s.group_memberships == 3; }));
  ASSERT_FALSE(server->send_to_group("admins", Message{"Notice", "null"}));
  for (auto* m : {a.get(), b.get()}) {
    ASSERT_TRUE(m->pushes.wait_count(1));
    EXPECT_EQ(m->pushes.items()[0].group, "admins");
  }
  EXPECT_EQ(b->frames.items().back(), R"({"type":"push","group":"admins","message":{"className":"Notice","data":null}})");
  settle(*c);
  EXPECT_EQ(c->pushes.size(), 0u);

  ASSERT_FALSE(server->remove_from_group(id_of(*a), "admins"));
  ASSERT_TRUE(eventually([](const Snapshot& s) { return s.group_memberships == 2; }));
  ASSERT_FALSE(server->send_to_group("admins", Message{"Notice", "2"}));
  ASSERT_TRUE(b->pushes.wait_count(2));
  settle(*a);
  EXPECT_EQ(a->pushes.size(), 1u);
  EXPECT_EQ(server->send_to_group("no spaces", chat("x")), make_error_code(error::invalid_channel));
}

TEST_F(TargetedSendTest, ClientSendReachesOnMessageAndIsAcked) {
  auto a = connect();
  ASSERT_TRUE((*a)->send(Message{"Typing", R"({"on":true})"}).get().ok());
  ASSERT_TRUE(app->messages.wait_count(1));
  const auto [id, message] = app->messages.items()[0];
  EXPECT_EQ(std::to_string(id), a->welcome.session);
  EXPECT_EQ(message, (Message{"Typing", R"({"on":true})"}));
}

}  // namespace
}  // namespace switchboard::testing
