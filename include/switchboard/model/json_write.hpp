#pragma once
// JSON writing primitives for generated model code: each appends one value to `out`, in exactly the form a
// Serverpod peer writes it (docs/models.md, "Wire encoding"). No DOM: callers write the structure.

#include <cstdint>
#include <string>
#include <string_view>

#include "switchboard/model/types.hpp"

namespace switchboard::model {

void write_bool(std::string& out, bool v);
void write_int(std::string& out, std::int64_t v);
// Dart's double.toString(): shortest round-trip digits, integral values with ".0" (1.0), exponent form outside
// [1e-6, 1e21) ("1e+21", "1e-7"). Throws std::domain_error for NaN and infinities: JSON has no such values and
// Dart's encoder throws too, so putting one into a model that is sent is a programmer error.
void write_double(std::string& out, double v);
void write_string(std::string& out, std::string_view v);  // `v` must be UTF-8.
void write_date_time(std::string& out, DateTime v);        // "2024-02-29T23:59:59.999Z"
void write_duration(std::string& out, Duration v);         // milliseconds
void write_bytes(std::string& out, const Bytes& v);        // "decode('AQID', 'base64')"
void write_uuid(std::string& out, const Uuid& v);
void write_uri(std::string& out, const Uri& v);
void write_big_int(std::string& out, const BigInt& v);
void write_vector(std::string& out, const Vector& v);
void write_half_vector(std::string& out, const HalfVector& v);
void write_sparse_vector(std::string& out, const SparseVector& v);  // "{1:1.0,3:2.5}/5"
void write_bit(std::string& out, const Bit& v);                     // "1011"

// Helpers shared with the decoder and tests.
std::string format_date_time(DateTime v);
std::string base64_encode(const Bytes& v);

}  // namespace switchboard::model
