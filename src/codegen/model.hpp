#pragma once
// The model AST: what switchboard-gen reads from protocol YAML (Serverpod's model format) and what its
// emitters (C++, TypeScript) write code from. Pure data: no YAML, no I/O.
//
// Produced by codegen::load_models() (loader.hpp), which has already checked everything an emitter relies on:
// every type reference resolves, names are valid identifiers and unique, `extends` chains exist and do not
// loop, a class cannot contain itself without a nullable or container break. Emitters may assume a valid set.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::codegen {

// 1-based line and column of a YAML node, for messages "file:line:column: what is wrong".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// A field type such as `List<Map<String, int?>>?` or `(int, {String? name})` or `module:auth:UserInfo`.
struct TypeRef {
  enum class Kind {
    // Scalars
    boolean,      // bool
    integer,      // int: 64-bit signed
    floating,     // double
    string,       // String
    date_time,    // DateTime: UTC, millisecond precision on the wire
    duration,     // Duration: milliseconds on the wire
    byte_data,    // ByteData
    uuid,         // UuidValue
    uri,          // Uri
    big_int,      // BigInt
    // Containers (args)
    list,         // List<T>: args[0]
    set,          // Set<T>: args[0]
    map,          // Map<K, V>: args[0], args[1]
    record,       // (T1, T2 name, {T3 named}): record_fields
    // Vectors (dimension)
    vector,       // Vector(n)
    half_vector,  // HalfVector(n)
    sparse_vector,// SparseVector(n)
    bit,          // Bit(n)
    // A class, exception or enum of this model set or of a module (name, module, target)
    model,
  };

  struct RecordField {
    std::string name;   // "" for an unnamed positional field
    bool named = false; // true inside `{...}`: addressed by name on the wire
    std::shared_ptr<TypeRef> type;
  };

  Kind kind = Kind::string;
  bool nullable = false;                  // trailing `?`
  std::vector<TypeRef> args;              // list / set / map
  std::vector<RecordField> record_fields; // record: positional fields first, in order, then named ones
  int dimension = 0;                      // vector kinds
  std::string name;                       // model: the class/enum/exception name, e.g. "UserInfo"
  std::string module;                     // model: the module nickname for `module:auth:UserInfo`, else ""
  SourceLocation where;
};

// A default value as written in YAML after `default=`, `defaultModel=` or `defaultPersist=` (e.g. `-1`,
// `'text'`, `now`, `random`, `true`, an enum value name). Only `default`/`defaultModel` concern the wire:
// they apply when a field is absent from the JSON being decoded and when a model is constructed.
struct DefaultValue {
  std::string text;
  SourceLocation where;
};

struct Field {
  std::string name;                 // Dart field name, e.g. "senderInfo"
  std::string json_key;             // Key on the wire: `jsonKey=` when given, else name
  TypeRef type;
  enum class Scope { all, server_only, none };
  Scope scope = Scope::all;         // `scope=serverOnly` fields are never sent to clients; `none` never on wire
  bool persist = true;              // `!persist` / `persist`: database only, ignored on the wire
  std::optional<DefaultValue> default_model;  // `default=` or `defaultModel=`
  std::string doc;                  // `###` comment lines above the field, joined with '\n'
  SourceLocation where;
};

struct ClassDef {
  enum class Kind { class_, exception };
  Kind kind = Kind::class_;
  std::string name;
  std::string extends;              // Parent class name or "" (inheritance: parent fields come first)
  bool is_sealed = false;           // `sealed: true`: the parent of a closed hierarchy
  bool server_only = false;         // `serverOnly: true`: never sent to clients
  std::vector<Field> fields;        // Own fields only, in file order
  std::string doc;
  SourceLocation where;
};

struct EnumDef {
  enum class Serialized { by_name, by_index };
  struct Property {
    std::string name;
    TypeRef type;
    std::optional<DefaultValue> default_value;
  };
  struct Value {
    std::string name;
    std::map<std::string, std::string> properties;  // Property values as written in YAML
    std::string doc;
    SourceLocation where;
  };
  std::string name;
  Serialized serialized = Serialized::by_name;  // Serverpod's default is byName
  std::optional<std::string> default_value;     // `default:` value used when an unknown value is decoded
  std::vector<Property> properties;             // Enhanced enums
  std::vector<Value> values;
  std::string doc;
  SourceLocation where;
};

// One loaded model set: a project's model folder, or a module (`--module auth=DIR`).
struct ModelSet {
  std::string module;  // "" for the project itself, else the nickname
  // The module's Dart package name (`serverpod_auth` for nickname `auth`): module classes travel as
  // "<package>.<Name>" in `className` and `__className__`. "" for the project. Defaults to the nickname.
  std::string package;
  std::vector<ClassDef> classes;  // Sorted by name
  std::vector<EnumDef> enums;     // Sorted by name
  std::map<std::string, ModelSet> modules;  // Referenced modules by nickname (only for the project set)

  const ClassDef* find_class(const std::string& name) const;
  const EnumDef* find_enum(const std::string& name) const;
};

}  // namespace switchboard::codegen
