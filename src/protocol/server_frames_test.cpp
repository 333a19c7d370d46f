#include "protocol/server_frames.hpp"

#include <gtest/gtest.h>

namespace switchboard::protocol {
namespace {

TEST(ServerFrames, WelcomeMatchesTheSpecExample) {
  EXPECT_EQ(welcome_frame({513, "switchboard/0.1.0", std::chrono::milliseconds(25000), 65536, 1000}),
            R"({"type":"welcome","session":"513","protocol":1,"server":"switchboard/0.1.0","heartbeatMs":25000,"limits":{"maxMessageBytes":65536,"maxSubscriptions":1000}})");
}

TEST(ServerFrames, WelcomeCarriesThePublishRateOnlyWhenLimited) {
  EXPECT_EQ(welcome_frame({7, "s", std::chrono::milliseconds(1), 10, 0, 2.5, 5}),
            R"({"type":"welcome","session":"7","protocol":1,"server":"s","heartbeatMs":1,"limits":{"maxMessageBytes":10,"maxSubscriptions":0,"publishRate":2.5,"publishBurst":5}})");
}

TEST(ServerFrames, Gap) {
  EXPECT_EQ(gap_frame("chat", 1017, 1342), R"({"type":"gap","channel":"chat","fromSeq":1017,"toSeq":1342})");
  EXPECT_EQ(gap_frame(3), R"({"type":"gap","pushes":3})");
}

TEST(ServerFrames, Ack) {
  EXPECT_EQ(ack_frame(1), R"({"type":"ack","id":1})");
  EXPECT_EQ(ack_frame(2, 17), R"({"type":"ack","id":2,"seq":17})");
}

TEST(ServerFrames, ErrorWithAndWithoutId) {
  EXPECT_EQ(error_frame(1, error::invalid_channel, "bad \"name\""),
            R"({"type":"error","id":1,"code":"invalid_channel","message":"bad \"name\""})");
  EXPECT_EQ(error_frame(std::nullopt, error::bad_json, "x"), R"({"type":"error","code":"bad_json","message":"x"})");
}

TEST(ServerFrames, MessageCarriesDataAsIs) {
  EXPECT_EQ(message_frame("chat", 17, "ChatMessage", R"({"text":"hi","sender":"ada"})"),
            R"({"type":"message","channel":"chat","seq":17,"message":{"className":"ChatMessage","data":{"text":"hi","sender":"ada"}}})");
}

TEST(ServerFrames, PushWithAndWithoutGroup) {
  EXPECT_EQ(push_frame("Notice", R"({"text":"x"})"),
            R"({"type":"push","message":{"className":"Notice","data":{"text":"x"}}})");
  EXPECT_EQ(push_frame("Notice", "null", "admins"),
            R"({"type":"push","group":"admins","message":{"className":"Notice","data":null}})");
}

TEST(ServerFrames, Pong) {
  EXPECT_EQ(pong_frame(4), R"({"type":"pong","id":4})");
  EXPECT_EQ(pong_frame(std::nullopt), R"({"type":"pong"})");
}

TEST(ServerFrames, EscapesControlCharacters) {
  EXPECT_EQ(error_frame(std::nullopt, error::bad_json, std::string("a\n\x01\\", 4)),
            R"({"type":"error","code":"bad_json","message":"a\n\u0001\\"})");
}

}  // namespace
}  // namespace switchboard::protocol
