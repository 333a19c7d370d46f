#pragma once
// Logger: formats logfmt records for Options::log_sink, skipping the work when the level is off.
//
//   logger.warn("slow consumer closed", {{"session", id}, {"remote", remote}});

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "switchboard/log.hpp"

namespace switchboard::server {

struct LogField {
  std::string_view key;
  std::variant<std::string_view, std::uint64_t> value;
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, std::uint64_t v) : key(k), value(v) {}
};

// The logfmt line for one record, with `ts` first. Values with spaces, quotes, '=' or control characters
// are quoted and escaped; empty values are "".
std::string format_log_line(std::string_view timestamp, LogLevel level, std::string_view message,
                            std::initializer_list<LogField> fields);

class Logger {
 public:
  Logger(LogLevel level, LogSink sink) : level_(level), sink_(std::move(sink)) {}

  bool enabled(LogLevel level) const noexcept { return level >= level_ && level_ != LogLevel::off && sink_; }
  void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {}) const;

  void debug(std::string_view m, std::initializer_list<LogField> f = {}) const { log(LogLevel::debug, m, f); }
  void info(std::string_view m, std::initializer_list<LogField> f = {}) const { log(LogLevel::info, m, f); }
  void warn(std::string_view m, std::initializer_list<LogField> f = {}) const { log(LogLevel::warn, m, f); }
  void error(std::string_view m, std::initializer_list<LogField> f = {}) const { log(LogLevel::error, m, f); }

 private:
  LogLevel level_;
  LogSink sink_;
};

}  // namespace switchboard::server
