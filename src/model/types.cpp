#include "switchboard/model/types.hpp"

#include <random>
#include <stdexcept>

#include "protocol/hex.hpp"

namespace switchboard::model {

DateTime now() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

namespace {

using protocol::hex_value;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::mt19937_64& rng() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

}  // namespace

std::optional<DateTime> parse_date_time(std::string_view s) {
  // The grammar of Dart's DateTime.parse: [+-]YYYY[YY]-MM-DD[(T| )HH[:MM[:SS[(.|,)fraction]]][ ?(Z|+-HH[:MM])]].
  // Separators ('-', ':') may be left out as Dart allows ("20240229T235959Z").
  std::size_t i = 0;
  auto take_digits = [&](std::size_t n) -> std::optional<int> {
    if (i + n > s.size() || !all_digits(s.substr(i, n))) return std::nullopt;
    const int v = to_int(s.substr(i, n));
    i += n;
    return v;
  };
  int sign = 1;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
  std::size_t year_digits = 0;
  while (i + year_digits < s.size() && s[i + year_digits] >= '0' && s[i + year_digits] <= '9') ++year_digits;
  // Year: 4 to 6 digits, but with separators left out, "20240229" is year 2024 followed by the month and day.
  const bool compact = year_digits == 8;
  if (compact) year_digits = 4;
  if (year_digits < 4 || year_digits > 6) return std::nullopt;
  const auto year = take_digits(year_digits);
  if (!compact && i < s.size() && s[i] == '-') ++i;
  const auto month = take_digits(2);
  if (!compact && i < s.size() && s[i] == '-') ++i;
  const auto day = take_digits(2);
  if (!year || !month || !day) return std::nullopt;
  int h = 0, m = 0, sec = 0;
  std::int64_t ms = 0;
  std::int64_t offset_minutes = 0;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return std::nullopt;
    ++i;
    const auto hh = take_digits(2);
    if (!hh) return std::nullopt;
    h = *hh;
    if (i < s.size() && (s[i] == ':' || (s[i] >= '0' && s[i] <= '9'))) {
      if (s[i] == ':') ++i;
      const auto mm = take_digits(2);
      if (!mm) return std::nullopt;
      m = *mm;
      if (i < s.size() && (s[i] == ':' || (s[i] >= '0' && s[i] <= '9'))) {
        if (s[i] == ':') ++i;
        const auto ss = take_digits(2);
        if (!ss) return std::nullopt;
        sec = *ss;
        if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
          ++i;
          std::size_t n = 0;
          while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (n < 3) ms = ms * 10 + (s[i] - '0');
            ++n;
            ++i;
          }
          if (n == 0) return std::nullopt;
          for (std::size_t k = n; k < 3; ++k) ms *= 10;
        }
      }
    }
    if (i < s.size() && s[i] == ' ') ++i;
    if (i < s.size()) {
      if (s[i] == 'Z' || s[i] == 'z') {
        ++i;
      } else if (s[i] == '+' || s[i] == '-') {
        const int zsign = s[i++] == '-' ? -1 : 1;
        const auto oh = take_digits(2);
        if (!oh) return std::nullopt;
        int om = 0;
        if (i < s.size()) {
          if (s[i] == ':') ++i;
          const auto omm = take_digits(2);
          if (!omm) return std::nullopt;
          om = *omm;
        }
        offset_minutes = zsign * (*oh * 60 + om);
      } else {
        return std::nullopt;
      }
    }
    if (i != s.size()) return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{sign * *year}, std::chrono::month{static_cast<unsigned>(*month)},
                           std::chrono::day{static_cast<unsigned>(*day)}};
  // Dart rolls impossible dates over (Feb 30 -> Mar 1); no Serverpod peer writes one, so they are rejected.
  if (!ymd.ok() || h > 24 || m > 59 || sec > 59 || (h == 24 && (m || sec || ms))) return std::nullopt;
  return DateTime{sys_days{ymd}.time_since_epoch() + hours{h} + minutes{m} + seconds{sec} + milliseconds{ms} -
                  minutes{offset_minutes}};
}

DateTime date_time_or_throw(std::string_view text) {
  if (auto t = parse_date_time(text)) return *t;
  throw std::invalid_argument("switchboard::model: not a DateTime: " + std::string(text));
}

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid u;
  std::size_t b = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int hi = hex_value(text[i]);
    const int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    u.bytes[b++] = static_cast<std::uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return u;
}

Uuid Uuid::parse_or_throw(std::string_view text) {
  if (auto u = parse(text)) return *u;
  throw std::invalid_argument("switchboard::model: not a UUID: " + std::string(text));
}

Uuid Uuid::random_v4() {
  Uuid u;
  for (std::size_t i = 0; i < 16; i += 8) {
    const auto r = rng()();
    for (std::size_t k = 0; k < 8; ++k) u.bytes[i + k] = static_cast<std::uint8_t>(r >> (8 * k));
  }
  u.bytes[6] = static_cast<std::uint8_t>((u.bytes[6] & 0x0F) | 0x40);
  u.bytes[8] = static_cast<std::uint8_t>((u.bytes[8] & 0x3F) | 0x80);
  return u;
}

Uuid Uuid::random_v7() {
  Uuid u = random_v4();
  const auto ms = static_cast<std::uint64_t>(now().time_since_epoch().count());
  for (std::size_t k = 0; k < 6; ++k) u.bytes[k] = static_cast<std::uint8_t>(ms >> (8 * (5 - k)));
  u.bytes[6] = static_cast<std::uint8_t>((u.bytes[6] & 0x0F) | 0x70);
  return u;
}

std::string Uuid::to_string() const {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(hex[bytes[i] >> 4]);
    s.push_back(hex[bytes[i] & 15]);
  }
  return s;
}

}  // namespace switchboard::model
