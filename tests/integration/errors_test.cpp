// Bad input: every documented error frame and close code, and the session (and others) keep working.
#include "support/raw_socket.hpp"
#include "support/test_server.hpp"

namespace switchboard::testing {
namespace {

using ErrorsTest = ServerTest;

struct Case {
  std::string frame;
  std::string expected;  // The exact error frame.
};

TEST_F(ErrorsTest, EachMalformedFrameGetsItsDocumentedErrorAndTheSessionGoesOn) {
  auto a = connect(), bystander = connect();
  ASSERT_TRUE((*bystander)->subscribe("chat").get().ok());
  const std::vector<Case> cases = {
      {"{not json", R"({"type":"error","code":"bad_json","message":"frame is not valid JSON: )"},
      {"[1,2]", R"({"type":"error","code":"not_object","message":"frame must be a JSON object with a \"type\" field"})"},
      {R"({"type":"nope","id":9})",
       R"x({"type":"error","id":9,"code":"unknown_type","message":"unknown frame type \"nope\" (expected subscribe, unsubscribe, publish, send or ping)"})x"},
      {R"({"type":"subscribe","id":10})",
       R"({"type":"error","id":10,"code":"missing_field","message":"missing field \"channel\""})"},
      {R"({"type":"subscribe","id":"x","channel":"c"})",
       R"({"type":"error","code":"bad_field","message":"id must be an integer from 0 to 9007199254740991"})"},
      {R"({"type":"publish","id":12,"channel":"chat","message":{"className":"X"}})",
       R"({"type":"error","id":12,"code":"missing_field","message":"missing field \"message.data\""})"},
      {R"({"type":"subscribe","id":11,"channel":"bad channel!"})",
       R"({"type":"error","id":11,"code":"invalid_channel","message":"channel name has a character outside A-Z a-z 0-9 _ - : . @ / = at byte 3"})"},
  };
  for (const auto& c : cases) {
    const auto before = a->frames.size();
    (*a)->send_text(c.frame);
    ASSERT_TRUE(a->frames.wait_count(before + 1)) << c.frame;
    EXPECT_TRUE(a->frames.items()[before].starts_with(c.expected))
        << "for " << c.frame << "\n got " << a->frames.items()[before];
    ASSERT_TRUE((*a)->ping().get().ok()) << "session broken after " << c.frame;
  }
  (*a)->send_binary("\x01\x02");
  ASSERT_TRUE(a->errors.wait([](auto& e) { return !e.empty() && e.back().error == "binary_unsupported"; }));
  EXPECT_EQ(a->frames.items().back(),
            R"({"type":"error","code":"binary_unsupported","message":"binary frames are not supported; send JSON text frames"})");
  ASSERT_TRUE((*a)->ping().get().ok());
  // Other sessions were never disturbed.
  ASSERT_EQ((*bystander)->publish("chat", chat("still here")).get().seq, 1u);
  EXPECT_EQ(snapshot().sessions.size(), 2u);
}

TEST_F(ErrorsTest, OversizedMessageClosesWith1009AndOthersGoOn) {
  auto a = connect(), b = connect();
  (*a)->send_text("{\"type\":\"ping\",\"pad\":\"" + std::string(5000, 'x') + "\"}");  // Limit is 4096 here.
  ASSERT_TRUE(a->closes.wait_count(1));
  EXPECT_EQ(a->closes.items()[0].code, close_code::too_big);
  ASSERT_TRUE(app->closed.wait_count(1));
  EXPECT_EQ(app->closed.items()[0].reason.kind, CloseReason::Kind::protocol_error);
  EXPECT_EQ(app->closed.items()[0].reason.code, close_code::too_big);
  EXPECT_TRUE((*b)->ping().get().ok());
  // A message right at the limit is fine.
  const std::string head = "{\"type\":\"ping\",\"id\":1,\"pad\":\"";
  EXPECT_TRUE((*b)->ping().get().ok());
  (*b)->send_text(head + std::string(4096 - head.size() - 2, 'y') + "\"}");
  ASSERT_TRUE(b->frames.wait([](auto& f) { return f.back() == R"({"type":"pong","id":1})"; }));
}

TEST_F(ErrorsTest, AnExceptionInAHookClosesThatSessionWith1011Only) {
  auto a = connect(), b = connect();
  (*a)->send(Message{"Throw", "null"});
  ASSERT_TRUE(a->closes.wait_count(1));
  EXPECT_EQ(a->closes.items()[0].code, close_code::internal);
  ASSERT_TRUE(app->closed.wait_count(1));
  EXPECT_EQ(app->closed.items()[0].reason.code, close_code::internal);
  EXPECT_TRUE((*b)->ping().get().ok());
  EXPECT_TRUE(eventually([](const Snapshot& s) { return s.sessions.size() == 1; }));
}

TEST_F(ErrorsTest, UnmaskedClientFrameClosesWith1002) {
  RawSocket raw(server->port());
  ASSERT_TRUE(raw.upgrade().starts_with("HTTP/1.1 101"));
  ASSERT_EQ(raw.read_frame()->opcode, 0x1);  // welcome
  raw.write(RawSocket::frame(0x81, R"({"type":"ping"})", /*mask=*/false));
  auto f = raw.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(RawSocket::close_code_of(*f), close_code::protocol_error);
  raw.write(RawSocket::frame(0x88, f->payload));  // Complete the close handshake, as RFC 6455 asks.
  EXPECT_TRUE(raw.read_to_eof().second);
  ASSERT_TRUE(app->closed.wait_count(1));
  EXPECT_EQ(app->closed.items()[0].reason.code, close_code::protocol_error);
  EXPECT_EQ(app->closed.items()[0].reason.kind, CloseReason::Kind::protocol_error);
}

TEST_F(ErrorsTest, InvalidUtf8TextClosesWith1007) {
  RawSocket raw(server->port());
  raw.upgrade();
  raw.read_frame();
  raw.write(RawSocket::frame(0x81, "{\"type\":\"ping\",\"x\":\"\xff\xfe\"}"));
  auto f = raw.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(RawSocket::close_code_of(*f), close_code::invalid_payload);
}

TEST_F(ErrorsTest, OversizedLengthFieldClosesWith1009BeforeReadingTheBody) {
  RawSocket raw(server->port());
  raw.upgrade();
  raw.read_frame();
  raw.write(RawSocket::frame(0x81, "", true, std::uint64_t{1} << 40));  // Claims a 1 TiB payload.
  auto f = raw.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(RawSocket::close_code_of(*f), close_code::too_big);
}

TEST_F(ErrorsTest, AbruptDisconnectMidFrameCleansUp) {
  {
    RawSocket raw(server->port());
    raw.upgrade();
    raw.read_frame();
    raw.write(RawSocket::frame(0x81, R"({"type":"subscribe","id":1,"channel":"c"})").substr(0, 10));
  }
  ASSERT_TRUE(app->closed.wait_count(1));
  EXPECT_EQ(app->closed.items()[0].reason.kind, CloseReason::Kind::network_error);
  EXPECT_TRUE(eventually([](const Snapshot& s) { return s.sessions.empty() && s.subscriptions == 0; }));
}

}  // namespace
}  // namespace switchboard::testing
