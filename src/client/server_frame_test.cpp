#include "client/server_frame.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace switchboard::client {
namespace {

// Decodes `text`, expecting success, and returns the frame as the alternative T.
template <class T>
T decode_as(std::string_view text) {
  ServerFrameDecoder decoder;
  std::string error;
  auto frame = decoder.decode(text, error);
  EXPECT_TRUE(frame.has_value()) << "decode failed: " << error << "\n  frame: " << text;
  if (!frame) return T{};
  EXPECT_TRUE(std::holds_alternative<T>(*frame)) << "wrong frame type for: " << text;
  if (!std::holds_alternative<T>(*frame)) return T{};
  return std::get<T>(std::move(*frame));
}

// Decodes `text`, expecting failure, and returns the error sentence.
std::string decode_error(std::string_view text) {
  ServerFrameDecoder decoder;
  std::string error;
  auto frame = decoder.decode(text, error);
  EXPECT_FALSE(frame.has_value()) << "decode unexpectedly succeeded: " << text;
  EXPECT_FALSE(error.empty()) << "no error text for: " << text;
  return error;
}

// The raw `data` of a message frame carrying `data_text` verbatim.
std::string data_of(std::string_view data_text) {
  std::string frame = R"({"type":"message","channel":"c","seq":1,"message":{"className":"X","data":)";
  frame.append(data_text);
  frame.append("}}");
  return decode_as<ChannelMessage>(frame).message.data;
}

TEST(ServerFrame, DecodesWelcome) {
  auto w = decode_as<Welcome>(
      R"({"type":"welcome","session":"513","protocol":1,"server":"switchboard/0.1.0","heartbeatMs":25000,)"
      R"("limits":{"maxMessageBytes":65536}})");
  EXPECT_EQ(w.session, "513");
  EXPECT_EQ(w.protocol, 1);
  EXPECT_EQ(w.server, "switchboard/0.1.0");
  EXPECT_EQ(w.heartbeat, std::chrono::milliseconds(25000));
  EXPECT_EQ(w.max_message_bytes, 65536u);
}

TEST(ServerFrame, DecodesAckWithAndWithoutSeq) {
  auto plain = decode_as<AckFrame>(R"({"type":"ack","id":1})");
  EXPECT_EQ(plain.id, 1u);
  EXPECT_EQ(plain.seq, 0u);
  auto publish = decode_as<AckFrame>(R"({"type":"ack","id":2,"seq":17})");
  EXPECT_EQ(publish.id, 2u);
  EXPECT_EQ(publish.seq, 17u);
  auto max_id = decode_as<AckFrame>(R"({"type":"ack","id":9007199254740991})");
  EXPECT_EQ(max_id.id, 9007199254740991u);
}

TEST(ServerFrame, DecodesErrorWithAndWithoutId) {
  auto with_id = decode_as<ErrorFrame>(R"({"type":"error","id":1,"code":"invalid_channel","message":"bad \"x\""})");
  ASSERT_TRUE(with_id.id.has_value());
  EXPECT_EQ(*with_id.id, 1u);
  EXPECT_EQ(with_id.code, "invalid_channel");
  EXPECT_EQ(with_id.message, "bad \"x\"");
  auto without = decode_as<ErrorFrame>(R"({"type":"error","code":"bad_json","message":"frame is not valid JSON"})");
  EXPECT_FALSE(without.id.has_value());
  EXPECT_EQ(without.code, "bad_json");
}

TEST(ServerFrame, DecodesChannelMessage) {
  auto m = decode_as<ChannelMessage>(
      R"({"type":"message","channel":"chat","seq":17,)"
      R"("message":{"className":"ChatMessage","data":{"text":"hi","sender":"ada"}}})");
  EXPECT_EQ(m.channel, "chat");
  EXPECT_EQ(m.seq, 17u);
  EXPECT_EQ(m.message.class_name, "ChatMessage");
  EXPECT_EQ(m.message.data, R"({"text":"hi","sender":"ada"})");
}

TEST(ServerFrame, DecodesPushWithAndWithoutGroup) {
  auto direct = decode_as<Push>(R"({"type":"push","message":{"className":"Notice","data":{"text":"at 18:00"}}})");
  EXPECT_EQ(direct.message.class_name, "Notice");
  EXPECT_EQ(direct.message.data, R"({"text":"at 18:00"})");
  EXPECT_EQ(direct.group, "");
  auto group = decode_as<Push>(R"({"type":"push","group":"admins","message":{"className":"Notice","data":null}})");
  EXPECT_EQ(group.group, "admins");
  EXPECT_EQ(group.message.data, "null");
}

TEST(ServerFrame, DecodesPongWithAndWithoutId) {
  auto with_id = decode_as<PongFrame>(R"({"type":"pong","id":4})");
  ASSERT_TRUE(with_id.id.has_value());
  EXPECT_EQ(*with_id.id, 4u);
  EXPECT_FALSE(decode_as<PongFrame>(R"({"type":"pong"})").id.has_value());
}

TEST(ServerFrame, DecodesChannelGapAndPushGap) {
  auto range = decode_as<Gap>(R"({"type":"gap","channel":"chat","fromSeq":1017,"toSeq":1342})");
  EXPECT_EQ(range.channel, "chat");
  EXPECT_EQ(range.from_seq, 1017u);
  EXPECT_EQ(range.to_seq, 1342u);
  EXPECT_EQ(range.pushes, 0u);
  auto one = decode_as<Gap>(R"({"toSeq":7,"fromSeq":7,"later":[1],"channel":"room:x","type":"gap"})");
  EXPECT_EQ(one.channel, "room:x");
  EXPECT_EQ(one.from_seq, 7u);
  EXPECT_EQ(one.to_seq, 7u);
  auto pushes = decode_as<Gap>(R"({"type":"gap","pushes":3})");
  EXPECT_EQ(pushes.channel, "");
  EXPECT_EQ(pushes.from_seq, 0u);
  EXPECT_EQ(pushes.to_seq, 0u);
  EXPECT_EQ(pushes.pushes, 3u);
}

TEST(ServerFrame, GapIsEitherARangeOrAPushCount) {
  const std::string either = "gap frame must have either \"channel\" (with \"fromSeq\" and \"toSeq\") or \"pushes\"";
  EXPECT_EQ(decode_error(R"({"type":"gap"})"), either);
  EXPECT_EQ(decode_error(R"({"type":"gap","fromSeq":1,"toSeq":2})"), either);
  EXPECT_EQ(decode_error(R"({"type":"gap","channel":"c","fromSeq":1,"toSeq":2,"pushes":1})"), either);
  EXPECT_EQ(decode_error(R"({"type":"gap","channel":"c","toSeq":2})"), "gap frame has no field \"fromSeq\"");
  EXPECT_EQ(decode_error(R"({"type":"gap","channel":"c","fromSeq":1})"), "gap frame has no field \"toSeq\"");
  EXPECT_EQ(decode_error(R"({"type":"gap","channel":"","fromSeq":1,"toSeq":2})"),
            "gap frame: field \"channel\" is empty");
  EXPECT_EQ(decode_error(R"({"type":"gap","channel":"c","fromSeq":-1,"toSeq":2})"),
            "gap frame: field \"fromSeq\" is not an unsigned 64-bit integer");
  EXPECT_EQ(decode_error(R"({"type":"gap","channel":"c","fromSeq":1,"toSeq":"2"})"),
            "gap frame: field \"toSeq\" is not an unsigned 64-bit integer");
  EXPECT_EQ(decode_error(R"({"type":"gap","channel":"c","fromSeq":0,"toSeq":2})"),
            "gap frame: \"fromSeq\" 0 and \"toSeq\" 2 are not a range 1 <= fromSeq <= toSeq");
  EXPECT_EQ(decode_error(R"({"type":"gap","channel":"c","fromSeq":5,"toSeq":4})"),
            "gap frame: \"fromSeq\" 5 and \"toSeq\" 4 are not a range 1 <= fromSeq <= toSeq");
  EXPECT_EQ(decode_error(R"({"type":"gap","pushes":0})"), "gap frame: field \"pushes\" is 0");
  EXPECT_EQ(decode_error(R"({"type":"gap","pushes":1.5})"),
            "gap frame: field \"pushes\" is not an unsigned 64-bit integer");
  EXPECT_NE(decode_error(R"({"type":"gap","channel":7,"fromSeq":1,"toSeq":2})").find("\"channel\" is not a string"),
            std::string::npos);
}

TEST(ServerFrame, FieldOrderDoesNotMatter) {
  auto m = decode_as<ChannelMessage>(
      R"({"message":{"data":[1,2],"className":"X"},"seq":3,"channel":"c","type":"message"})");
  EXPECT_EQ(m.channel, "c");
  EXPECT_EQ(m.seq, 3u);
  EXPECT_EQ(m.message.class_name, "X");
  EXPECT_EQ(m.message.data, "[1,2]");
}

TEST(ServerFrame, UnknownFieldsAreIgnored) {
  auto a = decode_as<AckFrame>(R"({"future":{"deep":[1,{"x":null}]},"type":"ack","id":7,"note":"x","more":[]})");
  EXPECT_EQ(a.id, 7u);
  // A field the type does not use may have any JSON type.
  auto p = decode_as<Push>(R"({"type":"push","seq":"not a number","message":{"className":"N","data":1,"v":2}})");
  EXPECT_EQ(p.message.data, "1");
}

TEST(ServerFrame, RawDataObjectKeepsInnerBytesAndDropsOuterWhitespace) {
  EXPECT_EQ(data_of(R"(  { "a" : 1 ,"b":[ true, false ] , "c":{} }  )"),
            R"({ "a" : 1 ,"b":[ true, false ] , "c":{} })");
  EXPECT_EQ(data_of("\n\t{\"x\":\r\n1}\n"), "{\"x\":\r\n1}");
  EXPECT_EQ(data_of("{}"), "{}");
}

TEST(ServerFrame, RawDataArray) {
  EXPECT_EQ(data_of(R"([1, "two", [3], {"four": 4}, null])"), R"([1, "two", [3], {"four": 4}, null])");
  EXPECT_EQ(data_of(" [ ] "), "[ ]");
}

TEST(ServerFrame, RawDataStringKeepsEscapes) {
  EXPECT_EQ(data_of(R"("a\"b\\c\n\u00e9\ud83d\ude00/")"), R"("a\"b\\c\n\u00e9\ud83d\ude00/")");
  EXPECT_EQ(data_of("\"h\xC3\xA9llo\"  "), "\"h\xC3\xA9llo\"");
  EXPECT_EQ(data_of(R"("")"), R"("")");
}

TEST(ServerFrame, RawDataNumbersAndLiterals) {
  EXPECT_EQ(data_of("0"), "0");
  EXPECT_EQ(data_of(" -1.5e+10 "), "-1.5e+10");
  EXPECT_EQ(data_of("18446744073709551615"), "18446744073709551615");
  EXPECT_EQ(data_of("3.141592653589793238462643383279"), "3.141592653589793238462643383279");
  EXPECT_EQ(data_of("123456789012345678901234567890"), "123456789012345678901234567890");
  EXPECT_EQ(data_of("-0.0e-5"), "-0.0e-5");
  EXPECT_EQ(data_of("null"), "null");
  EXPECT_EQ(data_of("true"), "true");
  EXPECT_EQ(data_of("false "), "false");
}

TEST(ServerFrame, RawDataBeforeClassNameAndFollowedByFields) {
  auto m = decode_as<ChannelMessage>(
      R"({"type":"message","channel":"c","seq":1,"message":{"data": "x" ,"className":"X"},"extra":1})");
  EXPECT_EQ(m.message.data, R"("x")");
  EXPECT_EQ(m.message.class_name, "X");
}

TEST(ServerFrame, DecoderIsReusableAndResultsOutliveIt) {
  ServerFrameDecoder decoder;
  std::string error;
  auto first = decoder.decode(R"({"type":"push","message":{"className":"A","data":{"n":1}}})", error);
  auto bad = decoder.decode("{", error);
  auto second = decoder.decode(std::string(5000, ' ') + R"({"type":"pong","id":9})", error);
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(bad);
  EXPECT_EQ(std::get<Push>(*first).message.data, R"({"n":1})");
  EXPECT_EQ(*std::get<PongFrame>(*second).id, 9u);
}

TEST(ServerFrame, LargeData) {
  std::string big = "[";
  for (int i = 0; i < 20000; ++i) big += (i ? ",\"item\"" : "\"item\"");
  big += "]";
  EXPECT_EQ(data_of(big), big);
}

TEST(ServerFrame, DeepNestingIsBoundedByTheParser) {
  const std::string ok = std::string(1000, '[') + std::string(1000, ']');
  EXPECT_EQ(data_of(ok), ok);
  // Far past the depth limit (1024): an error, not a stack overflow.
  std::string deep = R"({"type":"push","message":{"className":"X","data":)";
  deep += std::string(100000, '[') + std::string(100000, ']') + "}}";
  EXPECT_NE(decode_error(deep).find("too deep"), std::string::npos);
}

TEST(ServerFrame, GarbageIsAnError) {
  for (const char* text : {"", " ", "{", "}", "not json", "{\"type\":\"ack\",\"id\":1", "{\"type\":\"ack\" \"id\":1}",
                           "{\"type\":\"ack\",\"id\":1}}", "{\"type\":\"ack\",\"id\":1} x",
                           "{\"type\":\"ack\",\"id\":1}{}",
                           "{\"type\":\"ack\",\"id\":1,}", "{type:\"ack\"}", "\xFF\xFE", "{\"type\":\"a\xC3\"}",
                           "{\"type\":\"ack\",\"id\":1,\"x\":\"unterminated}"}) {
    decode_error(text);
  }
}

TEST(ServerFrame, NotAnObjectIsAnError) {
  EXPECT_EQ(decode_error("[1,2]"), "frame is not a JSON object");
  EXPECT_EQ(decode_error("\"welcome\""), "frame is not a JSON object");
  EXPECT_EQ(decode_error("42"), "frame is not a JSON object");
  EXPECT_EQ(decode_error("null"), "frame is not a JSON object");
}

TEST(ServerFrame, TypeProblems) {
  EXPECT_EQ(decode_error("{}"), "server frame has no field \"type\"");
  EXPECT_EQ(decode_error(R"({"id":1})"), "server frame has no field \"type\"");
  EXPECT_NE(decode_error(R"({"type":7})").find("\"type\" is not a string"), std::string::npos);
  EXPECT_EQ(decode_error(R"({"type":"subscribe","id":1})"), "unknown frame type \"subscribe\"");
}

TEST(ServerFrame, MissingFieldsAreErrors) {
  EXPECT_EQ(decode_error(R"({"type":"ack"})"), "ack frame has no field \"id\"");
  EXPECT_EQ(decode_error(R"({"type":"error","code":"x"})"), "error frame has no field \"message\"");
  EXPECT_EQ(decode_error(R"({"type":"error","message":"x"})"), "error frame has no field \"code\"");
  EXPECT_EQ(decode_error(R"({"type":"message","seq":1,"message":{"className":"X","data":1}})"),
            "message frame has no field \"channel\"");
  EXPECT_EQ(decode_error(R"({"type":"message","channel":"c","message":{"className":"X","data":1}})"),
            "message frame has no field \"seq\"");
  EXPECT_EQ(decode_error(R"({"type":"message","channel":"c","seq":1})"), "message frame has no field \"message\"");
  EXPECT_EQ(decode_error(R"({"type":"push"})"), "push frame has no field \"message\"");
  EXPECT_EQ(decode_error(R"({"type":"push","message":{"className":"X"}})"),
            "push frame: field \"message\" has no \"data\"");
  EXPECT_EQ(decode_error(R"({"type":"push","message":{"data":1}})"),
            "push frame: field \"message\" has no \"className\"");
  EXPECT_EQ(decode_error(R"({"type":"welcome","session":"1","protocol":1,"server":"s","heartbeatMs":1})"),
            "welcome frame has no field \"limits.maxMessageBytes\"");
  EXPECT_EQ(decode_error(R"({"type":"welcome","session":"1","protocol":1,"server":"s","heartbeatMs":1,"limits":{}})"),
            "welcome frame has no field \"limits.maxMessageBytes\"");
  EXPECT_EQ(decode_error(
                R"({"type":"welcome","protocol":1,"server":"s","heartbeatMs":1,"limits":{"maxMessageBytes":1}})"),
            "welcome frame has no field \"session\"");
}

TEST(ServerFrame, BadFieldValuesAreErrors) {
  EXPECT_EQ(decode_error(R"({"type":"ack","id":-1})"), "ack frame: field \"id\" is not an unsigned 64-bit integer");
  EXPECT_EQ(decode_error(R"({"type":"ack","id":"1"})"), "ack frame: field \"id\" is not an unsigned 64-bit integer");
  EXPECT_EQ(decode_error(R"({"type":"ack","id":1.5})"), "ack frame: field \"id\" is not an unsigned 64-bit integer");
  EXPECT_EQ(decode_error(R"({"type":"ack","id":18446744073709551616})"),
            "ack frame: field \"id\" is not an unsigned 64-bit integer");
  EXPECT_EQ(decode_error(R"({"type":"ack","id":1,"seq":null})"),
            "ack frame: field \"seq\" is not an unsigned 64-bit integer");
  EXPECT_EQ(decode_error(R"({"type":"pong","id":true})"), "pong frame: field \"id\" is not an unsigned 64-bit integer");
  EXPECT_EQ(decode_error(R"({"type":"push","group":1,"message":{"className":"X","data":1}})"),
            "push frame: field \"group\" is not a string (The JSON element does not have the requested type.)");
  EXPECT_EQ(decode_error(R"({"type":"push","message":"text"})"), "push frame has no field \"message\"");
  EXPECT_EQ(decode_error(R"({"type":"error","code":"x","message":{"className":"X","data":1}})"),
            "error frame has no field \"message\"");
  EXPECT_EQ(decode_error(R"({"type":"push","message":[1]})"),
            "push frame: field \"message\" is neither a string nor an object");
  EXPECT_EQ(decode_error(R"({"type":"push","message":{"className":"","data":1}})"),
            "push frame: field \"message.className\" is empty");
  EXPECT_EQ(decode_error(R"({"type":"push","message":{"className":3,"data":1}})"),
            "push frame: field \"message.className\" is not a string");
  EXPECT_EQ(decode_error(R"({"type":"welcome","session":"1","protocol":1,"server":"s","heartbeatMs":1,"limits":7})"),
            "welcome frame: field \"limits\" is not an object");
  EXPECT_EQ(
      decode_error(R"({"type":"welcome","session":"1","protocol":4294967296,"server":"s","heartbeatMs":1,)"
                   R"("limits":{"maxMessageBytes":1}})"),
      "welcome frame: field \"protocol\" is not an int");
}

TEST(ServerFrame, InvalidDataIsAnError) {
  for (const char* data : {"tru", "nul", "01", "1.", "-", "{\"a\":tru}", "[1,,2]", "[1 2]", "{\"a\" 1}", "{\"a\":1,}",
                           "[\"bad \\x escape\"]", "{1:2}", "[nulll]", "\"\\u12\"", "1e400x"}) {
    std::string frame = R"({"type":"push","message":{"className":"X","data":)";
    frame.append(data);
    frame.append("}}");
    // Broken structure is found by the frame-level parse, a broken value inside `data` by its validation.
    const std::string error = decode_error(frame);
    EXPECT_TRUE(error.find("message.data") != std::string::npos || error.starts_with("bad JSON"))
        << data << " -> " << error;
  }
}

}  // namespace
}  // namespace switchboard::client
