// The runtime primitives of generated model code: number, date, byte and UUID forms as Serverpod writes them.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "switchboard/model/json_write.hpp"
#include "switchboard/model/types.hpp"

namespace sm = switchboard::model;

namespace {

std::string dbl(double v) {
  std::string out;
  sm::write_double(out, v);
  return out;
}

}  // namespace

TEST(ModelRuntime, DoublesPrintLikeDart) {
  EXPECT_EQ(dbl(1.0), "1.0");
  EXPECT_EQ(dbl(-2.0), "-2.0");
  EXPECT_EQ(dbl(0.0), "0.0");
  EXPECT_EQ(dbl(0.1), "0.1");
  EXPECT_EQ(dbl(1.5), "1.5");
  EXPECT_EQ(dbl(100000.0), "100000.0");
  EXPECT_EQ(dbl(1e21), "1e+21");
  EXPECT_EQ(dbl(1.5e300), "1.5e+300");
  EXPECT_EQ(dbl(0.000001), "0.000001");
  EXPECT_EQ(dbl(1e-7), "1e-7");
  EXPECT_EQ(dbl(123456789.125), "123456789.125");
  EXPECT_EQ(dbl(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
}

TEST(ModelRuntime, NonFiniteDoublesAreProgrammerErrors) {
  EXPECT_THROW(dbl(std::nan("")), std::domain_error);
  EXPECT_THROW(dbl(std::numeric_limits<double>::infinity()), std::domain_error);
}

TEST(ModelRuntime, DateTimeIsUtcWithMilliseconds) {
  const auto t = sm::parse_date_time("2024-02-29T23:59:59.999Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(sm::format_date_time(*t), "2024-02-29T23:59:59.999Z");
  EXPECT_EQ(sm::format_date_time(sm::DateTime{}), "1970-01-01T00:00:00.000Z");
  // Offsets are converted to UTC, extra fraction digits truncated, a missing zone means UTC.
  EXPECT_EQ(sm::format_date_time(*sm::parse_date_time("2024-03-01T01:00:00.123456+01:00")),
            "2024-03-01T00:00:00.123Z");
  EXPECT_EQ(sm::format_date_time(*sm::parse_date_time("2024-03-01 12:30")), "2024-03-01T12:30:00.000Z");
  EXPECT_EQ(sm::format_date_time(*sm::parse_date_time("2024-03-01")), "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(sm::format_date_time(*sm::parse_date_time("1969-12-31T23:59:59.999Z")), "1969-12-31T23:59:59.999Z");
  EXPECT_FALSE(sm::parse_date_time("2023-02-29T00:00:00Z"));  // not a leap year
  EXPECT_FALSE(sm::parse_date_time("2024-13-01T00:00:00Z"));
  EXPECT_FALSE(sm::parse_date_time("yesterday"));
  EXPECT_FALSE(sm::parse_date_time("2024-01-01T00:00:00Zjunk"));
}

TEST(ModelRuntime, ByteDataIsWrappedBase64) {
  std::string out;
  sm::write_bytes(out, sm::Bytes{std::byte{1}, std::byte{2}, std::byte{3}});
  EXPECT_EQ(out, "\"decode('AQID', 'base64')\"");
  out.clear();
  sm::write_bytes(out, sm::Bytes{});
  EXPECT_EQ(out, "\"decode('', 'base64')\"");
  EXPECT_EQ(sm::base64_encode(sm::Bytes{std::byte{0xff}}), "/w==");
  EXPECT_EQ(sm::base64_encode(sm::Bytes{std::byte{0xff}, std::byte{0xfe}}), "//4=");
}

TEST(ModelRuntime, UuidCanonicalForm) {
  const auto u = sm::Uuid::parse("550E8400-E29B-41D4-A716-446655440000");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->to_string(), "550e8400-e29b-41d4-a716-446655440000");
  EXPECT_FALSE(sm::Uuid::parse("550e8400e29b41d4a716446655440000"));
  const auto r = sm::Uuid::random_v4();
  EXPECT_EQ(r.to_string()[14], '4');
  EXPECT_EQ(sm::Uuid::random_v7().to_string()[14], '7');
}

TEST(ModelRuntime, VectorsAsServerpodWritesThem) {
  std::string out;
  sm::write_sparse_vector(out, sm::SparseVector{5, {0, 2}, {1.0f, 2.5f}});
  EXPECT_EQ(out, "\"{1:1.0,3:2.5}/5\"");
  out.clear();
  sm::write_bit(out, sm::Bit{{true, false, true, true}});
  EXPECT_EQ(out, "\"1011\"");
}
