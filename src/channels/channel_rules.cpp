#include "channels/channel_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "channels/channel_name.hpp"

namespace switchboard {

void ChannelRules::add(ChannelRule rule) {
  if (auto problem = channels::check_pattern(rule.pattern)) throw std::invalid_argument(*problem);
  const bool taken = std::any_of(rules_.begin(), rules_.end(), [&](auto& r) { return r.pattern == rule.pattern; });
  if (taken) throw std::invalid_argument(fmt::format("channel \"{}\" is declared twice", rule.pattern));
  for (auto it = rule.classes.begin(); it != rule.classes.end(); ++it) {
    if (it->empty()) throw std::invalid_argument(fmt::format("channel \"{}\": a class name is empty", rule.pattern));
    if (std::find(rule.classes.begin(), it, *it) != it) {
      throw std::invalid_argument(fmt::format("channel \"{}\": class \"{}\" is listed twice", rule.pattern, *it));
    }
  }
  rules_.push_back(std::move(rule));
}

const ChannelRule* ChannelRules::lookup(std::string_view channel) const {
  // Linear: configurations hold a few dozen rules, and this runs once per subscribe or publish.
  const ChannelRule* best = nullptr;
  std::size_t best_prefix = 0;
  for (const auto& rule : rules_) {
    const std::string_view pattern = rule.pattern;
    if (!pattern.ends_with('*')) {
      if (pattern == channel) return &rule;  // Exact names beat every pattern.
      continue;
    }
    const auto prefix = pattern.substr(0, pattern.size() - 1);
    if (channel.starts_with(prefix) && (!best || prefix.size() > best_prefix)) {
      best = &rule;
      best_prefix = prefix.size();
    }
  }
  return best;
}

namespace channels {

std::optional<std::string> check_pattern(std::string_view pattern) {
  const auto star = pattern.find('*');
  if (star == std::string_view::npos) {
    if (auto problem = check_name(pattern)) return fmt::format("invalid channel name \"{}\": {}", pattern, *problem);
    return std::nullopt;
  }
  if (star != pattern.size() - 1) {
    return fmt::format("invalid channel pattern \"{}\": '*' is allowed only once, at the end", pattern);
  }
  const auto prefix = pattern.substr(0, star);
  if (prefix.empty()) return std::nullopt;  // "*": every channel.
  if (auto problem = check_name(prefix)) return fmt::format("invalid channel pattern \"{}\": {}", pattern, *problem);
  return std::nullopt;
}

std::optional<Refusal> check_subscribe(const ChannelRules& rules, std::string_view channel) {
  if (rules.lookup(channel) || rules.allow_undeclared()) return std::nullopt;
  return Refusal{error::undeclared_channel, fmt::format("channel \"{}\" is not declared", channel)};
}

std::optional<Refusal> check_publish(const ChannelRules& rules, const ModelValidator& validate, Origin origin,
                                     std::string_view channel, std::string_view class_name,
                                     std::string_view data) {
  const ChannelRule* rule = rules.lookup(channel);
  if (!rule) return check_subscribe(rules, channel);  // Undeclared: allowed or refused as for a subscribe.
  if (origin == Origin::client && rule->publish == Publishers::server) {
    return Refusal{error::forbidden, fmt::format("only the server may publish to \"{}\"", channel)};
  }
  if (rule->classes.empty()) return std::nullopt;
  if (std::find(rule->classes.begin(), rule->classes.end(), class_name) == rule->classes.end()) {
    return Refusal{error::class_not_allowed,
                   fmt::format("class \"{}\" is not allowed on channel \"{}\" (allowed: {})", class_name, channel,
                               fmt::join(rule->classes, ", "))};
  }
  if (!validate) return std::nullopt;
  auto problem = validate(class_name, data);
  if (!problem) return std::nullopt;
  if (problem->path.empty()) {
    return Refusal{error::invalid_message, fmt::format("invalid {}: {}", class_name, problem->message)};
  }
  return Refusal{error::invalid_message,
                 fmt::format("invalid {}: field \"{}\": {}", class_name, problem->path, problem->message)};
}

}  // namespace channels
}  // namespace switchboard
