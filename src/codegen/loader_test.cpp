#include "codegen/loader.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace switchboard::codegen {
namespace {

namespace fs = std::filesystem;

const fs::path malformed_dir = SWITCHBOARD_CODEGEN_MALFORMED_DIR;
const fs::path models_dir = fs::path(SWITCHBOARD_SHARED_DIR) / "serverpod-models";

std::vector<Diagnostic> errors_of(const std::vector<Diagnostic>& all) {
  std::vector<Diagnostic> out;
  for (const auto& d : all) {
    if (d.severity == Diagnostic::Severity::error) out.push_back(d);
  }
  return out;
}

// "relative/file:line:column: message" for each error, paths relative to `base`.
std::vector<std::string> error_lines(const std::vector<Diagnostic>& all, const fs::path& base) {
  std::vector<std::string> out;
  for (const auto& d : errors_of(all)) {
    Diagnostic copy = d;
    copy.where.file = fs::path(d.where.file).lexically_relative(base).generic_string();
    std::string line = format(copy);
    // Messages may name another file by its full path.
    for (std::size_t at; (at = line.find(base.generic_string() + "/")) != std::string::npos;) {
      line.erase(at, base.generic_string().size() + 1);
    }
    out.push_back(line);
  }
  return out;
}

// Each malformed case (a file, or a folder of files) and the exact errors it must produce.
const std::map<std::string, std::vector<std::string>> malformed_cases = {
    {"bad_default_int.yaml", {"bad_default_int.yaml:3:23: invalid default 'many' for field 'count' of type 'int': "
                              "expected an integer"}},
    {"bad_scope.yaml", {"bad_scope.yaml:3:25: invalid scope 'private': expected all, serverOnly or none"}},
    {"containment_cycle", {"containment_cycle/a.yaml:3:3: 'Alpha' contains itself (Alpha.beta -> Beta.alpha) "
                           "without a nullable or List/Set/Map in between"}},
    {"default_and_default_model.yaml",
     {"default_and_default_model.yaml:3:43: 'default' and 'defaultModel' cannot both be given"}},
    {"default_on_list.yaml",
     {"default_on_list.yaml:3:31: 'default' is not supported for a field of type 'List<String>'"}},
    {"duplicate_class", {"duplicate_class/b.yaml:2:8: 'Order' is already defined at duplicate_class/a.yaml:1:8"}},
    {"duplicate_field.yaml", {"duplicate_field.yaml:5:3: field 'note' is already declared at line 4"}},
    {"duplicate_json_key.yaml", {"duplicate_json_key.yaml:4:3: JSON key 'sum' is already used by field 'total'"}},
    {"duplicate_option.yaml", {"duplicate_option.yaml:3:29: field option 'scope' given twice"}},
    {"empty_file.yaml", {"empty_file.yaml:1:1: empty model file: expected 'class:', 'exception:' or 'enum:'"}},
    {"enum_bad_serialized.yaml",
     {"enum_bad_serialized.yaml:2:13: invalid 'serialized' value 'byValue': expected byName or byIndex"}},
    {"enum_default_not_value.yaml",
     {"enum_default_not_value.yaml:2:10: enum default 'blue' is not one of the values of 'Color'"}},
    {"enum_duplicate_value.yaml", {"enum_duplicate_value.yaml:5:5: enum value 'red' given twice"}},
    {"enum_field_default_not_value",
     {"enum_field_default_not_value/paint.yaml:3:25: invalid default 'blue' for field 'color' of type 'Color': "
      "expected a value of enum 'Color'"}},
    {"enum_invalid_value.yaml", {"enum_invalid_value.yaml:4:5: invalid enum value 'dark_green': use camelCase, "
                                 "starting with a lowercase letter"}},
    {"enum_missing_property.yaml",
     {"enum_missing_property.yaml:8:5: enum value 'green' lacks property 'hex', which has no default"}},
    {"enum_no_values.yaml", {"enum_no_values.yaml:1:1: enum 'Color' has no 'values'"}},
    {"enum_property_type.yaml",
     {"enum_property_type.yaml:6:14: enum value 'red': property 'alpha' must be an int, found 'opaque'"}},
    {"enum_unknown_property.yaml", {"enum_unknown_property.yaml:7:7: enum value 'red': unknown property 'alpha'"}},
    {"extends_cycle", {"extends_cycle/a.yaml:2:10: inheritance cycle: Alpha -> Beta -> Alpha"}},
    {"extends_self.yaml", {"extends_self.yaml:2:10: inheritance cycle: Oops -> Oops"}},
    {"extends_unknown.yaml", {"extends_unknown.yaml:2:10: 'Car' extends unknown class 'Vehicle'"}},
    {"field_without_type.yaml", {"field_without_type.yaml:3:3: field 'total' has no type"}},
    {"invalid_class_name.yaml", {"invalid_class_name.yaml:1:8: invalid class name 'order_line': use PascalCase "
                                 "letters and digits, starting with an uppercase letter"}},
    {"invalid_field_name.yaml", {"invalid_field_name.yaml:3:3: invalid field name 'Total': use camelCase or "
                                 "snake_case, starting with a lowercase letter"}},
    {"map_one_argument.yaml",
     {"map_one_argument.yaml:3:14: invalid type 'Map<String>': 'Map' takes 2 type arguments, found 1"}},
    {"missing_kind.yaml", {"missing_kind.yaml:1:1: missing 'class:', 'exception:' or 'enum:'"}},
    {"not_a_map.yaml",
     {"not_a_map.yaml:1:1: a model file must be a map starting with 'class:', 'exception:' or 'enum:'"}},
    {"nullable_twice.yaml", {"nullable_twice.yaml:3:14: invalid type 'int?" "?': '?' given twice"}},
    {"package_qualified_type.yaml",
     {"package_qualified_type.yaml:3:11: invalid type 'my_shared:SharedModel': unsupported qualified type "
      "'my_shared:SharedModel': a type from a module is written 'module:NICKNAME:Type'"}},
    {"quoted_type_column.yaml",
     {"quoted_type_column.yaml:3:22: invalid type 'List<Strin g>': expected ',' or '>', found 'g'"}},
    {"record_named_without_name.yaml",
     {"record_named_without_name.yaml:3:21: invalid type '(int, {String})': a named record field needs a name, "
      "found '}'"}},
    {"record_needs_comma.yaml",
     {"record_needs_comma.yaml:3:13: invalid type '(int)': a record with one positional field needs a trailing "
      "comma, e.g. '(int,)'"}},
    {"sealed_not_bool.yaml", {"sealed_not_bool.yaml:2:9: 'sealed' must be true or false, found 'yes'"}},
    {"self_containment.yaml", {"self_containment.yaml:4:3: 'Node' contains itself (Node.next) without a nullable "
                               "or List/Set/Map in between"}},
    {"two_kinds.yaml", {"two_kinds.yaml:2:1: 'enum' after 'class': one model per file"}},
    {"type_unclosed.yaml",
     {"type_unclosed.yaml:3:18: invalid type 'List<int': expected ',' or '>', found end of type"}},
    {"unknown_keyword.yaml", {"unknown_keyword.yaml:2:1: unknown keyword 'tabel' in class 'Order'"}},
    {"unknown_module.yaml", {"unknown_module.yaml:3:12: unknown module nickname 'payments' in "
                             "'module:payments:Invoice' (load it with --module payments=DIR)"}},
    {"unknown_option.yaml", {"unknown_option.yaml:3:15: unknown field option 'scoop'"}},
    {"unknown_type.yaml", {"unknown_type.yaml:3:9: unknown type 'Product'"}},
    {"unknown_type_nested.yaml", {"unknown_type_nested.yaml:3:27: unknown type 'Product'"}},
    {"unsupported_dynamic.yaml",
     {"unsupported_dynamic.yaml:3:24: invalid type 'Map<String, dynamic>': 'dynamic' is not supported (no wire "
      "mapping in switchboard-gen)"}},
    {"vector_zero.yaml", {"vector_zero.yaml:3:18: invalid type 'Vector(0)': the dimension of 'Vector' must be an "
                          "integer from 1 to 1000000"}},
    {"yaml_syntax.yaml", {"yaml_syntax.yaml:4:8: YAML syntax error: end of sequence flow not found"}},
};

TEST(LoaderMalformed, EachCaseReportsItsExactErrorAndPosition) {
  for (const auto& [name, expected] : malformed_cases) {
    std::vector<Diagnostic> diagnostics;
    LoadOptions options;
    options.inputs.push_back(malformed_dir / name);
    auto models = load_models(options, diagnostics);
    EXPECT_FALSE(models.has_value()) << name;
    EXPECT_EQ(error_lines(diagnostics, malformed_dir), expected) << name;
  }
}

TEST(LoaderMalformed, EveryCaseOnDiskIsInTheTable) {
  std::set<std::string> on_disk;
  for (const auto& entry : fs::directory_iterator(malformed_dir)) on_disk.insert(entry.path().filename().string());
  std::set<std::string> in_table;
  for (const auto& [name, expected] : malformed_cases) in_table.insert(name);
  EXPECT_EQ(on_disk, in_table);
  EXPECT_GE(in_table.size(), 25u);
}

TEST(Loader, MissingInputIsAnError) {
  std::vector<Diagnostic> diagnostics;
  LoadOptions options;
  options.inputs.push_back(malformed_dir / "no_such_file.yaml");
  EXPECT_FALSE(load_models(options, diagnostics));
  ASSERT_EQ(errors_of(diagnostics).size(), 1u);
  EXPECT_EQ(errors_of(diagnostics)[0].message, "no such file or folder");
  EXPECT_EQ(format(errors_of(diagnostics)[0]), (malformed_dir / "no_such_file.yaml").string() +
                                                   ": no such file or folder");
}

// --- Serverpod's real model files -----------------------------------------------------------------------------------

#define REQUIRE_SHARED_MODELS()                                                              \
  do {                                                                                       \
    if (!fs::is_directory(models_dir)) GTEST_SKIP() << models_dir << " is missing";          \
  } while (false)

std::optional<ModelSet> load_chat(std::vector<Diagnostic>& diagnostics) {
  LoadOptions options;
  options.inputs.push_back(models_dir / "chat");
  options.modules.push_back({"auth", models_dir / "auth"});
  return load_models(options, diagnostics);
}

TEST(LoaderRealModels, ChatLoadsWithTheAuthModule) {
  REQUIRE_SHARED_MODELS();
  std::vector<Diagnostic> diagnostics;
  auto models = load_chat(diagnostics);
  ASSERT_TRUE(models) << (errors_of(diagnostics).empty() ? "" : format(errors_of(diagnostics)[0]));
  EXPECT_EQ(models->classes.size(), 11u);
  ASSERT_EQ(models->modules.count("auth"), 1u);
  const ModelSet& auth = models->modules.at("auth");
  EXPECT_EQ(auth.module, "auth");
  EXPECT_NE(auth.find_class("UserInfo"), nullptr);
  EXPECT_NE(auth.find_enum("AuthenticationFailReason"), nullptr);

  const ClassDef* message = models->find_class("ChatMessage");
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(message->doc, "A chat message.");
  // `table:` gives the class Serverpod's implicit `int? id`, first.
  ASSERT_FALSE(message->fields.empty());
  EXPECT_EQ(message->fields[0].name, "id");
  EXPECT_TRUE(message->fields[0].type.nullable);
  const Field* sender_info = nullptr;
  for (const auto& f : message->fields) {
    if (f.name == "senderInfo") sender_info = &f;
  }
  ASSERT_NE(sender_info, nullptr);
  EXPECT_EQ(sender_info->type.kind, TypeRef::Kind::model);
  EXPECT_EQ(sender_info->type.module, "auth");
  EXPECT_EQ(sender_info->type.name, "UserInfoPublic");
  EXPECT_TRUE(sender_info->type.nullable);
  EXPECT_FALSE(sender_info->persist);
  EXPECT_EQ(sender_info->doc, "Information about the sender.");
  EXPECT_EQ(sender_info->where.line, 18);
  EXPECT_EQ(sender_info->where.column, 3);
  EXPECT_EQ(sender_info->type.where.column, 15);

  // Database keywords are notes, one line each.
  bool table_note = false;
  for (const auto& d : diagnostics) {
    if (d.severity == Diagnostic::Severity::note && d.message == "'table' is a database keyword; ignored") {
      table_note = true;
    }
    EXPECT_EQ(format(d).find('\n'), std::string::npos);
  }
  EXPECT_TRUE(table_note);
}

TEST(LoaderRealModels, ModulePackageDefaultsToTheNickname) {
  REQUIRE_SHARED_MODELS();
  for (std::string package : {"", "serverpod_auth"}) {
    std::vector<Diagnostic> diagnostics;
    LoadOptions options;
    options.inputs.push_back(models_dir / "chat");
    options.modules.push_back({"auth", models_dir / "auth", package});
    auto models = load_models(options, diagnostics);
    ASSERT_TRUE(models);
    EXPECT_EQ(models->package, "");
    EXPECT_EQ(models->modules.at("auth").package, package.empty() ? "auth" : package);
  }
  std::vector<Diagnostic> diagnostics;
  LoadOptions options;
  options.inputs.push_back(models_dir / "chat");
  options.modules.push_back({"auth", models_dir / "auth", "Bad-Name"});
  EXPECT_FALSE(load_models(options, diagnostics));
  ASSERT_FALSE(errors_of(diagnostics).empty());
  EXPECT_EQ(errors_of(diagnostics)[0].message,
            "invalid package name 'Bad-Name' for module 'auth': use lowercase letters, digits and '_'");
}

TEST(LoaderRealModels, ChatWithoutTheAuthModuleNamesTheMissingNickname) {
  REQUIRE_SHARED_MODELS();
  std::vector<Diagnostic> diagnostics;
  LoadOptions options;
  options.inputs.push_back(models_dir / "chat");
  EXPECT_FALSE(load_models(options, diagnostics));
  auto errors = error_lines(diagnostics, models_dir);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], "chat/chat_joined_channel.spy.yaml:14:13: unknown module nickname 'auth' in "
                       "'module:auth:UserInfo' (load it with --module auth=DIR)");
  EXPECT_EQ(errors[1], "chat/chat_message.spy.yaml:18:15: unknown module nickname 'auth' in "
                       "'module:auth:UserInfoPublic' (load it with --module auth=DIR)");
}

TEST(LoaderRealModels, AuthLoadsAlone) {
  REQUIRE_SHARED_MODELS();
  std::vector<Diagnostic> diagnostics;
  LoadOptions options;
  options.inputs.push_back(models_dir / "auth");
  auto models = load_models(options, diagnostics);
  ASSERT_TRUE(models) << (errors_of(diagnostics).empty() ? "" : format(errors_of(diagnostics)[0]));
  EXPECT_EQ(models->classes.size(), 13u);
  ASSERT_EQ(models->enums.size(), 1u);
  EXPECT_EQ(models->enums[0].serialized, EnumDef::Serialized::by_index);
  const ClassDef* key = models->find_class("AuthKey");
  ASSERT_NE(key, nullptr);
  const Field& method = key->fields.back();
  EXPECT_EQ(method.name, "method");
  EXPECT_EQ(method.doc, "The method of signing in this key was generated through. This can be email\n"
                        "or different social logins.");
}

// The test server's models, loaded as one folder: every file either loads or fails for a construct that
// switchboard-gen does not support or a type defined outside this folder, with exactly these errors.
TEST(LoaderRealModels, TestServerFailsOnlyWhereExpected) {
  REQUIRE_SHARED_MODELS();
  std::vector<Diagnostic> diagnostics;
  LoadOptions options;
  options.inputs.push_back(models_dir / "test-server");
  EXPECT_FALSE(load_models(options, diagnostics));
  std::map<std::string, std::vector<std::string>> by_file;
  for (const auto& line : error_lines(diagnostics, models_dir / "test-server")) {
    by_file[line.substr(0, line.find(':'))].push_back(line.substr(line.find(':') + 1));
  }
  const std::map<std::string, std::string> first_error = {
      {"module_datatype.spy.yaml", "3:10: unknown module nickname 'module' in 'module:module:ModuleClass' (load it "
                                   "with --module module=DIR)"},
      {"object_with_custom_class.spy.yaml", "3:46: unknown type 'CustomClassWithoutProtocolSerialization'"},
      {"object_with_dynamic.spy.yaml",
       "4:12: invalid type 'dynamic': 'dynamic' is not supported (no wire mapping in switchboard-gen)"},
      {"object_with_geography_geometry_collection.spy.yaml",
       "4:23: invalid type 'GeographyGeometryCollection': 'GeographyGeometryCollection' is not supported (no wire "
       "mapping in switchboard-gen)"},
      {"object_with_geography_line_string.spy.yaml",
       "4:15: invalid type 'GeographyLineString': 'GeographyLineString' is not supported (no wire mapping in "
       "switchboard-gen)"},
      {"object_with_geography_point.spy.yaml",
       "4:10: invalid type 'GeographyPoint': 'GeographyPoint' is not supported (no wire mapping in "
       "switchboard-gen)"},
      {"object_with_geography_polygon.spy.yaml",
       "4:12: invalid type 'GeographyPolygon': 'GeographyPolygon' is not supported (no wire mapping in "
       "switchboard-gen)"},
      {"object_with_nullable_custom_class.spy.yaml",
       "3:54: unknown type 'CustomClassWithoutProtocolSerialization'"},
      {"object_with_sealed_class.spy.yaml", "3:16: unknown type 'SealedParent'"},
      {"object_with_sealed_exception.spy.yaml", "3:16: unknown type 'SealedAppException'"},
      {"shared_model_container.spy.yaml",
       "8:31: invalid type 'serverpod_test_shared:SharedModel': unsupported qualified type "
       "'serverpod_test_shared:SharedModel': a type from a module is written 'module:NICKNAME:Type'"},
      {"shared_model_subclass.spy.yaml", "5:20: unknown type 'SharedEnum'"},
      {"types.spy.yaml", "18:20: invalid type 'GeographyPoint?': 'GeographyPoint' is not supported (no wire mapping "
                         "in switchboard-gen)"},
  };
  std::map<std::string, std::string> actual_first;
  for (const auto& [file, errors] : by_file) actual_first[file] = errors.front();
  EXPECT_EQ(actual_first, first_error);
}

// Every other test-server file loads once the failing ones are left out, and keeps what it declares.
TEST(LoaderRealModels, TestServerSupportedFilesLoad) {
  REQUIRE_SHARED_MODELS();
  const std::set<std::string> unsupported = {
      "module_datatype.spy.yaml", "object_with_custom_class.spy.yaml", "object_with_dynamic.spy.yaml",
      "object_with_geography_geometry_collection.spy.yaml", "object_with_geography_line_string.spy.yaml",
      "object_with_geography_point.spy.yaml", "object_with_geography_polygon.spy.yaml",
      "object_with_nullable_custom_class.spy.yaml", "object_with_sealed_class.spy.yaml",
      "object_with_sealed_exception.spy.yaml", "shared_model_container.spy.yaml", "shared_model_subclass.spy.yaml",
      "types.spy.yaml",
      // Refer to `Types`, which uses the Geography types:
      "types_list.spy.yaml", "types_map.spy.yaml", "types_set.spy.yaml"};
  LoadOptions options;
  for (const auto& entry : fs::directory_iterator(models_dir / "test-server")) {
    if (!unsupported.count(entry.path().filename().string())) options.inputs.push_back(entry.path());
  }
  std::vector<Diagnostic> diagnostics;
  auto models = load_models(options, diagnostics);
  ASSERT_TRUE(models) << (errors_of(diagnostics).empty() ? "" : format(errors_of(diagnostics)[0]));

  const EnumDef* enhanced = models->find_enum("TestEnumEnhanced");
  ASSERT_NE(enhanced, nullptr);
  EXPECT_EQ(enhanced->doc, "An enhanced enum with custom properties.");
  ASSERT_EQ(enhanced->properties.size(), 3u);
  EXPECT_EQ(enhanced->properties[2].name, "priority");
  ASSERT_TRUE(enhanced->properties[2].default_value);
  EXPECT_EQ(enhanced->properties[2].default_value->text, "0");
  ASSERT_EQ(enhanced->values.size(), 3u);
  EXPECT_EQ(enhanced->values[0].properties.at("shortName"), "1");
  EXPECT_EQ(enhanced->values[0].properties.at("priority"), "10");
  EXPECT_EQ(enhanced->values[1].properties.count("priority"), 0u);
  EXPECT_EQ(enhanced->values[0].doc, "The first value of [TestEnumEnhanced].");

  const EnumDef* test_enum = models->find_enum("TestEnum");
  ASSERT_NE(test_enum, nullptr);
  EXPECT_EQ(test_enum->values[1].doc, "Second Value\n\nSecond Value Extra Text");
  EXPECT_EQ(models->find_enum("TestEnumDefaultSerialization")->serialized, EnumDef::Serialized::by_name);

  const ClassDef* simple = models->find_class("SimpleData");
  ASSERT_NE(simple, nullptr);
  EXPECT_EQ(simple->doc, "Just some simple data.");
  EXPECT_EQ(simple->fields.back().doc, "The only field of [SimpleData]\n\nSecond Value Extra Text");

  const ClassDef* server_only = models->find_class("ServerOnlyDefault");
  ASSERT_NE(server_only, nullptr);
  const Field& f = server_only->fields[1];
  EXPECT_EQ(f.scope, Field::Scope::server_only);
  ASSERT_TRUE(f.default_model);
  EXPECT_EQ(f.default_model->text, "-1");
  EXPECT_EQ(server_only->fields[2].default_model->text, "'Server only message'");

  const ClassDef* records = models->find_class("TypesRecord");
  ASSERT_NE(records, nullptr);
  EXPECT_EQ(records->fields.back().type.record_fields.size(), 2u);
  EXPECT_NE(models->find_class("ObjectWithVector"), nullptr);
  EXPECT_NE(models->find_class("Record"), nullptr);
  EXPECT_EQ(models->find_class("ExceptionWithData")->kind, ClassDef::Kind::exception);
}

TEST(LoaderRealModels, ModuleTypeMustExistInTheModule) {
  REQUIRE_SHARED_MODELS();
  fs::path dir = fs::temp_directory_path() / "switchboard_loader_test_module_type";
  fs::create_directories(dir);
  {
    std::ofstream(dir / "a.yaml") << "class: Holder\nfields:\n  user: module:auth:Nobody\n";
  }
  std::vector<Diagnostic> diagnostics;
  LoadOptions options;
  options.inputs.push_back(dir);
  options.modules.push_back({"auth", models_dir / "auth"});
  EXPECT_FALSE(load_models(options, diagnostics));
  EXPECT_EQ(error_lines(diagnostics, dir), std::vector<std::string>{"a.yaml:3:9: type 'Nobody' not found in "
                                                                    "module 'auth'"});
  fs::remove_all(dir);
}

}  // namespace
}  // namespace switchboard::codegen
