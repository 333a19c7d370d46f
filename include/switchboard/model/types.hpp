#pragma once
// Value types of generated model code: what each Serverpod scalar becomes in C++. docs/models.md ("Wire
// encoding") says how each one travels as JSON. All types are regular values: copyable, ==, <=> (so that they
// can be keys of std::map and elements of std::set, as Serverpod allows for Map and Set).

#include <array>
#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::model {

// Which fields an encoding holds. `server`: every field (Serverpod's toJson). `client`: what a client may see
// (toJsonForProtocol): fields with `scope=serverOnly` are left out.
enum class Scope { server, client };

// DateTime: UTC, millisecond precision, as on the wire.
using DateTime = std::chrono::sys_time<std::chrono::milliseconds>;
// Duration: milliseconds, as on the wire.
using Duration = std::chrono::milliseconds;
// ByteData.
using Bytes = std::vector<std::byte>;

// The current time, truncated to milliseconds (a field with `default=now`).
DateTime now();

// Parses an ISO-8601 text as DateTime::parse does (see docs/models.md). Returns nullopt for anything else.
std::optional<DateTime> parse_date_time(std::string_view text);
// The same for texts written by a programmer (YAML defaults): throws std::invalid_argument when invalid.
DateTime date_time_or_throw(std::string_view text);

// UuidValue: 16 bytes; on the wire the canonical lower-case 8-4-4-4-12 form.
struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  static std::optional<Uuid> parse(std::string_view text);  // Either case; nullopt when malformed.
  static Uuid parse_or_throw(std::string_view text);         // For YAML defaults: throws std::invalid_argument.
  static Uuid random_v4();                                    // `default=random`
  static Uuid random_v7();                                    // `default=random_v7`
  std::string to_string() const;

  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend std::strong_ordering operator<=>(const Uuid&, const Uuid&) = default;
};

// Uri: kept as its text (Uri.toString() on the Dart side).
struct Uri {
  std::string text;
  friend bool operator==(const Uri&, const Uri&) = default;
  friend std::strong_ordering operator<=>(const Uri&, const Uri&) = default;
};

// BigInt: its canonical decimal text ("-123", "0"; no '+', no leading zeros). Ordering is by text, not by value.
struct BigInt {
  std::string decimal = "0";
  friend bool operator==(const BigInt&, const BigInt&) = default;
  friend std::strong_ordering operator<=>(const BigInt&, const BigInt&) = default;
};

// pgvector types. Vector and HalfVector hold float32 values (pgvector's storage); the wire carries them as JSON
// numbers. SparseVector holds 0-based indices (1-based on the wire).
struct Vector {
  std::vector<float> values;
  friend bool operator==(const Vector&, const Vector&) = default;
  friend std::partial_ordering operator<=>(const Vector&, const Vector&) = default;
};
struct HalfVector {
  std::vector<float> values;
  friend bool operator==(const HalfVector&, const HalfVector&) = default;
  friend std::partial_ordering operator<=>(const HalfVector&, const HalfVector&) = default;
};
struct SparseVector {
  std::int64_t dimensions = 0;
  std::vector<std::int64_t> indices;  // Ascending, 0-based.
  std::vector<float> values;          // Non-zero, one per index.
  friend bool operator==(const SparseVector&, const SparseVector&) = default;
  friend std::partial_ordering operator<=>(const SparseVector&, const SparseVector&) = default;
};
struct Bit {
  std::vector<bool> bits;
  friend bool operator==(const Bit&, const Bit&) = default;
  friend std::strong_ordering operator<=>(const Bit&, const Bit&) = default;
};

// The outcome of decoding a whole JSON text.
class DecodeResult {
 public:
  DecodeResult() = default;  // Success.
  static DecodeResult failure(std::string error) { DecodeResult r; r.error_ = std::move(error); r.ok_ = false; return r; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const std::string& error() const { return error_; }  // Empty on success.

 private:
  bool ok_ = true;
  std::string error_;
};

// A nullable value of a model type that (directly or indirectly) contains itself, e.g. `next: Node?` in class
// Node: std::optional cannot hold an incomplete type, so this holds it on the heap. It behaves like
// std::optional: empty or holding one T, compared and copied by value.
template <class T>
class Indirect {
 public:
  Indirect() = default;
  Indirect(std::nullopt_t) {}
  Indirect(T value) : p_(std::make_unique<T>(std::move(value))) {}
  Indirect(const Indirect& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Indirect(Indirect&&) noexcept = default;
  Indirect& operator=(const Indirect& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Indirect& operator=(Indirect&&) noexcept = default;
  Indirect& operator=(std::nullopt_t) { p_.reset(); return *this; }
  Indirect& operator=(T value) { p_ = std::make_unique<T>(std::move(value)); return *this; }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  T& emplace() { p_ = std::make_unique<T>(); return *p_; }
  void reset() { p_.reset(); }

  friend bool operator==(const Indirect& a, const Indirect& b) {
    if (!a.p_ || !b.p_) return !a.p_ && !b.p_;
    return *a.p_ == *b.p_;
  }
  friend std::partial_ordering operator<=>(const Indirect& a, const Indirect& b) {
    if (!a.p_ || !b.p_) return !a.p_ ? (!b.p_ ? std::partial_ordering::equivalent : std::partial_ordering::less)
                                     : std::partial_ordering::greater;
    return *a.p_ <=> *b.p_;
  }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace switchboard::model
