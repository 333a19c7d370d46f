#include "protocol/client_frame.hpp"

#include <gtest/gtest.h>

namespace switchboard::protocol {
namespace {

using Type = ClientFrame::Type;

class ClientFrameTest : public ::testing::Test {
 protected:
  ClientFrame ok(std::string_view text) {
    auto r = decoder.decode(text);
    if (auto* e = std::get_if<DecodeError>(&r)) {
      ADD_FAILURE() << "unexpected error " << to_wire_code(e->code) << ": " << e->message;
      return {};
    }
    return std::get<ClientFrame>(r);
  }
  DecodeError fails(std::string_view text) {
    auto r = decoder.decode(text);
    if (!std::holds_alternative<DecodeError>(r)) {
      ADD_FAILURE() << "decoded without error: " << text;
      return {};
    }
    return std::get<DecodeError>(r);
  }
  ClientFrameDecoder decoder;
};

TEST_F(ClientFrameTest, Subscribe) {
  auto f = ok(R"({"type":"subscribe","id":1,"channel":"chat"})");
  EXPECT_EQ(f.type, Type::subscribe);
  EXPECT_EQ(f.id, 1u);
  EXPECT_EQ(f.channel, "chat");
}

TEST_F(ClientFrameTest, FieldOrderDoesNotMatterAndUnknownFieldsAreIgnored) {
  auto f = ok(R"( {"channel":"chat","extra":{"a":[1,2]},"id":7,"type":"unsubscribe"} )");
  EXPECT_EQ(f.type, Type::unsubscribe);
  EXPECT_EQ(f.id, 7u);
  EXPECT_EQ(f.channel, "chat");
}

TEST_F(ClientFrameTest, PublishKeepsDataByteForByte) {
  auto f = ok(R"({"type":"publish","id":2,"channel":"chat","message":{"className":"ChatMessage","data":{"text":"h\u00e9 \"x\"","n":[1,2.5e3,null]} }})");
  EXPECT_EQ(f.type, Type::publish);
  EXPECT_EQ(f.class_name, "ChatMessage");
  EXPECT_EQ(f.data, R"({"text":"h\u00e9 \"x\"","n":[1,2.5e3,null]})");
}

TEST_F(ClientFrameTest, ScalarDataIsTrimmed) {
  EXPECT_EQ(ok(R"({"type":"send","message":{"data":42 ,"className":"N"}})").data, "42");
  EXPECT_EQ(ok(R"({"type":"send","message":{"className":"S","data":"a b"}})").data, R"("a b")");
  EXPECT_EQ(ok(R"({"type":"send","message":{"className":"S","data":null}})").data, "null");
  EXPECT_EQ(ok(R"({"type":"send","message":{"className":"S","data":[ ]}})").data, "[ ]");
}

TEST_F(ClientFrameTest, PingWithAndWithoutId) {
  EXPECT_EQ(ok(R"({"type":"ping"})").id, std::nullopt);
  EXPECT_EQ(ok(R"({"type":"ping","id":9007199254740991})").id, 9007199254740991u);
}

TEST_F(ClientFrameTest, BadJson) {
  for (auto text : {"{not json", "", "{\"type\":\"ping\"", "{\"type\":\"ping\"} x", "{\"type\":\"ping\",\"x\":tru}",
                    "{\"type\":\"ping\",\"x\":01}", "{\"type\":\"ping\",\"x\":\"\\q\"}", "nul"}) {
    auto e = fails(text);
    EXPECT_EQ(e.code, error::bad_json) << text;
    EXPECT_EQ(e.id, std::nullopt) << text;
  }
}

TEST_F(ClientFrameTest, DeepNestingIsBadJson) {
  std::string deep = R"({"type":"ping","x":)" + std::string(100, '[') + std::string(100, ']') + "}";
  auto e = fails(deep);
  EXPECT_EQ(e.code, error::bad_json);
  EXPECT_EQ(e.message, "frame is nested deeper than 64 levels");
}

TEST_F(ClientFrameTest, HugeNestingIsRefusedWithoutExhaustingTheStack) {
  for (std::string open : {"[", "{\"a\":"}) {
    std::string deep;
    for (int i = 0; i < 100000; ++i) deep += open;
    EXPECT_EQ(fails(deep).code, error::bad_json);
    EXPECT_EQ(fails(R"({"type":"ping","x":)" + deep).code, error::bad_json);
  }
}

TEST_F(ClientFrameTest, NumbersInDataAreValidatedAndKept) {
  EXPECT_EQ(ok(R"({"type":"send","message":{"className":"N","data":[-0.5e-3,18446744073709551615,1]}})").data,
            "[-0.5e-3,18446744073709551615,1]");
  EXPECT_EQ(fails(R"({"type":"send","message":{"className":"N","data":[1,-]}})").code, error::bad_json);
  EXPECT_EQ(fails(R"({"type":"send","message":{"className":"N","data":[1.]}})").code, error::bad_json);
  // Integers past 64 bits are valid JSON and travel as written; numbers past a double's range are refused.
  EXPECT_EQ(ok(R"({"type":"send","message":{"className":"N","data":123456789012345678901234567890}})").data,
            "123456789012345678901234567890");
  EXPECT_EQ(fails(R"({"type":"send","message":{"className":"N","data":1e400}})").code, error::bad_json);
}

TEST_F(ClientFrameTest, BadJsonInsideAReadableObjectKeepsTheRequestId) {
  // The request can be answered: the client's publish must not wait for a timeout.
  auto e = fails(R"({"type":"publish","id":5,"channel":"c","message":{"className":"N","data":[1e400]}})");
  EXPECT_EQ(e.code, error::bad_json);
  EXPECT_EQ(e.id, 5u);
  e = fails(R"({"type":"ping","x":)" + std::string(100, '[') + std::string(100, ']') + R"(,"id":7})");
  EXPECT_EQ(e.message, "frame is nested deeper than 64 levels");
  EXPECT_EQ(e.id, 7u);
  EXPECT_EQ(fails(R"({"type":"ping","x":"\q","id":8})").id, 8u);
  // No valid id to give back: none.
  EXPECT_EQ(fails(R"({"type":"ping","id":1e400})").id, std::nullopt);
  EXPECT_EQ(fails(R"({"type":"ping","id":-1,"x":1e400})").id, std::nullopt);
  EXPECT_EQ(fails(R"([1e400,{"id":3}])").id, std::nullopt);
}

TEST_F(ClientFrameTest, NotObject) {
  for (auto text : {"[1,2]", "42", "\"subscribe\"", "null", "true"}) {
    EXPECT_EQ(fails(text).code, error::not_object) << text;
  }
}

TEST_F(ClientFrameTest, UnknownTypeCarriesTheId) {
  auto e = fails(R"({"type":"nope","id":9})");
  EXPECT_EQ(e.code, error::unknown_type);
  EXPECT_EQ(e.id, 9u);
  EXPECT_NE(e.message.find("\"nope\""), std::string::npos);
}

TEST_F(ClientFrameTest, MissingFieldsAreNamed) {
  auto e = fails(R"({"id":3})");
  EXPECT_EQ(e.code, error::missing_field);
  EXPECT_EQ(e.message, "missing field \"type\"");
  EXPECT_EQ(e.id, 3u);
  EXPECT_EQ(fails(R"({"type":"subscribe","id":10})").message, "missing field \"channel\"");
  EXPECT_EQ(fails(R"({"type":"subscribe","channel":"x"})").message, "missing field \"id\"");
  EXPECT_EQ(fails(R"({"type":"publish","id":1,"channel":"x"})").message, "missing field \"message\"");
  EXPECT_EQ(fails(R"({"type":"publish","id":1,"channel":"x","message":{"data":1}})").message,
            "missing field \"message.className\"");
  EXPECT_EQ(fails(R"({"type":"send","message":{"className":"X"}})").message, "missing field \"message.data\"");
}

TEST_F(ClientFrameTest, MistypedFieldsAreBadField) {
  auto e = fails(R"({"type":5,"id":4})");
  EXPECT_EQ(e.code, error::bad_field);
  EXPECT_EQ(e.message, "type must be a string");
  EXPECT_EQ(e.id, 4u);  // The id is found wherever it is in the object.
  EXPECT_EQ(fails(R"({"type":"subscribe","id":"1","channel":"x"})").code, error::bad_field);
  EXPECT_EQ(fails(R"({"type":"subscribe","id":-1,"channel":"x"})").code, error::bad_field);
  EXPECT_EQ(fails(R"({"type":"subscribe","id":1.5,"channel":"x"})").code, error::bad_field);
  EXPECT_EQ(fails(R"({"type":"subscribe","id":9007199254740992,"channel":"x"})").code, error::bad_field);
  auto c = fails(R"({"type":"subscribe","id":1,"channel":7})");
  EXPECT_EQ(c.code, error::bad_field);
  EXPECT_EQ(c.message, "channel must be a string");
  EXPECT_EQ(c.id, 1u);
  EXPECT_EQ(fails(R"({"type":"publish","id":1,"channel":"x","message":"hi"})").code, error::bad_field);
  EXPECT_EQ(fails(R"({"type":"publish","id":1,"channel":"x","message":{"className":1,"data":1}})").code,
            error::bad_field);
  EXPECT_EQ(fails(R"({"type":"publish","id":1,"channel":"x","message":{"className":"","data":1}})").message,
            "message.className must not be empty");
}

TEST_F(ClientFrameTest, DecoderIsReusable) {
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(ok(R"({"type":"subscribe","id":1,"channel":"c"})").channel, "c");
    EXPECT_EQ(fails("{").code, error::bad_json);
  }
}

}  // namespace
}  // namespace switchboard::protocol
