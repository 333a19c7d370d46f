#include "channels/channel_name.hpp"

#include <gtest/gtest.h>

namespace switchboard::channels {
namespace {

TEST(ChannelName, AcceptsTheDocumentedAlphabet) {
  EXPECT_EQ(check_name("chat"), std::nullopt);
  EXPECT_EQ(check_name("room:42"), std::nullopt);
  EXPECT_EQ(check_name("user@example.com/feed_1-a=b"), std::nullopt);
  EXPECT_EQ(check_name(std::string(max_name_bytes, 'x')), std::nullopt);
}

TEST(ChannelName, RejectsEmpty) { EXPECT_EQ(check_name(""), "channel name must not be empty"); }

TEST(ChannelName, RejectsTooLongAndSaysTheLimit) {
  EXPECT_EQ(check_name(std::string(max_name_bytes + 1, 'x')), "channel name is 129 bytes long; the limit is 128");
}

TEST(ChannelName, RejectsOtherCharactersAndSaysWhere) {
  EXPECT_EQ(check_name("bad channel"),
            "channel name has a character outside A-Z a-z 0-9 _ - : . @ / = at byte 3");
  EXPECT_TRUE(check_name("caf\xc3\xa9"));
  EXPECT_TRUE(check_name(std::string("a\0b", 3)));
  EXPECT_TRUE(check_name("*"));
}

}  // namespace
}  // namespace switchboard::channels
