// Unit tests of the TypeScript emitter on hand-built ModelSets: which files it writes and the fragments that
// carry the wire rules. The behaviour of the generated code (compiled with tsc and run) is tested by
// tests/codegen-ts.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "codegen/emitters.hpp"
#include "codegen/ts/ts_support.hpp"

namespace switchboard::codegen {
namespace {

TypeRef scalar(TypeRef::Kind kind, bool nullable = false) {
  TypeRef t;
  t.kind = kind;
  t.nullable = nullable;
  return t;
}

TypeRef model(const std::string& name, bool nullable = false, const std::string& module = "") {
  TypeRef t = scalar(TypeRef::Kind::model, nullable);
  t.name = name;
  t.module = module;
  return t;
}

Field field(const std::string& name, TypeRef type) {
  Field f;
  f.name = name;
  f.json_key = name;
  f.type = std::move(type);
  return f;
}

ClassDef cls(const std::string& name, std::vector<Field> fields, const std::string& extends = "") {
  ClassDef c;
  c.name = name;
  c.extends = extends;
  c.fields = std::move(fields);
  return c;
}

class TsEmitter : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ts_emitter_test_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string read(const std::string& name) const {
    std::ifstream in(dir_ / name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  bool emit(const ModelSet& set) {
    errors_.str("");
    return emit_ts(set, dir_, errors_);
  }

  std::filesystem::path dir_;
  std::ostringstream errors_;
};

TEST_F(TsEmitter, WritesModelsAndIndexWithBanner) {
  ModelSet set;
  set.classes.push_back(cls("Point", {field("x", scalar(TypeRef::Kind::integer)),
                                      field("label", scalar(TypeRef::Kind::string, true))}));
  ASSERT_TRUE(emit(set)) << errors_.str();
  const std::string models = read("models.ts");
  EXPECT_EQ(models.rfind("// DO NOT EDIT", 0), 0u);
  EXPECT_NE(models.find("import * as rt from \"../runtime.js\";"), std::string::npos);
  EXPECT_NE(models.find("export interface Point {"), std::string::npos);
  EXPECT_NE(models.find("  label?: string | null;"), std::string::npos);
  EXPECT_NE(models.find("if (value.label != null) out[\"label\"] ="), std::string::npos);
  EXPECT_NE(models.find("export function decodePoint(json: unknown, path = \"\"): Point {"), std::string::npos);
  const std::string index = read("index.ts");
  EXPECT_EQ(index.rfind("// DO NOT EDIT", 0), 0u);
  EXPECT_NE(index.find("\"Point\": { encode: models.encodePoint, decode: models.decodePoint },"), std::string::npos);
  EXPECT_NE(index.find("export function decodeModel(envelope: unknown): DecodedModel"), std::string::npos);
}

TEST_F(TsEmitter, ServerOnlyClassesAndFieldsAreLeftOut) {
  ModelSet set;
  ClassDef secret = cls("Secret", {field("token", scalar(TypeRef::Kind::string))});
  secret.server_only = true;
  ClassDef open = cls("Open", {field("name", scalar(TypeRef::Kind::string)), field("hidden", scalar(TypeRef::Kind::string))});
  open.fields[1].scope = Field::Scope::server_only;
  set.classes = {open, secret};
  ASSERT_TRUE(emit(set)) << errors_.str();
  const std::string models = read("models.ts");
  EXPECT_EQ(models.find("Secret"), std::string::npos);
  EXPECT_EQ(models.find("hidden"), std::string::npos);
}

TEST_F(TsEmitter, FieldReferringToServerOnlyClassIsAnError) {
  ModelSet set;
  ClassDef secret = cls("Secret", {});
  secret.server_only = true;
  ClassDef open = cls("Open", {field("s", model("Secret"))});
  open.fields[0].type.where = {"open.yaml", 3, 6};
  set.classes = {open, secret};
  EXPECT_FALSE(emit(set));
  EXPECT_NE(errors_.str().find("open.yaml:3:6: "), std::string::npos) << errors_.str();
  EXPECT_NE(errors_.str().find("serverOnly class Secret"), std::string::npos) << errors_.str();
}

TEST_F(TsEmitter, SealedParentIsTheUnionOfItsConcreteSubclasses) {
  ModelSet set;
  ClassDef shape = cls("Shape", {field("name", scalar(TypeRef::Kind::string))});
  shape.is_sealed = true;
  set.classes = {cls("Circle", {field("radius", scalar(TypeRef::Kind::floating))}, "Shape"),
                 cls("Rect", {field("w", scalar(TypeRef::Kind::floating))}, "Shape"), shape};
  ASSERT_TRUE(emit(set)) << errors_.str();
  const std::string models = read("models.ts");
  EXPECT_NE(models.find("export type Shape = Circle | Rect;"), std::string::npos);
  EXPECT_NE(models.find("  __className__: \"Circle\";\n  name: string;\n  radius: number;"), std::string::npos);
  EXPECT_NE(models.find("default: return rt.badClassName(tag, path, \"Shape\");"), std::string::npos);
  EXPECT_EQ(read("index.ts").find("\"Shape\":"), std::string::npos) << "an abstract class has no envelope";
}

TEST_F(TsEmitter, EnumsByIndexWithDefaultAndProperties) {
  ModelSet set;
  EnumDef e;
  e.name = "Level";
  e.serialized = EnumDef::Serialized::by_index;
  e.default_value = "mid";
  e.properties.push_back({"label", scalar(TypeRef::Kind::string), std::nullopt});
  e.properties.push_back({"weight", scalar(TypeRef::Kind::integer), DefaultValue{"1", {}}});
  e.values.push_back({"low", {{"label", "Low"}}, "", {}});
  e.values.push_back({"mid", {{"label", "Mid"}, {"weight", "5"}}, "", {}});
  set.enums.push_back(e);
  ASSERT_TRUE(emit(set)) << errors_.str();
  const std::string models = read("models.ts");
  EXPECT_NE(models.find("export type Level = (typeof Level)[keyof typeof Level];"), std::string::npos);
  EXPECT_NE(models.find("rt.decodeEnumByIndex(json, path, \"Level\", LevelValues, \"mid\")"), std::string::npos);
  EXPECT_NE(models.find("  low: { label: \"Low\", weight: 1, },"), std::string::npos) << models;
  EXPECT_NE(models.find("  mid: { label: \"Mid\", weight: 5, },"), std::string::npos) << models;
}

TEST_F(TsEmitter, ModuleModelsGoToTheirOwnFileUnderTheirWireName) {
  ModelSet auth;
  auth.module = "auth";
  auth.classes.push_back(cls("UserInfo", {field("name", scalar(TypeRef::Kind::string))}));
  ModelSet set;
  set.classes.push_back(cls("Chat", {field("who", model("UserInfo", true, "auth"))}));
  set.modules.emplace("auth", auth);
  ASSERT_TRUE(emit(set)) << errors_.str();
  EXPECT_NE(read("models.ts").find("import * as mod_auth from \"./module_auth.js\";"), std::string::npos);
  EXPECT_NE(read("models.ts").find("who?: mod_auth.UserInfo | null;"), std::string::npos);
  EXPECT_NE(read("module_auth.ts").find("__className__: \"auth.UserInfo\""), std::string::npos);
  EXPECT_NE(read("index.ts").find("\"auth.UserInfo\": { encode: mod_auth.encodeUserInfo"), std::string::npos);
}

TEST_F(TsEmitter, ModuleModelsTravelUnderTheirPackageName) {
  ModelSet auth;
  auth.module = "auth";
  auth.package = "serverpod_auth";
  auth.classes.push_back(cls("UserInfo", {field("name", scalar(TypeRef::Kind::string))}));
  ModelSet set;
  set.classes.push_back(cls("Chat", {field("who", model("UserInfo", true, "auth"))}));
  set.modules.emplace("auth", auth);
  ASSERT_TRUE(emit(set)) << errors_.str();
  EXPECT_NE(read("module_auth.ts").find("__className__: \"serverpod_auth.UserInfo\""), std::string::npos);
  EXPECT_EQ(read("module_auth.ts").find("\"auth.UserInfo\""), std::string::npos);
  EXPECT_NE(read("index.ts").find("\"serverpod_auth.UserInfo\": { encode: mod_auth.encodeUserInfo"),
            std::string::npos);
  EXPECT_NE(read("index.ts").find("export * as auth from \"./module_auth.js\";"), std::string::npos);
}

TEST_F(TsEmitter, UnsupportedDefaultIsAnErrorWithItsLocation) {
  ModelSet set;
  Field f = field("n", scalar(TypeRef::Kind::integer));
  f.default_model = DefaultValue{"many", {"m.yaml", 4, 12}};
  set.classes.push_back(cls("Counter", {f}));
  EXPECT_FALSE(emit(set));
  EXPECT_NE(errors_.str().find("m.yaml:4:12: default value 'many' of field n (int)"), std::string::npos)
      << errors_.str();
}

TEST_F(TsEmitter, UnchangedOutputIsNotRewritten) {
  ModelSet set;
  set.classes.push_back(cls("Point", {field("x", scalar(TypeRef::Kind::integer))}));
  ASSERT_TRUE(emit(set));
  const auto before = std::filesystem::last_write_time(dir_ / "models.ts");
  std::filesystem::last_write_time(dir_ / "models.ts", before - std::chrono::hours(1));
  ASSERT_TRUE(emit(set));
  EXPECT_EQ(std::filesystem::last_write_time(dir_ / "models.ts"), before - std::chrono::hours(1));
}

TEST(TsSupport, DurationDefaults) {
  EXPECT_EQ(ts::parse_duration_ms("1d 2h 10min 30s 100ms"), 94230100);
  EXPECT_EQ(ts::parse_duration_ms("90s"), 90000);
  EXPECT_EQ(ts::parse_duration_ms("-5ms"), -5);
  EXPECT_EQ(ts::parse_duration_ms("soon"), std::nullopt);
  EXPECT_EQ(ts::parse_duration_ms(""), std::nullopt);
}

TEST(TsSupport, StringLiteralsEscapeWhatJavaScriptNeeds) {
  EXPECT_EQ(ts::json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
  EXPECT_EQ(ts::json_string("\x01"), "\"\\u0001\"");
  EXPECT_EQ(ts::json_string("\xE2\x80\xA8"), "\"\\u2028\"");
  EXPECT_EQ(ts::json_string("h\xC3\xA9"), "\"h\xC3\xA9\"");
}

TEST(TsSupport, WireTypeNames) {
  TypeRef list = scalar(TypeRef::Kind::list, true);
  list.args.push_back(scalar(TypeRef::Kind::integer, true));
  EXPECT_EQ(ts::wire_type_name(list), "List<int?>?");
  EXPECT_EQ(ts::wire_type_name(list, false), "List<int?>");
  TypeRef record = scalar(TypeRef::Kind::record);
  record.record_fields.push_back({"", false, std::make_shared<TypeRef>(scalar(TypeRef::Kind::integer))});
  record.record_fields.push_back({"name", true, std::make_shared<TypeRef>(scalar(TypeRef::Kind::string, true))});
  EXPECT_EQ(ts::wire_type_name(record), "(int, {String? name})");
}

}  // namespace
}  // namespace switchboard::codegen
