#include "codegen/type_parser.hpp"

#include <gtest/gtest.h>

namespace switchboard::codegen {
namespace {

using Kind = TypeRef::Kind;

TypeRef parse_ok(std::string_view text) {
  TypeParseResult r = parse_type(text);
  EXPECT_TRUE(r) << text << ": " << r.error_column << ": " << r.error;
  return r.type.value_or(TypeRef{});
}

// "column: message" of a failed parse.
std::string parse_error(std::string_view text) {
  TypeParseResult r = parse_type(text);
  EXPECT_FALSE(r) << text;
  return std::to_string(r.error_column) + ": " + r.error;
}

TEST(TypeParser, Scalars) {
  const std::pair<const char*, Kind> cases[] = {
      {"bool", Kind::boolean},      {"int", Kind::integer},      {"double", Kind::floating},
      {"String", Kind::string},     {"DateTime", Kind::date_time}, {"Duration", Kind::duration},
      {"ByteData", Kind::byte_data}, {"UuidValue", Kind::uuid},   {"Uri", Kind::uri},
      {"BigInt", Kind::big_int},
  };
  for (const auto& [text, kind] : cases) {
    TypeRef t = parse_ok(text);
    EXPECT_EQ(t.kind, kind) << text;
    EXPECT_FALSE(t.nullable) << text;
    EXPECT_EQ(t.where.column, 1);
  }
}

TEST(TypeParser, NullableAnywhere) {
  TypeRef t = parse_ok("Map<String, List<int?>?>?");
  EXPECT_EQ(t.kind, Kind::map);
  EXPECT_TRUE(t.nullable);
  ASSERT_EQ(t.args.size(), 2u);
  EXPECT_EQ(t.args[0].kind, Kind::string);
  EXPECT_FALSE(t.args[0].nullable);
  EXPECT_EQ(t.args[1].kind, Kind::list);
  EXPECT_TRUE(t.args[1].nullable);
  EXPECT_TRUE(t.args[1].args[0].nullable);
  EXPECT_EQ(t.args[1].where.column, 13);
  EXPECT_EQ(t.args[1].args[0].where.column, 18);
}

TEST(TypeParser, ContainersNestAndRoundTrip) {
  for (const char* text : {"List<int>", "Set<UuidValue?>", "Map<int, String>",
                           "Map<String, List<List<Map<int, SimpleData>>?>>?", "Set<(int,)?>?",
                           "Map<(String,)?, String>?"}) {
    EXPECT_EQ(to_string(parse_ok(text)), text);
  }
  EXPECT_EQ(to_string(parse_ok("Map<String,int>")), "Map<String, int>");
  EXPECT_EQ(to_string(parse_ok("  List < int ? > ? ")), "List<int?>?");
}

TEST(TypeParser, Records) {
  TypeRef one = parse_ok("(int,)");
  EXPECT_EQ(one.kind, Kind::record);
  ASSERT_EQ(one.record_fields.size(), 1u);
  EXPECT_EQ(one.record_fields[0].type->kind, Kind::integer);
  EXPECT_FALSE(one.record_fields[0].named);

  TypeRef mixed = parse_ok("(String id, {Uri? optionalUri})?");
  EXPECT_TRUE(mixed.nullable);
  ASSERT_EQ(mixed.record_fields.size(), 2u);
  EXPECT_EQ(mixed.record_fields[0].name, "id");
  EXPECT_FALSE(mixed.record_fields[0].named);
  EXPECT_EQ(mixed.record_fields[1].name, "optionalUri");
  EXPECT_TRUE(mixed.record_fields[1].named);
  EXPECT_TRUE(mixed.record_fields[1].type->nullable);
  EXPECT_EQ(mixed.record_fields[1].type->where.column, 14);

  TypeRef named_only = parse_ok("({SimpleData namedModel})");
  ASSERT_EQ(named_only.record_fields.size(), 1u);
  EXPECT_TRUE(named_only.record_fields[0].named);
  EXPECT_EQ(named_only.record_fields[0].type->kind, Kind::model);
  EXPECT_EQ(named_only.record_fields[0].type->name, "SimpleData");

  TypeRef nested = parse_ok("((int, String) nestedRecord, {(int, String) namedNestedRecord})");
  ASSERT_EQ(nested.record_fields.size(), 2u);
  EXPECT_EQ(nested.record_fields[0].type->kind, Kind::record);
  EXPECT_EQ(nested.record_fields[0].name, "nestedRecord");
  EXPECT_EQ(nested.record_fields[1].type->record_fields.size(), 2u);

  for (const char* text : {"(int,)", "(String id, {Uri? optionalUri})?", "({SimpleData namedModel})",
                           "((int, String) nestedRecord, {(int, String) namedNestedRecord})",
                           "((List<(SimpleData,)>,) nestedRecordWithList, {(SimpleData, Map<String, SimpleData>) "
                           "namedNestedRecord})?"}) {
    EXPECT_EQ(to_string(parse_ok(text)), text);
  }
}

TEST(TypeParser, Vectors) {
  const std::pair<const char*, Kind> cases[] = {{"Vector(3)", Kind::vector},
                                                {"HalfVector(512)", Kind::half_vector},
                                                {"SparseVector(3)", Kind::sparse_vector},
                                                {"Bit(3)", Kind::bit}};
  for (const auto& [text, kind] : cases) {
    TypeRef t = parse_ok(text);
    EXPECT_EQ(t.kind, kind);
    EXPECT_EQ(to_string(t), text);
  }
  EXPECT_EQ(parse_ok("Vector(3)?").dimension, 3);
  EXPECT_TRUE(parse_ok("Bit(512)?").nullable);
}

TEST(TypeParser, ModelReferences) {
  TypeRef local = parse_ok("UserInfo?");
  EXPECT_EQ(local.kind, Kind::model);
  EXPECT_EQ(local.name, "UserInfo");
  EXPECT_EQ(local.module, "");
  EXPECT_TRUE(local.nullable);

  TypeRef mod = parse_ok("module:auth:UserInfo");
  EXPECT_EQ(mod.kind, Kind::model);
  EXPECT_EQ(mod.module, "auth");
  EXPECT_EQ(mod.name, "UserInfo");

  TypeRef core = parse_ok("List<module:serverpod:LogEntry?>");
  EXPECT_EQ(core.args[0].module, "serverpod");
  EXPECT_EQ(core.args[0].name, "LogEntry");
  EXPECT_EQ(core.args[0].where.column, 6);
  EXPECT_EQ(to_string(core), "List<module:serverpod:LogEntry?>");
}

TEST(TypeParser, ErrorsCarryTheExactColumn) {
  EXPECT_EQ(parse_error(""), "1: missing type");
  EXPECT_EQ(parse_error("List<int"), "9: expected ',' or '>', found end of type");
  EXPECT_EQ(parse_error("List"), "5: 'List' needs 1 type argument: List<T>");
  EXPECT_EQ(parse_error("Map<String>"), "4: 'Map' takes 2 type arguments, found 1");
  EXPECT_EQ(parse_error("List<int, int>"), "5: 'List' takes 1 type argument, found 2");
  EXPECT_EQ(parse_error("int<String>"), "4: 'int' takes no type arguments");
  EXPECT_EQ(parse_error("int??"), "5: '?' given twice");
  EXPECT_EQ(parse_error("List<int> x"), "11: unexpected 'x' after the type");
  EXPECT_EQ(parse_error("(int)"), "5: a record with one positional field needs a trailing comma, e.g. '(int,)'");
  EXPECT_EQ(parse_error("()"), "1: a record needs at least one field");
  EXPECT_EQ(parse_error("(int, {String})"), "14: a named record field needs a name, found '}'");
  EXPECT_EQ(parse_error("({int a, int a})"), "14: record field 'a' given twice");
  EXPECT_EQ(parse_error("({int a}, int)"), "11: expected ')' after the named fields, found 'i'");
  EXPECT_EQ(parse_error("(int, {})"), "7: empty '{}' in record: give named fields or remove the braces");
  EXPECT_EQ(parse_error("Vector"), "7: 'Vector' needs a dimension: Vector(n)");
  EXPECT_EQ(parse_error("Vector(0)"), "8: the dimension of 'Vector' must be an integer from 1 to 1000000");
  EXPECT_EQ(parse_error("Bit(x)"), "5: the dimension of 'Bit' must be an integer from 1 to 1000000");
  EXPECT_EQ(parse_error("HalfVector(3"), "13: expected ')', found end of type");
  EXPECT_EQ(parse_error("Map<String, dynamic>"),
            "13: 'dynamic' is not supported (no wire mapping in switchboard-gen)");
  EXPECT_EQ(parse_error("GeographyPoint?"), "1: 'GeographyPoint' is not supported (no wire mapping in switchboard-gen)");
  EXPECT_EQ(parse_error("List<pkg:Shared>"),
            "6: unsupported qualified type 'pkg:Shared': a type from a module is written 'module:NICKNAME:Type'");
  EXPECT_EQ(parse_error("module:auth:"), "13: expected a name after ':', found end of type");
  EXPECT_EQ(parse_error("List<,>"), "6: expected a type, found ','");
}

TEST(TypeParser, DeepNestingIsAnErrorNotACrash) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "List<";
  text += "int";
  for (int i = 0; i < 100; ++i) text += ">";
  TypeParseResult r = parse_type(text);
  EXPECT_FALSE(r);
  EXPECT_NE(r.error.find("nested deeper"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::codegen
