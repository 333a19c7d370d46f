#include "net/url.hpp"

#include <gtest/gtest.h>

namespace switchboard::server::net_url {
namespace {

TEST(Url, SplitsPathAndQuery) {
  EXPECT_EQ(split_target("/ws?user=ada"), std::make_pair(std::string_view("/ws"), std::string_view("user=ada")));
  EXPECT_EQ(split_target("/ws"), std::make_pair(std::string_view("/ws"), std::string_view()));
}

TEST(Url, DecodesPercentAndPlus) {
  EXPECT_EQ(decode("a%20b+c%2Fd"), "a b c/d");
  EXPECT_EQ(decode("100%"), "100%");
  EXPECT_EQ(decode("%zz"), "%zz");
}

TEST(Url, ParsesQuery) {
  auto q = parse_query("user=ada%20l&flag&x=1&x=2&&");
  EXPECT_EQ(q.at("user"), "ada l");
  EXPECT_EQ(q.at("flag"), "");
  EXPECT_EQ(q.at("x"), "2");
  EXPECT_EQ(q.size(), 3u);
}

}  // namespace
}  // namespace switchboard::server::net_url
