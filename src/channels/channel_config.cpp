#include "channels/channel_config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "channels/channel_rules.hpp"

namespace switchboard {
namespace channels {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view source) : source_(source) {}

  ChannelRules parse(std::string_view text) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
      fail(e.mark, fmt::format("invalid YAML: {}", e.msg));
    }
    ChannelRules rules;
    rules.set_allow_undeclared(false);  // A configuration declares what exists; the rest is refused by default.
    if (!root.IsMap()) fail(root.Mark(), "expected a mapping with the keys allowUndeclared and channels");
    bool have_channels = false;
    std::map<std::string, int> seen;  // top-level key -> its line
    for (const auto& entry : root) {
      const auto key = scalar_key(entry.first);
      // YAML leaves repeated keys to the application; a second `channels` would merge or replace silently.
      if (auto [it, fresh] = seen.emplace(key, entry.first.Mark().line + 1); !fresh) {
        fail(entry.first.Mark(), fmt::format("key \"{}\" appears twice (first at line {})", key, it->second));
      }
      if (key == "allowUndeclared") {
        rules.set_allow_undeclared(boolean(entry.second, "allowUndeclared"));
      } else if (key == "channels") {
        have_channels = true;
        channels(entry.second, rules);
      } else {
        fail(entry.first.Mark(), fmt::format("unknown key \"{}\" (expected allowUndeclared or channels)", key));
      }
    }
    if (!have_channels) fail(root.Mark(), "missing key \"channels\"");
    return rules;
  }

 private:
  [[noreturn]] void fail(const YAML::Mark& mark, std::string_view message) const {
    // yaml-cpp counts from 0; editors and compilers from 1. An empty document has no position.
    const int line = mark.is_null() ? 1 : mark.line + 1;
    const int column = mark.is_null() ? 1 : mark.column + 1;
    throw std::runtime_error(fmt::format("{}:{}:{}: {}", source_, line, column, message));
  }

  std::string scalar_key(const YAML::Node& key) const {
    if (!key.IsScalar()) fail(key.Mark(), "keys must be strings");
    return key.Scalar();
  }

  bool boolean(const YAML::Node& value, std::string_view name) const {
    // Only plain true/false: YAML 1.1's yes/no/on/off are too easy to write by accident.
    if (value.IsScalar() && value.Tag() != "!" && (value.Scalar() == "true" || value.Scalar() == "false")) {
      return value.Scalar() == "true";
    }
    fail(value.Mark(), fmt::format("{} must be true or false", name));
  }

  void channels(const YAML::Node& node, ChannelRules& rules) const {
    if (node.IsNull()) return;  // "channels:" with nothing under it declares nothing.
    if (!node.IsMap()) fail(node.Mark(), "channels must be a mapping from channel names or patterns to rules");
    std::map<std::string, int> first_line;
    for (const auto& entry : node) {
      ChannelRule rule;
      rule.pattern = scalar_key(entry.first);
      const auto& mark = entry.first.Mark();
      if (auto problem = check_pattern(rule.pattern)) fail(mark, *problem);
      if (auto [it, fresh] = first_line.emplace(rule.pattern, mark.line + 1); !fresh) {
        fail(mark, fmt::format("channel \"{}\" is declared twice (first at line {})", rule.pattern, it->second));
      }
      rule_body(entry.second, rule);
      rules.add(std::move(rule));  // Cannot throw: every check add() makes was made above, with positions.
    }
  }

  void rule_body(const YAML::Node& node, ChannelRule& rule) const {
    if (node.IsNull()) return;  // "chat:" alone: any class, clients publish.
    if (!node.IsMap()) {
      fail(node.Mark(), fmt::format("the rule of channel \"{}\" must be a mapping with the keys classes and publish",
                                    rule.pattern));
    }
    for (const auto& entry : node) {
      const auto key = scalar_key(entry.first);
      if (key == "classes") {
        classes(entry.second, rule);
      } else if (key == "publish") {
        const auto& value = entry.second;
        const std::string text = value.IsScalar() ? value.Scalar() : "";
        if (text == "clients") {
          rule.publish = Publishers::clients;
        } else if (text == "server") {
          rule.publish = Publishers::server;
        } else {
          fail(value.Mark(), value.IsScalar()
                                 ? fmt::format("publish must be clients or server, not \"{}\"", text)
                                 : std::string("publish must be clients or server"));
        }
      } else {
        fail(entry.first.Mark(),
             fmt::format("unknown key \"{}\" in channel \"{}\" (expected classes or publish)", key, rule.pattern));
      }
    }
  }

  void classes(const YAML::Node& node, ChannelRule& rule) const {
    if (!node.IsSequence()) {
      fail(node.Mark(), fmt::format("classes of channel \"{}\" must be a list of class names", rule.pattern));
    }
    for (const auto& item : node) {
      if (!item.IsScalar() || item.Scalar().empty()) fail(item.Mark(), "a class name must be a non-empty string");
      if (std::find(rule.classes.begin(), rule.classes.end(), item.Scalar()) != rule.classes.end()) {
        fail(item.Mark(), fmt::format("class \"{}\" is listed twice", item.Scalar()));
      }
      rule.classes.push_back(item.Scalar());
    }
  }

  std::string_view source_;
};

}  // namespace

ChannelRules parse_channel_rules(std::string_view text, std::string_view source) { return Parser(source).parse(text); }

}  // namespace channels

ChannelRules load_channel_rules(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return channels::parse_channel_rules(text.str(), path);
}

}  // namespace switchboard
