#include "server/log.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace switchboard::server {
namespace {

TEST(Log, FormatsLogfmtWithQuotingOnlyWhereNeeded) {
  EXPECT_EQ(format_log_line("2026-12-04T18:30:00.123Z", LogLevel::warn, "slow consumer closed",
                            {{"session", std::uint64_t{513}}, {"remote", "127.0.0.1:50412"}, {"user", ""}}),
            R"(ts=2026-12-04T18:30:00.123Z level=warn msg="slow consumer closed" session=513 remote=127.0.0.1:50412 user="")");
  EXPECT_EQ(format_log_line("t", LogLevel::error, "x", {{"what", "say \"hi\"\nback\\slash=\x01"}}),
            R"(ts=t level=error msg=x what="say \"hi\"\nback\\slash=\u0001")");
}

TEST(Log, LevelsFilterAndOffSilences) {
  std::vector<std::string> lines;
  Logger logger(LogLevel::warn, [&](LogLevel, std::string_view line) { lines.emplace_back(line); });
  logger.debug("no");
  logger.info("no");
  logger.warn("yes");
  logger.error("yes too", {{"code", std::uint64_t{1011}}});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(" level=warn msg=yes"), std::string::npos) << lines[0];
  EXPECT_TRUE(lines[1].ends_with(R"(level=error msg="yes too" code=1011)")) << lines[1];
  EXPECT_TRUE(lines[0].starts_with("ts=20")) << lines[0];  // e.g. ts=2026-12-04T18:30:00.123Z
  EXPECT_EQ(lines[0].find(' '), 27u) << lines[0];  // "ts=" + 23 characters + 'Z'
  Logger off(LogLevel::off, [&](LogLevel, std::string_view line) { lines.emplace_back(line); });
  off.error("silenced");
  EXPECT_EQ(lines.size(), 2u);
}

TEST(Log, ParsesLevelNames) {
  EXPECT_EQ(parse_log_level("debug"), LogLevel::debug);
  EXPECT_EQ(parse_log_level("off"), LogLevel::off);
  EXPECT_EQ(parse_log_level("verbose"), std::nullopt);
  EXPECT_EQ(to_string(LogLevel::warn), "warn");
}

}  // namespace
}  // namespace switchboard::server
