// Bad input from peers, beyond errors_test.cpp: broken HTTP handshakes, each RFC 6455 framing rule broken,
// invalid UTF-8 (also split across fragments), truncated frames, ping floods, and JSON at the edges of what the
// decoder accepts. Every case asserts the exact status line, close code or error frame, that a bystander
// session connected before it is still served (a ping, and a publish it receives), and that the server is back
// to the bystander alone: no session, subscription or connection slot left behind.
#include "support/raw_socket.hpp"
#include "support/test_server.hpp"

#include <thread>

namespace switchboard::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::uint8_t fin = 0x80, rsv1 = 0x40, rsv2 = 0x20, rsv3 = 0x10;
constexpr std::uint8_t op_cont = 0x0, op_text = 0x1, op_binary = 0x2, op_close = 0x8, op_ping = 0x9, op_pong = 0xA;

std::string frame(std::uint8_t first_byte, const std::string& payload) { return RawSocket::frame(first_byte, payload); }

// A close frame's payload: the code, big-endian, then the reason.
std::string close_payload(std::uint16_t code, const std::string& reason = "") {
  return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)} + reason;
}

// A masked text frame whose 5-byte payload length is written with `length_bytes` (2 or 8) extended bytes, which
// RFC 6455 section 5.2 forbids: the minimal encoding must be used.
std::string non_minimal_length_frame(int length_bytes) {
  const std::string payload = "{\"a\"}";
  std::string out{static_cast<char>(fin | op_text), static_cast<char>(0x80 | (length_bytes == 2 ? 126 : 127))};
  for (int i = length_bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(i == 0 ? payload.size() : 0));
  out.append("\0\0\0\0", 4);  // Mask key 0: the payload goes as it is.
  return out + payload;
}

std::string upgrade_request(const std::string& headers) { return "GET /ws HTTP/1.1\r\n" + headers + "\r\n"; }

constexpr const char* good_headers =
    "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

std::string status_line(const std::string& response) { return response.substr(0, response.find("\r\n")); }

class BadInputTest : public ServerTest {
 protected:
  Options options() override {
    auto o = ServerTest::options();
    o.handshake_timeout = 300ms;  // How long a stalled request, or a peer that never answers a close, is given.
    o.max_connections = 2;        // The bystander and one more: a slot a failed connection kept shows as 503.
    return o;
  }

  void SetUp() override {
    ServerTest::SetUp();
    bystander = connect("/ws?user=bystander");
    ASSERT_TRUE((*bystander)->subscribe("watch").get().ok());
  }

  void TearDown() override {
    bystander.reset();
    ServerTest::TearDown();
  }

  // A raw WebSocket session, past its welcome frame.
  std::unique_ptr<RawSocket> open_raw() {
    auto raw = std::make_unique<RawSocket>(server->port());
    const auto head = raw->upgrade();
    EXPECT_TRUE(head.starts_with("HTTP/1.1 101 Switching Protocols")) << head;
    auto welcome = raw->read_frame();
    EXPECT_TRUE(welcome && welcome->opcode == op_text && welcome->payload.starts_with("{\"type\":\"welcome\""));
    return raw;
  }

  // Reads up to the server's close frame (heartbeat pings aside, nothing else may come first), checks its code,
  // answers it as RFC 6455 asks, and expects the server to end the TCP connection.
  void expect_close(RawSocket& raw, std::uint16_t code) {
    for (;;) {
      auto f = raw.read_frame();
      ASSERT_TRUE(f) << "the connection ended without a close frame";
      if (f->opcode == op_ping) continue;
      ASSERT_EQ(f->opcode, op_close) << "unexpected frame before the close: " << f->payload;
      EXPECT_EQ(RawSocket::close_code_of(*f), code) << "close payload: " << f->payload.substr(2);
      raw.write(frame(fin | op_close, f->payload));
      EXPECT_TRUE(raw.read_to_eof().second) << "the server kept the connection after the close handshake";
      return;
    }
  }

  // The raw session closed with `code` was reported to the application once, as a protocol error.
  void expect_protocol_error_reported(std::uint16_t code) {
    ASSERT_TRUE(app->closed.wait_count(1));
    EXPECT_EQ(app->closed.items()[0].reason.kind, CloseReason::Kind::protocol_error);
    EXPECT_EQ(app->closed.items()[0].reason.code, code);
  }

  // The bystander is served and is the only session left; a new session can take the freed connection slot.
  void expect_server_recovered() {
    ASSERT_TRUE((*bystander)->ping().get().ok());
    const auto before = bystander->messages.size();
    const auto published = (*bystander)->publish("watch", chat("still here")).get();
    ASSERT_TRUE(published.ok()) << published.error;
    ASSERT_TRUE(bystander->messages.wait_count(before + 1));
    EXPECT_EQ(bystander->messages.items()[before].seq, published.seq);
    EXPECT_TRUE(eventually([](const Snapshot& s) {
      return s.sessions.size() == 1 && s.channels.size() == 1 && s.subscriptions == 1 && s.group_memberships == 0;
    })) << "sessions: " << snapshot().sessions.size() << ", subscriptions: " << snapshot().subscriptions;
    // The slot is released when the failed connection's last handler returned: retry until then.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    std::string head;
    while (std::chrono::steady_clock::now() < deadline) {
      RawSocket probe(server->port());
      head = probe.upgrade();
      if (!head.starts_with("HTTP/1.1 503")) break;
      std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(head.starts_with("HTTP/1.1 101")) << "a connection slot was not given back: " << head;
  }

  std::unique_ptr<TestClient> bystander;
};

// --- HTTP handshakes -----------------------------------------------------------------------------------------

struct BadHandshake {
  std::string name;
  std::string request;
  std::string status;  // The exact status line.
  std::string header;  // A header line the response must hold, if any.
};

void PrintTo(const BadHandshake& c, std::ostream* os) { *os << c.name; }

class BadHandshakeTest : public BadInputTest, public ::testing::WithParamInterface<BadHandshake> {};

TEST_P(BadHandshakeTest, IsRefusedWithItsStatusAndNoSession) {
  {
    RawSocket raw(server->port());
    raw.write(GetParam().request);
    const auto [response, eof] = raw.read_to_eof();
    EXPECT_TRUE(eof) << "the connection stayed open after the refusal";
    EXPECT_EQ(status_line(response), GetParam().status) << response;
    if (!GetParam().header.empty()) {
      EXPECT_NE(response.find(GetParam().header + "\r\n"), std::string::npos) << response;
    }
  }
  EXPECT_EQ(app->opened.size(), 1u);  // The bystander only: no on_open for a failed upgrade.
  expect_server_recovered();
}

const std::string tls_client_hello("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\x00\x01\x02\x03\x04\x05\x06\x07", 19);

INSTANTIATE_TEST_SUITE_P(
    Handshakes, BadHandshakeTest,
    ::testing::Values(
        BadHandshake{"MissingSecWebSocketKey",
                     upgrade_request("Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                     "Sec-WebSocket-Version: 13\r\n"),
                     "HTTP/1.1 400 Bad Request", ""},
        BadHandshake{"OverlongSecWebSocketKey",
                     upgrade_request("Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " +
                                     std::string(40, 'k') + "\r\nSec-WebSocket-Version: 13\r\n"),
                     "HTTP/1.1 400 Bad Request", ""},
        BadHandshake{"MissingSecWebSocketVersion",
                     upgrade_request("Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"),
                     "HTTP/1.1 400 Bad Request", ""},
        // RFC 6455 section 4.2.2: a version the server does not speak is refused with the versions it does.
        BadHandshake{"WrongSecWebSocketVersion",
                     upgrade_request("Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n"),
                     "HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 13"},
        BadHandshake{"MissingHost",
                     upgrade_request("Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"),
                     "HTTP/1.1 400 Bad Request", ""},
        BadHandshake{"PostUpgrade",
                     "POST /ws HTTP/1.1\r\n" + std::string(good_headers) + "Content-Length: 0\r\n\r\n",
                     "HTTP/1.1 405 Method Not Allowed", "Allow: GET"},
        BadHandshake{"Http10Upgrade", "GET /ws HTTP/1.0\r\n" + std::string(good_headers) + "\r\n",
                     "HTTP/1.1 400 Bad Request", ""},
        BadHandshake{"TlsClientHello", tls_client_hello, "HTTP/1.1 400 Bad Request", ""},
        BadHandshake{"BinaryGarbage", std::string("\x00\xff\r\n\x01\x02\r\n\r\n", 9), "HTTP/1.1 400 Bad Request", ""},
        BadHandshake{"HeaderSectionOverTheLimit",
                     upgrade_request(std::string(good_headers) + "X-Pad: " + std::string(16 * 1024, 'p') + "\r\n"),
                     "HTTP/1.1 400 Bad Request", ""},
        // The declared body is refused from the header, before any of it is sent.
        BadHandshake{"BodyOverTheLimit", "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 9000\r\n\r\n",
                     "HTTP/1.1 400 Bad Request", ""}),
    [](const auto& info) { return info.param.name; });

TEST_F(BadInputTest, RequestLineWithoutItsEndIsDroppedAtTheHandshakeTimeout) {
  for (const std::string& stalled : {std::string("GET /ws HTTP/1.1"), upgrade_request(good_headers).substr(0, 60)}) {
    RawSocket raw(server->port());
    raw.write(stalled);
    const auto [response, eof] = raw.read_to_eof();  // Ends at the 300 ms handshake timeout; 5 s is the guard.
    EXPECT_TRUE(eof) << stalled;
    EXPECT_EQ(response, "") << "no response is owed to a request that never ended";
  }
  EXPECT_EQ(app->opened.size(), 1u);
  expect_server_recovered();
}

TEST_F(BadInputTest, SilentConnectionsNeitherBlockOthersNorCountAsSessions) {
  std::vector<std::unique_ptr<RawSocket>> silent;
  for (int i = 0; i < 50; ++i) silent.push_back(std::make_unique<RawSocket>(server->port()));
  // While they hold their sockets, the bystander is served and a session takes the one free slot.
  expect_server_recovered();
  for (auto& raw : silent) {
    const auto [response, eof] = raw->read_to_eof();
    EXPECT_TRUE(eof);
    EXPECT_EQ(response, "");
  }
  ASSERT_TRUE(app->opened.wait_count(2));  // The bystander and the probe of expect_server_recovered.
  EXPECT_EQ(app->opened.size(), 2u);
}

// --- RFC 6455 framing ----------------------------------------------------------------------------------------

struct Violation {
  std::string name;
  std::string bytes;   // Sent after the welcome.
  std::uint16_t code;  // The close code the server must answer with.
};

void PrintTo(const Violation& c, std::ostream* os) { *os << c.name; }

class FramingViolationTest : public BadInputTest, public ::testing::WithParamInterface<Violation> {};

TEST_P(FramingViolationTest, ClosesWithItsCodeAndOthersGoOn) {
  {
    auto raw = open_raw();
    raw->write(GetParam().bytes);
    expect_close(*raw, GetParam().code);
  }
  expect_protocol_error_reported(GetParam().code);
  expect_server_recovered();
}

const std::string ping_json = R"({"type":"ping","id":1})";

// A text message whose JSON string holds `bytes`.
std::string text_with(const std::string& bytes) { return R"({"type":"ping","x":")" + bytes + "\"}"; }

INSTANTIATE_TEST_SUITE_P(
    ProtocolErrors, FramingViolationTest,
    ::testing::Values(
        Violation{"UnmaskedPing", RawSocket::frame(fin | op_ping, "x", /*mask=*/false), close_code::protocol_error},
        Violation{"UnmaskedClose", RawSocket::frame(fin | op_close, close_payload(1000), false),
                  close_code::protocol_error},
        Violation{"Rsv1OnText", frame(fin | rsv1 | op_text, ping_json), close_code::protocol_error},
        Violation{"Rsv2OnText", frame(fin | rsv2 | op_text, ping_json), close_code::protocol_error},
        Violation{"Rsv3OnText", frame(fin | rsv3 | op_text, ping_json), close_code::protocol_error},
        Violation{"Rsv1OnPing", frame(fin | rsv1 | op_ping, "x"), close_code::protocol_error},
        Violation{"Rsv2OnContinuation", frame(op_text, "{") + frame(fin | rsv2 | op_cont, "}"),
                  close_code::protocol_error},
        Violation{"ReservedDataOpcode3", frame(fin | 0x3, ping_json), close_code::protocol_error},
        Violation{"ReservedDataOpcode7", frame(fin | 0x7, ping_json), close_code::protocol_error},
        Violation{"ReservedControlOpcodeB", frame(fin | 0xB, "x"), close_code::protocol_error},
        Violation{"ReservedControlOpcodeF", frame(fin | 0xF, "x"), close_code::protocol_error},
        Violation{"FragmentedPing", frame(op_ping, "ab") + frame(fin | op_cont, "cd"), close_code::protocol_error},
        Violation{"FragmentedClose", frame(op_close, close_payload(1000)), close_code::protocol_error},
        Violation{"PingPayloadOf126Bytes", frame(fin | op_ping, std::string(126, 'p')), close_code::protocol_error},
        Violation{"PongPayloadOf126Bytes", frame(fin | op_pong, std::string(126, 'p')), close_code::protocol_error},
        Violation{"ClosePayloadOf126Bytes", frame(fin | op_close, close_payload(1000, std::string(124, 'r'))),
                  close_code::protocol_error},
        Violation{"ContinuationWithoutAStart", frame(fin | op_cont, ping_json), close_code::protocol_error},
        Violation{"TextInsideAFragmentedText", frame(op_text, "{\"type\":") + frame(fin | op_text, ping_json),
                  close_code::protocol_error},
        Violation{"BinaryInsideAFragmentedText", frame(op_text, "{\"type\":") + frame(fin | op_binary, "x"),
                  close_code::protocol_error},
        Violation{"LengthIn16BitsBelow126", non_minimal_length_frame(2), close_code::protocol_error},
        Violation{"LengthIn64BitsBelow65536", non_minimal_length_frame(8), close_code::protocol_error},
        Violation{"CloseWithOneBytePayload", frame(fin | op_close, "\x03"), close_code::protocol_error},
        Violation{"CloseCode999", frame(fin | op_close, close_payload(999)), close_code::protocol_error},
        Violation{"CloseCode1004", frame(fin | op_close, close_payload(1004)), close_code::protocol_error},
        Violation{"CloseCode1005", frame(fin | op_close, close_payload(1005)), close_code::protocol_error},
        Violation{"CloseCode1006", frame(fin | op_close, close_payload(1006)), close_code::protocol_error},
        Violation{"CloseCode1015", frame(fin | op_close, close_payload(1015)), close_code::protocol_error},
        Violation{"CloseCode2999", frame(fin | op_close, close_payload(2999)), close_code::protocol_error},
        Violation{"CloseReasonNotUtf8", frame(fin | op_close, close_payload(1000, "\xff")),
                  close_code::protocol_error}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    InvalidUtf8, FramingViolationTest,
    ::testing::Values(
        // Checked as the fragments arrive: the first one is enough, the rest of the message never comes.
        Violation{"InTheFirstFragment", frame(op_text, text_with("\xff")), close_code::invalid_payload},
        Violation{"InALaterFragment", frame(op_text, "{\"type\":\"ping\",") + frame(fin | op_cont, "\"x\":\"\xfe\"}"),
                  close_code::invalid_payload},
        Violation{"CutAtTheEndOfTheLastFragment",
                  frame(op_text, "{\"type\":\"ping\",\"x\":\"") + frame(fin | op_cont, "\"}\xe2\x82"),
                  close_code::invalid_payload},
        Violation{"OverlongEncoding", frame(fin | op_text, text_with("\xc0\xaf")), close_code::invalid_payload},
        Violation{"Surrogate", frame(fin | op_text, text_with("\xed\xa0\x80")), close_code::invalid_payload},
        Violation{"AboveU10FFFF", frame(fin | op_text, text_with("\xf4\x90\x80\x80")), close_code::invalid_payload}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    TooBig, FramingViolationTest,
    ::testing::Values(
        // The most significant bit of a 64-bit length must be 0; the size check sees it first (limit 4096 here).
        Violation{"LengthWithTheTopBitSet", RawSocket::frame(fin | op_text, "", true, std::uint64_t{1} << 63),
                  close_code::too_big},
        Violation{"LargestLength", RawSocket::frame(fin | op_text, "", true, ~std::uint64_t{0}), close_code::too_big},
        // A message is measured across its fragments: the continuation's header already says it is too big.
        Violation{"FragmentsAddingUpPastTheLimit",
                  frame(op_text, "{\"type\":\"ping\",\"x\":\"" + std::string(3000, 'a')) +
                      RawSocket::frame(op_cont, "", true, 2000),
                  close_code::too_big}),
    [](const auto& info) { return info.param.name; });

TEST_F(BadInputTest, ValidFragmentationIsReassembled) {
  auto raw = open_raw();
  // A character split between fragments, empty fragments, and a ping between fragments are all allowed.
  raw->write(frame(op_text, "{\"type\":\"ping\",\"id\":7,\"x\":\"\xe2\x82") + frame(op_cont, "") +
             frame(fin | op_ping, "between") + frame(fin | op_cont, "\xac\"}"));
  auto pong = raw->read_frame();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->opcode, op_pong);
  EXPECT_EQ(pong->payload, "between");
  auto reply = raw->read_frame();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->opcode, op_text);
  EXPECT_EQ(reply->payload, R"({"type":"pong","id":7})");
  raw->write(frame(fin | op_close, close_payload(4321, "bye")));
  auto close = raw->read_frame();
  ASSERT_TRUE(close);
  EXPECT_EQ(RawSocket::close_code_of(*close), 4321);  // The server echoes a valid application code.
  EXPECT_TRUE(raw->read_to_eof().second);
  raw.reset();
  ASSERT_TRUE(app->closed.wait_count(1));
  EXPECT_EQ(app->closed.items()[0].reason.kind, CloseReason::Kind::client_closed);
  EXPECT_EQ(app->closed.items()[0].reason.code, 4321);
  EXPECT_EQ(app->closed.items()[0].reason.message, "bye");
  expect_server_recovered();
}

TEST_F(BadInputTest, FragmentedBinaryMessageGetsBinaryUnsupportedAndTheSessionGoesOn) {
  auto raw = open_raw();
  raw->write(frame(op_binary, "\x01\x02") + frame(fin | op_ping, "p") + frame(fin | op_cont, "\x03"));
  auto pong = raw->read_frame();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->opcode, op_pong);
  auto error = raw->read_frame();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->payload,
            R"({"type":"error","code":"binary_unsupported","message":"binary frames are not supported; send JSON text frames"})");
  raw->write(frame(fin | op_text, ping_json));
  auto reply = raw->read_frame();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->payload, R"({"type":"pong","id":1})");
  raw.reset();
  ASSERT_TRUE(app->closed.wait_count(1));
  expect_server_recovered();
}

// --- Truncated frames, then EOF: no close frame is owed, the session is cleaned up --------------------------

struct Truncation {
  std::string name;
  std::string bytes;
};

void PrintTo(const Truncation& c, std::ostream* os) { *os << c.name; }

class TruncatedFrameTest : public BadInputTest, public ::testing::WithParamInterface<Truncation> {};

TEST_P(TruncatedFrameTest, ThenEofCleansUp) {
  {
    auto raw = open_raw();
    raw->write(frame(fin | op_text, R"({"type":"subscribe","id":1,"channel":"cut"})"));
    auto ack = raw->read_frame();
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->payload, R"({"type":"ack","id":1})");
    raw->write(GetParam().bytes);
  }
  ASSERT_TRUE(app->closed.wait_count(1));
  EXPECT_EQ(app->closed.items()[0].reason.kind, CloseReason::Kind::network_error);
  expect_server_recovered();  // The channel "cut" went with its only subscriber.
}

INSTANTIATE_TEST_SUITE_P(
    Truncations, TruncatedFrameTest,
    ::testing::Values(Truncation{"FirstHeaderByteOnly", "\x81"},
                      Truncation{"InThe16BitLength", "\x81\xfe\x01"},
                      Truncation{"InThe64BitLength", std::string("\x81\xff\x00\x00\x00", 5)},
                      Truncation{"InTheMaskKey", "\x81\x85\x11\x22"},
                      Truncation{"InAPingPayload", frame(fin | op_ping, "heartbeat").substr(0, 9)},
                      Truncation{"InAClosePayload", frame(fin | op_close, close_payload(1000, "bye")).substr(0, 7)},
                      Truncation{"AfterTheFirstFragment", frame(op_text, "{\"type\":")},
                      Truncation{"InAContinuation",
                                 frame(op_text, "{\"type\":") + frame(fin | op_cont, "\"ping\"}").substr(0, 8)}),
    [](const auto& info) { return info.param.name; });

// --- Floods ----------------------------------------------------------------------------------------------------

constexpr int flood = 10'000;

// Writes `bytes` from another thread while the caller reads, so that neither side's buffers fill up. A write
// that fails (the server dropped the connection) ends the thread; the reading side reports it.
class Writer {
 public:
  Writer(RawSocket& raw, std::string bytes)
      : thread_([&raw, bytes = std::move(bytes)] {
          try {
            raw.write(bytes);
          } catch (const std::runtime_error&) {
          }
        }) {}
  ~Writer() { thread_.join(); }

 private:
  std::thread thread_;
};

// Reads `flood` frames, each of which must be `expected(i)` (opcode and payload). Reads on after a mismatch,
// so that the writer is never left blocked on a full buffer; stops only when the connection does.
void expect_answers(RawSocket& raw, std::uint8_t opcode, const std::function<std::string(int)>& expected) {
  int mismatches = 0;
  for (int i = 0; i < flood; ++i) {
    auto f = raw.read_frame();
    ASSERT_TRUE(f) << "the connection ended after " << i << " answers";
    if ((f->opcode != opcode || f->payload != expected(i)) && mismatches++ == 0) {
      ADD_FAILURE() << "answer " << i << ": opcode " << int(f->opcode) << ", payload " << f->payload;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST_F(BadInputTest, TenThousandWebSocketPingsAreEachAnsweredInOrder) {
  auto raw = open_raw();
  std::string pings;
  for (int i = 0; i < flood; ++i) pings += frame(fin | op_ping, std::to_string(i));
  {
    Writer writer(*raw, std::move(pings));
    expect_answers(*raw, op_pong, [](int i) { return std::to_string(i); });
  }
  raw->write(frame(fin | op_text, ping_json));
  auto reply = raw->read_frame();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->payload, R"({"type":"pong","id":1})");
  EXPECT_EQ(app->closed.size(), 0u);
  raw.reset();
  ASSERT_TRUE(app->closed.wait_count(1));
  expect_server_recovered();
}

TEST_F(BadInputTest, TenThousandApplicationPingsGetTenThousandPongsInOrder) {
  auto raw = open_raw();
  std::string pings;
  for (int i = 0; i < flood; ++i) pings += frame(fin | op_text, R"({"type":"ping","id":)" + std::to_string(i) + "}");
  {
    Writer writer(*raw, std::move(pings));
    expect_answers(*raw, op_text, [](int i) { return R"({"type":"pong","id":)" + std::to_string(i) + "}"; });
  }
  EXPECT_EQ(app->closed.size(), 0u);
  raw.reset();
  ASSERT_TRUE(app->closed.wait_count(1));
  expect_server_recovered();
}

// --- JSON at the edges, over a WebSocket connection of our client --------------------------------------------

struct JsonCase {
  std::string frame;
  std::string expected;  // The exact reply, or its beginning when it ends with "...".
};

std::string nested(int arrays, const std::string& inner = "") {
  return R"({"type":"ping","id":1,"x":)" + std::string(arrays, '[') + inner + std::string(arrays, ']') + "}";
}

TEST_F(BadInputTest, JsonEdgesGetTheirDocumentedReplyAndTheSessionGoesOn) {
  auto a = connect();
  const std::string bad_id = R"({"type":"error","code":"bad_field","message":"id must be an integer from 0 to 9007199254740991"})";
  const std::vector<JsonCase> cases = {
      // Nesting: the frame object is level 1, so 63 arrays inside it are the deepest allowed.
      {nested(63), R"({"type":"pong","id":1})"},
      // The frame is still an object with a valid id, so the error answers that request (docs/protocol.md, "error").
      {nested(64), R"({"type":"error","id":1,"code":"bad_json","message":"frame is nested deeper than 64 levels"})"},
      {nested(2000), R"({"type":"error","id":1,"code":"bad_json","message":"frame is nested deeper than 64 levels"})"},
      {R"({"type":"ping","id":2,"x":1e400})", R"({"type":"error","id":2,"code":"bad_json","message":"frame is not valid JSON: ...)"},
      {R"({"type":"ping","id":2,"x":-1e400})", R"({"type":"error","id":2,"code":"bad_json","message":"frame is not valid JSON: ...)"},
      {R"({"type":"ping","id":100000000000000000000})", bad_id},  // beyond 64 bits, as an integer
      {R"({"type":"ping","id":9007199254740992})", bad_id},
      {R"({"type":"ping","id":9007199254740991})", R"({"type":"pong","id":9007199254740991})"},
      {R"({"type":"ping","id":-1})", bad_id},
      {R"({"type":"ping","id":1.5})", bad_id},
      {R"({"type":"ping","id":true})", bad_id},
      {R"({"type":"ping","id":null})", bad_id},
      {R"({"type":5,"id":3})", R"({"type":"error","id":3,"code":"bad_field","message":"type must be a string"})"},
      {R"({"id":3})", R"({"type":"error","id":3,"code":"missing_field","message":"missing field \"type\""})"},
      {R"({"type":"subscribe","id":4,"channel":5})",
       R"({"type":"error","id":4,"code":"bad_field","message":"channel must be a string"})"},
      {R"({"type":"unsubscribe","id":4,"channel":["watch"]})",
       R"({"type":"error","id":4,"code":"bad_field","message":"channel must be a string"})"},
      {R"({"type":"publish","id":5,"channel":"watch","message":"hi"})",
       R"({"type":"error","id":5,"code":"bad_field","message":"message must be an object {\"className\": string, \"data\": any}"})"},
      {R"({"type":"send","id":5,"message":[1]})",
       R"({"type":"error","id":5,"code":"bad_field","message":"message must be an object {\"className\": string, \"data\": any}"})"},
      {R"({"type":"publish","id":6,"channel":"watch","message":{"className":7,"data":1}})",
       R"({"type":"error","id":6,"code":"bad_field","message":"message.className must be a string"})"},
      {R"({"type":"publish","id":6,"channel":"watch","message":{"className":"","data":1}})",
       R"({"type":"error","id":6,"code":"bad_field","message":"message.className must not be empty"})"},
      {R"({"type":"ping","id":7} {"type":"ping"})",
       R"({"type":"error","code":"bad_json","message":"frame has content after the JSON value"})"},
      {"", R"({"type":"error","code":"bad_json","message":"frame is not valid JSON: ...)"},
      {"{\"type\":\"ping\",\"x\":\"a\x01z\"}", R"({"type":"error","code":"bad_json","message":"frame is not valid JSON: ...)"},
      {R"({"type":"ping","x":"\ud800"})", R"({"type":"error","code":"bad_json","message":"frame is not valid JSON: ...)"},
  };
  for (const auto& c : cases) {
    const auto before = a->frames.size();
    (*a)->send_text(c.frame);
    ASSERT_TRUE(a->frames.wait_count(before + 1)) << c.frame.substr(0, 200);
    const auto got = a->frames.items()[before];
    if (c.expected.ends_with("...")) {
      EXPECT_TRUE(got.starts_with(c.expected.substr(0, c.expected.size() - 3)))
          << "for " << c.frame.substr(0, 200) << "\n got " << got;
    } else {
      EXPECT_EQ(got, c.expected) << "for " << c.frame.substr(0, 200);
    }
    ASSERT_TRUE((*a)->ping().get().ok()) << "session broken after " << c.frame.substr(0, 200);
  }
  EXPECT_TRUE(a->closes.items().empty());
  a.reset();
  ASSERT_TRUE(app->closed.wait_count(1));
  expect_server_recovered();
}

TEST_F(BadInputTest, LongIntegersInDataAndEscapedChannelNamesArriveAsSent) {
  auto a = connect();
  (*a)->send_text(R"({"type":"subscribe","id":1,"channel":"w\u0061tch2"})");  // "watch2", escaped
  ASSERT_TRUE(a->frames.wait([](auto& f) { return f.back() == R"({"type":"ack","id":1})"; })) << a->frames.items().back();
  // Integers far beyond 64 bits (within a double's range) are valid JSON, forwarded digit for digit.
  const std::string data = "[" + std::string(300, '9') + ",-" + std::string(300, '1') + "]";
  const auto published = (*bystander)->publish("watch2", Message{"Big", data}).get();
  ASSERT_TRUE(published.ok()) << published.error << ": " << published.message;
  ASSERT_TRUE(a->messages.wait_count(1));
  EXPECT_EQ(a->messages.items()[0].channel, "watch2");
  EXPECT_EQ(a->messages.items()[0].message.data, data);
  a.reset();
  ASSERT_TRUE(app->closed.wait_count(1));
  expect_server_recovered();
}

}  // namespace
}  // namespace switchboard::testing
