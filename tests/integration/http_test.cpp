// The HTTP side: health, routes, and proper statuses for everything that is not a valid upgrade.
#include "support/raw_socket.hpp"
#include "support/test_server.hpp"

namespace switchboard::testing {
namespace {

class HttpTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.authenticator = [](const HandshakeRequest& r) {
      if (r.query.count("token") && r.query.at("token") == "no") return AuthResult{false, "", 403, "token refused"};
      return query_parameter_authenticator(r);
    };
    return o;
  }
  void SetUp() override {
    app = std::make_shared<RecordingApp>();
    server = std::make_unique<Server>(options(), app);
    server->route("/stats", [this](const HandshakeRequest&, HttpResponder respond) {
      server->snapshot([respond](Snapshot s) { respond({200, "application/json", to_json(s)}); });
    });
    server->start();
  }

  std::string request(const std::string& head) {
    RawSocket raw(server->port());
    raw.write(head);
    return raw.read_to_eof().first;
  }
  std::string get(const std::string& target) {
    return request("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }
};

TEST_F(HttpTest, HealthzAnswersOk) {
  const auto r = get("/healthz");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_TRUE(r.ends_with("\r\n\r\nok\n")) << r;
}

TEST_F(HttpTest, UnknownPathIs404) { EXPECT_TRUE(get("/nope").starts_with("HTTP/1.1 404 Not Found")); }

TEST_F(HttpTest, OtherMethodsAre405WithAllow) {
  const auto r = request("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 405 Method Not Allowed")) << r;
  EXPECT_NE(r.find("Allow: GET\r\n"), std::string::npos) << r;
}

TEST_F(HttpTest, PlainGetOnTheWebSocketPathIs400) {
  const auto r = get("/ws");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 400 Bad Request")) << r;
  EXPECT_NE(r.find("expected a WebSocket upgrade request"), std::string::npos);
}

TEST_F(HttpTest, GarbageRequestIs400) {
  EXPECT_TRUE(request("HELLO\r\n\r\n").starts_with("HTTP/1.1 400 Bad Request"));
}

TEST_F(HttpTest, AuthenticatorRefusalUsesItsStatus) {
  RawSocket raw(server->port());
  const auto head = raw.upgrade("/ws?token=no");
  EXPECT_TRUE(head.starts_with("HTTP/1.1 403 Forbidden")) << head;
  EXPECT_EQ(app->opened.size(), 0u);
}

TEST_F(HttpTest, ConnectReportsTheRefusal) {
  TestClient c;
  client::Options o;
  o.port = server->port();
  o.target = "/ws?token=no";
  try {
    c->connect(o);
    ADD_FAILURE() << "connect succeeded";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("403"), std::string::npos) << e.what();
  }
}

TEST_F(HttpTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RawSocket raw(server->port());
  raw.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto h1 = raw.read_http_head();
  ASSERT_TRUE(h1 && h1->starts_with("HTTP/1.1 200"));
  raw.read_exactly(3);  // "ok\n"
  raw.write("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  auto h2 = raw.read_http_head();
  ASSERT_TRUE(h2 && h2->starts_with("HTTP/1.1 404"));
}

TEST_F(HttpTest, StatsRouteServesTheSnapshotAsJson) {
  auto a = connect("/ws?user=ada");
  ASSERT_TRUE((*a)->subscribe("chat").get().ok());
  const auto r = get("/stats");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200 OK")) << r;
  EXPECT_NE(r.find("Content-Type: application/json"), std::string::npos);
  EXPECT_NE(r.find(R"({"sessions":[{"id":")" + a->welcome.session + R"(","user":"ada","remote":"127.0.0.1:)"),
            std::string::npos) << r;
  EXPECT_NE(r.find(R"("channels":["chat"],"groups":[]}],"channels":[{"name":"chat","subscribers":1,"lastSeq":0}],"subscriptions":1,"groupMemberships":0,"sessionsOpened":1,"sessionsClosed":0})"),
            std::string::npos) << r;
}

}  // namespace
}  // namespace switchboard::testing
