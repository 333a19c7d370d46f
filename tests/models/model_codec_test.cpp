// Generated model code (from tests/models/protocol/*.yaml) against literal Serverpod-format JSON: exact
// encodings, round trips C++ -> JSON -> C++, decode errors naming the field path, and the Registry.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "switchboard/model/json_write.hpp"
#include "switchboard/model/registry.hpp"
#include "switchboard_models.hpp"

namespace m = switchboard::models;
namespace sm = switchboard::model;

namespace {

template <class T>
std::string encode(const T& v, sm::Scope scope = sm::Scope::client) {
  std::string out;
  m::to_json(out, v, scope);
  return out;
}

template <class T>
T decode(std::string_view json) {
  T v;
  const auto r = m::from_json(json, v);
  EXPECT_TRUE(r.ok()) << r.error() << "\n  in " << json;
  return v;
}

template <class T>
std::string decode_error(std::string_view json) {
  T v;
  const auto r = m::from_json(json, v);
  EXPECT_FALSE(r.ok()) << json;
  return r.error();
}

template <class T>
void expect_round_trip(const T& v) {
  const std::string json = encode(v, sm::Scope::server);
  T back;
  const auto r = m::from_json(json, back);
  ASSERT_TRUE(r.ok()) << r.error() << "\n  in " << json;
  EXPECT_TRUE(back == v) << json;
  EXPECT_EQ(encode(back, sm::Scope::server), json);
}

m::Everything sample() {
  m::Everything e;
  e.aBool = true;
  e.anInt = std::numeric_limits<std::int64_t>::min();
  e.aDouble = 0.1;
  e.aString = "h\xC3\xA9 \xF0\x9F\x98\x80 \"q\" \\ \n\t\x01";
  e.aDateTime = *sm::parse_date_time("2024-02-29T23:59:59.999Z");
  e.aDuration = sm::Duration{-90061001};
  e.aByteData = {std::byte{0}, std::byte{255}, std::byte{16}};
  e.aUuid = *sm::Uuid::parse("550e8400-e29b-41d4-a716-446655440000");
  e.aUri = {"https://example.com/a?b=c#d"};
  e.aBigInt = {"-123456789012345678901234567890"};
  e.aColor = m::Color::blue;
  e.aPriority = m::Priority::high;
  e.aVector = {{1.0f, 2.5f, -3.0f}};
  e.aHalfVector = {{0.5f, 1.0f}};
  e.aSparseVector = {5, {0, 2}, {1.0f, 2.5f}};
  e.aBit = {{true, false, true, true}};
  return e;
}

}  // namespace

TEST(ModelEncoding, ClassMatchesServerpodJson) {
  m::ChatMessage msg{"hi", std::vector<m::Attachment>{{"a.png", 12}}};
  EXPECT_EQ(encode(msg),
            R"({"__className__":"ChatMessage","text":"hi","attachments":[{"__className__":"Attachment","fileName":"a.png","size":12}]})");
  // A null nullable field is left out.
  EXPECT_EQ(encode(m::ChatMessage{"hi", std::nullopt}), R"({"__className__":"ChatMessage","text":"hi"})");
}

TEST(ModelEncoding, EveryScalarMatchesServerpodJson) {
  EXPECT_EQ(encode(sample()),
            R"({"__className__":"Everything","aBool":true,"anInt":-9223372036854775808,"aDouble":0.1,)"
            R"("aString":"hé 😀 \"q\" \\ \n\t\u0001","aDateTime":"2024-02-29T23:59:59.999Z","aDuration":-90061001,)"
            R"j("aByteData":"decode('AP8Q', 'base64')","aUuid":"550e8400-e29b-41d4-a716-446655440000",)j"
            R"("aUri":"https://example.com/a?b=c#d","aBigInt":"-123456789012345678901234567890","aColor":"blue",)"
            R"("aPriority":2,"aVector":[1.0,2.5,-3.0],"aHalfVector":[0.5,1.0],"aSparseVector":"{1:1.0,3:2.5}/5",)"
            R"("aBit":"1011"})");
}

TEST(ModelEncoding, ContainersAndRecordsMatchServerpodJson) {
  m::Containers c;
  c.ints = {1, 2};
  c.maybeInts = {1, std::nullopt};
  c.nested = {{"a"}, {}};
  c.tags = {"x", "y"};
  c.counts = {{"a", 1}};
  c.byId = {{1, "one"}, {2, "two"}};
  c.byColor = {{m::Color::red, {1.5}}};
  c.points = {{1, 2}};
  c.pair = {1, "a"};
  c.named = {1, std::nullopt};
  c.mixed = {1, "a"};
  EXPECT_EQ(encode(c),
            R"({"__className__":"Containers","ints":[1,2],"maybeInts":[1,null],"nested":[["a"],[]],"tags":["x","y"],)"
            R"("counts":{"a":1},"byId":[{"k":1,"v":"one"},{"k":2,"v":"two"}],"byColor":[{"k":"red","v":[1.5]}],)"
            R"("points":[{"__className__":"Point","x":1,"y":2}],"pair":{"p":[1,"a"]},"named":{"n":{"x":1,"label":null}},)"
            R"("mixed":{"p":[1],"n":{"name":"a"}}})");
  expect_round_trip(c);
}

TEST(ModelEncoding, ServerOnlyFieldsNeverReachClients) {
  m::Defaults d;
  d.secret = "s";
  const auto client = encode(d, sm::Scope::client);
  const auto server = encode(d, sm::Scope::server);
  EXPECT_EQ(client.find("secret"), std::string::npos);
  EXPECT_EQ(client.find("internalCount"), std::string::npos);
  EXPECT_NE(server.find(R"("secret":"s")"), std::string::npos);
  EXPECT_NE(server.find(R"("internalCount":3)"), std::string::npos);
}

TEST(ModelRoundTrip, EveryScalarAndNullable) {
  auto e = sample();
  expect_round_trip(e);
  e.anInt = std::numeric_limits<std::int64_t>::max();
  e.aDouble = -1.7976931348623157e308;
  e.aByteData.clear();
  e.nBool = false;
  e.nInt = 0;
  e.nDouble = 5e-324;
  e.nString = "";
  e.nDateTime = sm::DateTime{};
  e.nDuration = sm::Duration{0};
  e.nByteData = sm::Bytes{};
  e.nUuid = sm::Uuid{};
  e.nUri = sm::Uri{""};
  e.nBigInt = sm::BigInt{"0"};
  e.nColor = m::Color::red;
  expect_round_trip(e);
  expect_round_trip(m::Everything{});
}

TEST(ModelRoundTrip, HierarchiesAndRecursion) {
  m::Drawing d;
  d.shapes = {m::Circle{"c", 2.0}, m::Square{"s", 1.5}};
  d.main = m::AnyShape{m::Square{"main", 3.0}};
  d.pet = m::AnyAnimal{m::Dog{"rex", true}};
  d.children = {m::Drawing{}};
  d.parent = m::Drawing{};
  d.parent->pet = m::AnyAnimal{m::Animal{"cat"}};
  expect_round_trip(d);
  const auto json = encode(d);
  EXPECT_NE(json.find(R"({"__className__":"Circle","label":"c","radius":2.0})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("pet":{"__className__":"Dog","name":"rex","barks":true})"), std::string::npos) << json;
}

TEST(ModelDecoding, FieldOrderNullsAndUnknownKeys) {
  const auto msg = decode<m::ChatMessage>(R"({"extra":[1,{"a":2}],"attachments":null,"text":"hi"})");
  EXPECT_EQ(msg.text, "hi");
  EXPECT_FALSE(msg.attachments);
  // Without __className__ (older Serverpod) too.
  EXPECT_EQ(decode<m::Point>(R"({"y":2,"x":1})"), (m::Point{1, 2}));
}

TEST(ModelDecoding, DefaultsApplyWhenAbsentOrNull) {
  const auto d = decode<m::Defaults>(R"({"count":null,"maybe":null})");
  EXPECT_EQ(d.count, 10);
  EXPECT_EQ(d.ratio, 0.5);
  EXPECT_EQ(d.title, "untitled");
  EXPECT_TRUE(d.enabled);
  EXPECT_EQ(d.color, m::Color::green);
  EXPECT_EQ(d.timeout, sm::Duration{94230100});
  EXPECT_EQ(sm::format_date_time(d.since), "2024-02-29T23:59:59.999Z");
  EXPECT_EQ(d.maybe, "x");
  EXPECT_EQ(decode<m::Defaults>(R"({"count":7})").count, 7);
}

TEST(ModelDecoding, EnumsBothWays) {
  EXPECT_EQ(decode<m::Color>(R"("green")"), m::Color::green);
  EXPECT_EQ(decode<m::Priority>("0"), m::Priority::low);
  EXPECT_EQ(decode<m::Priority>("7"), m::Priority::normal);  // unknown -> `default:`
  EXPECT_EQ(decode_error<m::Color>(R"("purple")"), "expected Color, got unknown value");
  EXPECT_EQ(decode_error<m::Color>("1"), "expected String, got number");
}

TEST(ModelDecoding, SealedHierarchyNeedsKnownClassName) {
  auto s = decode<m::AnyShape>(R"({"radius":1.0,"label":"x","__className__":"Circle"})");
  EXPECT_EQ(std::get<m::Circle>(s).radius, 1.0);
  EXPECT_EQ(decode_error<m::AnyShape>(R"({"label":"x"})"), "__className__: missing, expected one of Circle, Square");
  EXPECT_EQ(decode_error<m::AnyShape>(R"({"__className__":"Blob"})"), R"(__className__: "Blob" is not a Shape)");
  // An open hierarchy falls back to the declared class.
  EXPECT_TRUE(std::holds_alternative<m::Animal>(decode<m::AnyAnimal>(R"({"__className__":"Cow","name":"x"})")));
}

TEST(ModelDecoding, ErrorsNameTheFieldPath) {
  EXPECT_EQ(decode_error<m::ChatMessage>(R"({"text":"a","attachments":[{"fileName":"a","size":1},{"fileName":"b","size":2},{"fileName":3,"size":3}]})"),
            "attachments[2].fileName: expected String, got number");
  EXPECT_EQ(decode_error<m::ChatMessage>(R"({})"), "text: missing, expected String");
  EXPECT_EQ(decode_error<m::ChatMessage>(R"({"text":null})"), "text: expected String, got null");
  EXPECT_EQ(decode_error<m::ChatMessage>(R"([])"), "expected ChatMessage, got array");
  EXPECT_EQ(decode_error<m::Point>(R"({"x":1.5,"y":1})"), "x: expected int, got number with a fraction or exponent");
  EXPECT_EQ(decode_error<m::Point>(R"({"x":9223372036854775808,"y":1})"),
            "x: expected int, got number out of the 64-bit range");
  EXPECT_EQ(decode_error<m::Containers>(R"({"counts":{"a":"x"}})"), R"(counts{"a"}: expected int, got string)");
  EXPECT_EQ(decode_error<m::Containers>(R"({"ints":[],"maybeInts":[],"nested":[],"tags":["a","a"]})"),
            "tags[1]: duplicate element in a Set");
  EXPECT_EQ(decode_error<m::Containers>(
                R"({"ints":[],"maybeInts":[],"nested":[],"tags":[],"counts":{},"byId":[{"k":"1","v":"x"}]})"),
            "byId[0].k: expected int, got string");
  EXPECT_EQ(decode_error<m::Containers>(
                R"({"ints":[],"maybeInts":[],"nested":[],"tags":[],"counts":{},"byId":[],"byColor":[],"points":[],"pair":{"p":[1]}})"),
            "pair.p: expected 2 positional values, got 1");
  EXPECT_EQ(decode_error<m::Drawing>(R"({"shapes":[{"__className__":"Square","label":"s","side":"x"}]})"),
            "shapes[0].side: expected double, got string");
  EXPECT_EQ(decode_error<m::Everything>(R"({"aDateTime":"2023-02-29T00:00:00Z"})"),
            "aDateTime: expected DateTime, got string that is not an ISO-8601 date and time");
  EXPECT_EQ(decode_error<m::Point>(R"({"x":1,"y":2} x)"), "invalid JSON (trailing content after the value)");
  EXPECT_FALSE(decode_error<m::Point>(R"({"x":1,"y":)").empty());
  EXPECT_FALSE(decode_error<m::Everything>(R"({"aDouble":NaN})").empty());
}

TEST(ModelRegistry, ValidatesAndReencodesForClients) {
  sm::Registry registry;
  m::register_models(registry);
  EXPECT_NE(registry.find("ChatMessage"), nullptr);
  EXPECT_NE(registry.find("NotFound"), nullptr);
  EXPECT_NE(registry.find("Color"), nullptr);
  EXPECT_EQ(registry.find("Shape"), nullptr);  // sealed: abstract
  EXPECT_TRUE(registry.validate("ChatMessage", R"({"text":"hi"})").ok());
  const auto bad = registry.validate("ChatMessage", R"({"text":"hi","attachments":[{"fileName":1}]})");
  EXPECT_EQ(bad.error(), "attachments[0].fileName: expected String, got number");
  EXPECT_EQ(registry.validate("Nope", "{}").error(), R"(unknown className "Nope")");

  std::string out;
  ASSERT_TRUE(registry.transcode("Defaults", R"({"secret":"s","count":1})", sm::Scope::client, out).ok());
  EXPECT_EQ(out.find("secret"), std::string::npos);
  EXPECT_NE(out.find(R"("count":1)"), std::string::npos);
  out.clear();
  EXPECT_FALSE(registry.transcode("AuditEntry", R"({"action":"x"})", sm::Scope::client, out).ok());
  EXPECT_TRUE(registry.transcode("AuditEntry", R"({"action":"x"})", sm::Scope::server, out).ok());
  out.clear();
  // An Animal message whose data is a Dog stays a Dog.
  ASSERT_TRUE(registry.transcode("Animal", R"({"__className__":"Dog","name":"a","barks":false})", sm::Scope::client, out).ok());
  EXPECT_EQ(out, R"({"__className__":"Dog","name":"a","barks":false})");
}
