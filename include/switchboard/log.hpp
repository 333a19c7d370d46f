#pragma once
// Structured logs (docs/protocol.md, "Logs"): one logfmt line per event,
//   ts=2026-12-04T18:30:00.123Z level=warn msg="slow consumer closed" session=513 remote=127.0.0.1:50412
// handed to Options::log_sink (default: stderr) when its level is at least Options::log_level.

#include <functional>
#include <optional>
#include <string_view>

namespace switchboard {

enum class LogLevel { debug, info, warn, error, off };

std::string_view to_string(LogLevel level) noexcept;
// "debug", "info", "warn", "error" or "off"; nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;

// Receives complete lines without the trailing newline. Called from any event-loop thread, concurrently.
using LogSink = std::function<void(LogLevel level, std::string_view line)>;

// Writes each line to stderr with one write(2), so that lines from different threads do not interleave.
void stderr_log_sink(LogLevel level, std::string_view line);

}  // namespace switchboard
