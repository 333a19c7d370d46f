#pragma once
// ChannelIndex: a two-way membership index, name -> subscribers and subscriber -> names, as pure data.
//
// It does no I/O and knows nothing of sockets, so it is unit-tested on its own. A name exists while it has at
// least one subscriber: created by the first subscribe, deleted with the last unsubscribe, so that nobody can
// exhaust memory by creating names. Removing a subscriber costs time linear in its own memberships (plus the
// position search in each channel's subscriber list).
//
// One event loop owns each instance (no locks). The server keeps three per loop: channels, groups and users.
// `S` is a small copyable, hashable subscriber handle (a session pointer in the server, ints in tests).

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace switchboard::channels {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <class S>
class ChannelIndex {
 public:
  enum class Result {
    added_first,    // Subscribed; the channel was created by this call.
    added,          // Subscribed to an existing channel.
    already,        // Nothing changed: already subscribed.
    removed,        // Unsubscribed; the channel still has subscribers.
    removed_last,   // Unsubscribed; the channel was deleted.
    absent,         // Nothing changed: was not subscribed.
  };

  Result subscribe(std::string_view name, S s) {
    auto it = channels_.find(name);
    const bool created = it == channels_.end();
    if (created) it = channels_.emplace(std::string(name), std::vector<S>{}).first;
    auto& mine = by_subscriber_[s];
    const std::string* key = &it->first;  // Node-based map: the key's address is stable.
    if (!created && std::find(mine.begin(), mine.end(), key) != mine.end()) return Result::already;
    it->second.push_back(s);
    mine.push_back(key);
    ++subscriptions_;
    return created ? Result::added_first : Result::added;
  }

  Result unsubscribe(std::string_view name, S s) {
    auto it = channels_.find(name);
    if (it == channels_.end()) return Result::absent;
    auto sub = by_subscriber_.find(s);
    if (sub == by_subscriber_.end()) return Result::absent;
    auto& mine = sub->second;
    auto pos = std::find(mine.begin(), mine.end(), &it->first);
    if (pos == mine.end()) return Result::absent;
    *pos = mine.back();
    mine.pop_back();
    if (mine.empty()) by_subscriber_.erase(sub);
    return erase_from_channel(it, s);
  }

  // Removes `s` from every channel and calls `left(name, result)` for each, result being removed or
  // removed_last. `name` is valid only during the call.
  template <class F>
  void remove_subscriber(S s, F&& left) {
    auto sub = by_subscriber_.find(s);
    if (sub == by_subscriber_.end()) return;
    std::vector<const std::string*> mine = std::move(sub->second);
    by_subscriber_.erase(sub);
    for (const std::string* key : mine) {
      auto it = channels_.find(*key);
      const std::string name = *key;  // The key dies with the channel when this is its last subscriber.
      left(std::string_view(name), erase_from_channel(it, s));
    }
  }

  // The subscribers of `name`, or nullptr when the channel does not exist.
  const std::vector<S>* subscribers(std::string_view name) const {
    auto it = channels_.find(name);
    return it == channels_.end() ? nullptr : &it->second;
  }

  bool contains(std::string_view name, S s) const {
    auto sub = by_subscriber_.find(s);
    if (sub == by_subscriber_.end()) return false;
    return std::any_of(sub->second.begin(), sub->second.end(), [&](const std::string* k) { return *k == name; });
  }

  // The names `s` belongs to, sorted.
  std::vector<std::string> names_of(S s) const {
    std::vector<std::string> out;
    if (auto sub = by_subscriber_.find(s); sub != by_subscriber_.end()) {
      for (const std::string* k : sub->second) out.push_back(*k);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::size_t count_of(S s) const {
    auto sub = by_subscriber_.find(s);
    return sub == by_subscriber_.end() ? 0 : sub->second.size();
  }

  std::size_t channel_count() const noexcept { return channels_.size(); }
  std::size_t subscriber_count() const noexcept { return by_subscriber_.size(); }
  std::size_t subscription_count() const noexcept { return subscriptions_; }

  template <class F>
  void for_each_channel(F&& f) const {
    for (const auto& [name, subs] : channels_) f(std::string_view(name), subs.size());
  }

 private:
  using Map = std::unordered_map<std::string, std::vector<S>, StringHash, std::equal_to<>>;

  Result erase_from_channel(typename Map::iterator it, S s) {
    auto& subs = it->second;
    auto pos = std::find(subs.begin(), subs.end(), s);
    *pos = subs.back();  // Order among subscribers carries no meaning; swap-remove keeps it O(1) after find.
    subs.pop_back();
    --subscriptions_;
    if (!subs.empty()) return Result::removed;
    channels_.erase(it);
    return Result::removed_last;
  }

  Map channels_;
  std::unordered_map<S, std::vector<const std::string*>> by_subscriber_;
  std::size_t subscriptions_ = 0;
};

}  // namespace switchboard::channels
