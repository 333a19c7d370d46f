// Cross-process round trip C++ -> TypeScript -> C++ over the models of tests/models/protocol.
//
//   cross_ts_roundtrip_test --node NODE --gen SWITCHBOARD_GEN --ts-dir tests/codegen-ts --protocol DIR --work DIR
//
// 1. Generates and compiles the TypeScript models of --protocol (node build.mjs --out WORK/ts PROTOCOL).
// 2. Encodes sample values of every client-visible class, exception and enum with the generated C++ as
//    envelopes {"className": ..., "data": ...}, one per line, into WORK/in.jsonl.
// 3. Pipes them through `node roundtrip.mjs --models WORK/ts/js/models/generated/index.js` (decode with the
//    generated TypeScript, re-encode) into WORK/out.jsonl.
// 4. Decodes every output line in C++ and checks it equals the original value, and that the JSON is
//    byte-identical where the encoding is canonical (everything except integral doubles, which Dart and C++
//    write as `2.0` and JavaScript as `2`).
// Exit status 0 on success, 1 on a failure, 77 (ctest: skipped) when tests/codegen-ts has no node_modules
// (run `npm ci` there), 2 on a usage error.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "switchboard/model/types.hpp"
#include "switchboard_models.hpp"

extern char** environ;

namespace fs = std::filesystem;
namespace m = switchboard::models;
namespace sm = switchboard::model;

namespace {

struct Sample {
  std::string class_name;
  std::string data;  // C++ encoding (Scope::client)
  bool canonical = true;
  // Decodes `data` as the sample's type and compares with the original; "" when equal, else what differs.
  std::function<std::string(const std::string& data)> check;
};

template <class T>
Sample sample(std::string class_name, T value, bool canonical = true) {
  Sample s;
  s.class_name = std::move(class_name);
  m::to_json(s.data, value, sm::Scope::client);
  s.canonical = canonical;
  s.check = [value = std::move(value)](const std::string& data) -> std::string {
    T back;
    const auto r = m::from_json(data, back);
    if (!r.ok()) return "C++ cannot decode it: " + r.error();
    if (!(back == value)) return "decodes to a different value";
    return "";
  };
  return s;
}

sm::DateTime at(const char* iso) { return *sm::parse_date_time(iso); }

m::Everything everything(bool nullables) {
  m::Everything e;
  e.aBool = true;
  e.anInt = -9007199254740991;  // -(2^53 - 1): the TypeScript side holds ints as safe-integer numbers
  e.aDouble = 0.1;
  e.aString = "h\xC3\xA9 \xF0\x9F\x98\x80 \"q\" \\ \n\t\x01 \xE2\x80\xA8";
  e.aDateTime = at("2024-02-29T23:59:59.999Z");
  e.aDuration = sm::Duration{-90061001};
  e.aByteData = {std::byte{0}, std::byte{255}, std::byte{16}, std::byte{'a'}};
  e.aUuid = *sm::Uuid::parse("550e8400-e29b-41d4-a716-446655440000");
  e.aUri = {"https://example.com/a?b=c#d"};
  e.aBigInt = {"-123456789012345678901234567890"};
  e.aColor = m::Color::blue;
  e.aPriority = m::Priority::high;
  e.aVector = {{1.5f, 2.25f, -3.125f}};
  e.aHalfVector = {{0.5f, -0.75f}};
  e.aSparseVector = {5, {0, 2}, {1.0f, 2.5f}};
  e.aBit = {{true, false, true, true}};
  if (nullables) {
    e.nBool = false;
    e.nInt = 9007199254740991;
    e.nDouble = -1.5e-7;
    e.nString = "";
    e.nDateTime = at("1970-01-01T00:00:00.000Z");
    e.nDuration = sm::Duration{0};
    e.nByteData = sm::Bytes{};
    e.nUuid = *sm::Uuid::parse("00000000-0000-0000-0000-000000000000");
    e.nUri = sm::Uri{"urn:x"};
    e.nBigInt = sm::BigInt{"0"};
    e.nColor = m::Color::red;
  }
  return e;
}

m::Containers containers(bool nullables) {
  m::Containers c;
  c.ints = {1, -2, 3};
  c.maybeInts = {1, std::nullopt, 3};
  c.nested = {{"a", "b"}, {}, {"c"}};
  c.tags = {"x", "y", "\xC3\xA9"};
  c.counts = {{"a", 1}, {"b", 2}};
  c.byId = {{-1, "minus one"}, {2, "two"}, {10, "ten"}};
  c.byColor = {{m::Color::red, {0.5, 1.25}}, {m::Color::blue, {}}};
  c.points = {{1, 2}, {-3, 4}};
  c.pair = {1, "a"};
  c.named = {2, nullables ? std::optional<std::string>("label") : std::nullopt};
  c.mixed = {3, "name"};
  if (nullables) {
    c.deep = std::map<std::string, std::vector<std::map<std::string, std::optional<std::int64_t>>>>{
        {"k", {{{"a", 1}, {"b", std::nullopt}}, {}}}};
    c.records = std::vector<std::tuple<std::string, m::Color>>{{"r", m::Color::green}, {"s", m::Color::red}};
  }
  return c;
}

m::Drawing drawing() {
  m::Drawing d;
  d.shapes = {m::Circle{"c", 2.5}, m::Square{"s", 0.75}};
  d.main = m::AnyShape{m::Square{"main", 1.5}};
  d.pet = m::AnyAnimal{m::Dog{"rex", true}};
  m::Drawing child;
  child.pet = m::AnyAnimal{m::Animal{"cat"}};
  m::Drawing parent;
  parent.shapes = {m::Circle{"p", 0.5}};
  child.parent = parent;
  d.children = {child, m::Drawing{}};
  d.parent = parent;
  return d;
}

std::vector<Sample> samples() {
  std::vector<Sample> s;
  s.push_back(sample("Animal", m::Animal{"generic"}));
  s.push_back(sample("Animal", m::AnyAnimal{m::Dog{"rex", true}}));  // a subclass where the parent is expected
  s.push_back(sample("Dog", m::Dog{"rex", false}));
  s.push_back(sample("Attachment", m::Attachment{"a.png", 12}));
  // AuditEntry is serverOnly: it does not exist on the TypeScript (client) side.
  s.push_back(sample("ChatMessage", m::ChatMessage{"hi", std::vector<m::Attachment>{{"a.png", 12}, {"b", 0}}}));
  s.push_back(sample("ChatMessage", m::ChatMessage{"", std::nullopt}));
  s.push_back(sample("Circle", m::Circle{"c", 2.5}));
  s.push_back(sample("Square", m::Square{"s", 0.125}));
  s.push_back(sample("Color", m::Color::green));
  s.push_back(sample("Priority", m::Priority::high));
  s.push_back(sample("Containers", containers(true)));
  s.push_back(sample("Containers", containers(false)));
  m::Defaults defaults;  // serverOnly fields keep their defaults: clients never see them
  defaults.count = -4;
  defaults.ratio = 0.25;
  defaults.title = "t";
  defaults.enabled = false;
  defaults.color = m::Color::blue;
  defaults.timeout = sm::Duration{1500};
  defaults.since = at("2000-01-01T00:00:00.001Z");
  // Not nullopt: a null `maybe` (String?, default='x') is omitted and decodes as 'x' again, on every side
  // (Serverpod's constructor does `maybe = maybe ?? 'x'`).
  defaults.maybe = "y";
  s.push_back(sample("Defaults", defaults));
  s.push_back(sample("Defaults", m::Defaults{}));
  s.push_back(sample("Drawing", drawing()));
  s.push_back(sample("Everything", everything(true)));
  s.push_back(sample("Everything", everything(false)));
  s.push_back(sample("NotFound", m::NotFound{"x", 3}));
  s.push_back(sample("NotFound", m::NotFound{"y", std::nullopt}));
  s.push_back(sample("Point", m::Point{-9007199254740991, 0}));
  // Integral doubles: C++ (like Dart) writes 2.0, JavaScript 2. Equal values, different bytes.
  s.push_back(sample("Circle", m::Circle{"integral", 2.0}, false));
  m::Everything integral = everything(true);
  integral.aDouble = -3.0;
  integral.nDouble = 1e21;
  integral.aVector = {{1.0f, 2.0f, 3.0f}};
  s.push_back(sample("Everything", integral, false));
  return s;
}

// Runs argv with stdin from `in` and stdout to `out` (paths; "" = inherit); returns the exit status.
int run(const std::vector<std::string>& argv, const fs::path& in, const fs::path& out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!in.empty()) posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  if (!out.empty()) posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int err = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) {
    std::cerr << "cannot run " << argv[0] << ": " << std::strerror(err) << "\n";
    return -1;
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt;
  for (int i = 1; i + 1 < argc; i += 2) opt[argv[i]] = argv[i + 1];
  for (const char* k : {"--node", "--gen", "--ts-dir", "--protocol", "--work"}) {
    if (!opt.count(k) || argc % 2 != 1) {
      std::cerr << "usage: cross_ts_roundtrip_test --node NODE --gen SWITCHBOARD_GEN --ts-dir DIR --protocol DIR "
                   "--work DIR\n";
      return 2;
    }
  }
  const fs::path ts_dir = opt["--ts-dir"], work = opt["--work"];
  if (!fs::exists(ts_dir / "node_modules/typescript")) {
    std::cerr << "SKIPPED: " << (ts_dir / "node_modules").string() << " is missing (run `npm ci` in " << ts_dir.string()
              << ")\n";
    return 77;
  }
  fs::create_directories(work);

  // 1. TypeScript models of the same YAML.
  if (run({opt["--node"], (ts_dir / "build.mjs").string(), "--gen", opt["--gen"], "--out", (work / "ts").string(),
           opt["--protocol"]},
          "", "") != 0) {
    std::cerr << "FAILED: build.mjs could not generate/compile the TypeScript models\n";
    return 1;
  }

  // 2. C++ encodes.
  const std::vector<Sample> all = samples();
  {
    std::ofstream in(work / "in.jsonl", std::ios::binary);
    for (const auto& s : all) in << R"({"className":")" << s.class_name << R"(","data":)" << s.data << "}\n";
    if (!in) {
      std::cerr << "FAILED: cannot write " << (work / "in.jsonl").string() << "\n";
      return 1;
    }
  }

  // 3. TypeScript decodes and re-encodes.
  const int status = run({opt["--node"], (ts_dir / "roundtrip.mjs").string(), "--models",
                          (work / "ts/js/models/generated/index.js").string()},
                         work / "in.jsonl", work / "out.jsonl");
  if (status != 0) {
    std::cerr << "FAILED: roundtrip.mjs exited with " << status << " (input: " << (work / "in.jsonl").string()
              << ")\n";
    return 1;
  }

  // 4. C++ decodes and compares.
  std::ifstream out(work / "out.jsonl", std::ios::binary);
  std::string line;
  std::size_t i = 0, failures = 0, identical = 0;
  while (std::getline(out, line)) {
    if (i >= all.size()) {
      std::cerr << "FAILED: more output lines than input lines\n";
      return 1;
    }
    const Sample& s = all[i++];
    const std::string prefix = R"({"className":")" + s.class_name + R"(","data":)";
    std::string problem;
    std::string data;
    if (line.rfind(prefix, 0) != 0 || line.size() < prefix.size() + 1 || line.back() != '}') {
      problem = "not an envelope of " + s.class_name;
    } else {
      data = line.substr(prefix.size(), line.size() - prefix.size() - 1);
      problem = s.check(data);
      if (problem.empty() && data == s.data) ++identical;
      if (problem.empty() && s.canonical && data != s.data) problem = "JSON differs";
    }
    if (!problem.empty()) {
      ++failures;
      std::cerr << "FAILED line " << i << " (" << s.class_name << "): " << problem << "\n  C++: " << s.data
                << "\n  TS:  " << (data.empty() ? line : data) << "\n";
    }
  }
  if (i != all.size()) {
    std::cerr << "FAILED: " << all.size() << " lines in, " << i << " out\n";
    return 1;
  }
  std::cout << all.size() << " values C++ -> TypeScript -> C++: " << (all.size() - failures) << " equal, "
            << identical << " byte-identical\n";
  return failures == 0 ? 0 : 1;
}
