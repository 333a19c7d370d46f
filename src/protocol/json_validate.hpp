#pragma once
// Full validation of JSON read with simdjson's on-demand API.
//
// On-demand parsing checks structure eagerly but atoms (numbers, literals, string escapes) only when they are
// read, and skips what it is not asked for. validate_json() reads every atom once, so a value it accepts is
// valid JSON all the way down. simdjson 3.0.1's on-demand iterator does not enforce a maximum depth, so this
// does: without a bound, 100k '[' would overflow the stack.
//
// Include only from .cpp files that already use simdjson: simdjson.h is large.

#include <simdjson.h>

#include <cstddef>

namespace switchboard::protocol {

// Consumes `v`, returning the first error (DEPTH_ERROR past `max_depth` levels of nesting).
simdjson::error_code validate_json(simdjson::ondemand::value& v, std::size_t max_depth);
simdjson::error_code validate_json(simdjson::ondemand::document& doc, std::size_t max_depth);

}  // namespace switchboard::protocol
