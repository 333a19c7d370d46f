#include "server/log.hpp"

#include <unistd.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <iterator>

#include "protocol/json_writer.hpp"

namespace switchboard {

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
    case LogLevel::off: return "off";
  }
  return "unknown";
}

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
  for (auto level : {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error, LogLevel::off}) {
    if (text == to_string(level)) return level;
  }
  return std::nullopt;
}

void stderr_log_sink(LogLevel, std::string_view line) {
  std::string out;
  out.reserve(line.size() + 1);
  out.append(line).push_back('\n');
  // One write per line: POSIX keeps writes to a pipe up to PIPE_BUF whole; longer lines to a file as well.
  std::size_t done = 0;
  while (done < out.size()) {
    const auto n = ::write(STDERR_FILENO, out.data() + done, out.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

namespace server {

namespace {

bool needs_quotes(std::string_view v) {
  if (v.empty()) return true;
  for (unsigned char c : v) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) return true;
  }
  return false;
}

void append_value(std::string& out, std::string_view v) {
  if (needs_quotes(v)) {
    protocol::append_json_string(out, v);  // logfmt's quoting is JSON's: \" \\ \n \u0001
  } else {
    out.append(v);
  }
}

}  // namespace

std::string format_log_line(std::string_view timestamp, LogLevel level, std::string_view message,
                            std::initializer_list<LogField> fields) {
  std::string out = "ts=";
  out.append(timestamp);
  out.append(" level=");
  out.append(to_string(level));
  out.append(" msg=");
  append_value(out, message);
  for (const auto& field : fields) {
    out.push_back(' ');
    out.append(field.key);
    out.push_back('=');
    if (const auto* number = std::get_if<std::uint64_t>(&field.value)) {
      fmt::format_to(std::back_inserter(out), "{}", *number);
    } else {
      append_value(out, std::get<std::string_view>(field.value));
    }
  }
  return out;
}

void Logger::log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) const {
  if (!enabled(level)) return;
  using namespace std::chrono;
  const auto now = time_point_cast<milliseconds>(system_clock::now());
  const auto seconds_part = time_point_cast<seconds>(now);
  const auto timestamp =
      fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", seconds_part, (now - seconds_part).count());
  sink_(level, format_log_line(timestamp, level, message, fields));
}

}  // namespace server
}  // namespace switchboard
