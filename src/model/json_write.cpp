#include "switchboard/model/json_write.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "protocol/json_writer.hpp"

namespace switchboard::model {

void write_bool(std::string& out, bool v) { out.append(v ? "true" : "false"); }

void write_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;  // 24 bytes always hold an int64.
  out.append(buf, end);
}

void write_double(std::string& out, double v) {
  if (!std::isfinite(v)) throw std::domain_error("switchboard::model: NaN and infinity cannot be encoded as JSON");
  if (v == 0) {
    out.append(std::signbit(v) ? "-0.0" : "0.0");
    return;
  }
  // Shortest round-trip digits in scientific form "d.ddde+XX", then laid out the way Dart (and JavaScript)
  // print numbers: `point` is the position of the decimal point relative to the digits.
  char buf[40];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::scientific);
  (void)ec;
  std::string_view sci(buf, static_cast<std::size_t>(end - buf));
  const auto e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exponent);
  const int k = static_cast<int>(digits.size());
  const int point = exponent + 1;
  if (v < 0) out.push_back('-');
  if (k <= point && point <= 21) {
    out.append(digits);
    out.append(static_cast<std::size_t>(point - k), '0');
    out.append(".0");
  } else if (0 < point && point <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(point));
    out.push_back('.');
    out.append(digits, static_cast<std::size_t>(point));
  } else if (-6 < point && point <= 0) {
    out.append("0.");
    out.append(static_cast<std::size_t>(-point), '0');
    out.append(digits);
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(point - 1 >= 0 ? '+' : '-');
    write_int(out, std::abs(point - 1));
  }
}

void write_string(std::string& out, std::string_view v) { protocol::append_json_string(out, v); }

std::string format_date_time(DateTime v) {
  using namespace std::chrono;
  const auto day = floor<days>(v);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> tod{v - day};
  const int y = static_cast<int>(ymd.year());
  char buf[48];
  // Dart writes years outside 0..9999 with a sign and six digits.
  const char* year_format = (y >= 0 && y <= 9999) ? "%04d" : (y < 0 ? "-%06d" : "+%06d");
  int n = std::snprintf(buf, sizeof buf, year_format, y < 0 ? -y : y);
  n += std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "-%02u-%02uT%02d:%02d:%02d.%03dZ",
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                     static_cast<int>(tod.seconds().count()), static_cast<int>(tod.subseconds().count()));
  return std::string(buf, static_cast<std::size_t>(n));
}

void write_date_time(std::string& out, DateTime v) {
  out.push_back('"');
  out.append(format_date_time(v));
  out.push_back('"');
}

void write_duration(std::string& out, Duration v) { write_int(out, v.count()); }

std::string base64_encode(const Bytes& v) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((v.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= v.size(); i += 3) {
    const auto n = (std::to_integer<unsigned>(v[i]) << 16) | (std::to_integer<unsigned>(v[i + 1]) << 8) |
                   std::to_integer<unsigned>(v[i + 2]);
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(alphabet[(n >> 6) & 63]);
    out.push_back(alphabet[n & 63]);
  }
  if (const auto rest = v.size() - i; rest > 0) {
    auto n = std::to_integer<unsigned>(v[i]) << 16;
    if (rest == 2) n |= std::to_integer<unsigned>(v[i + 1]) << 8;
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? alphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

void write_bytes(std::string& out, const Bytes& v) {
  out.append("\"decode('");
  out.append(base64_encode(v));
  out.append("', 'base64')\"");
}

void write_uuid(std::string& out, const Uuid& v) {
  out.push_back('"');
  out.append(v.to_string());
  out.push_back('"');
}

void write_uri(std::string& out, const Uri& v) { write_string(out, v.text); }

void write_big_int(std::string& out, const BigInt& v) { write_string(out, v.decimal); }

namespace {
void write_floats(std::string& out, const std::vector<float>& values) {
  out.push_back('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out.push_back(',');
    write_double(out, values[i]);
  }
  out.push_back(']');
}
}  // namespace

void write_vector(std::string& out, const Vector& v) { write_floats(out, v.values); }
void write_half_vector(std::string& out, const HalfVector& v) { write_floats(out, v.values); }

void write_sparse_vector(std::string& out, const SparseVector& v) {
  std::string text = "{";
  for (std::size_t i = 0; i < v.indices.size() && i < v.values.size(); ++i) {
    if (i) text.push_back(',');
    write_int(text, v.indices[i] + 1);
    text.push_back(':');
    write_double(text, v.values[i]);
  }
  text.append("}/");
  write_int(text, v.dimensions);
  write_string(out, text);
}

void write_bit(std::string& out, const Bit& v) {
  out.push_back('"');
  for (bool b : v.bits) out.push_back(b ? '1' : '0');
  out.push_back('"');
}

}  // namespace switchboard::model
