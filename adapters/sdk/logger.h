#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace onvifgw::adapter_sdk {

/// Severity of a log line, in increasing order.
enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

/// "DEBUG", "INFO", "WARN" or "ERROR".
std::string_view LogLevelName(LogLevel level);

/// Parses "debug", "info", "warn" or "error" (case-insensitive). Returns false if unknown.
bool ParseLogLevel(std::string_view text, LogLevel* level);

/// Lines below this level are dropped. The default is kInfo. Thread-safe.
void SetLogLevel(LogLevel level);

/// Whether a line of this level would be written. Thread-safe.
bool IsLogEnabled(LogLevel level);

/// Writes one line "LEVEL message" to stderr. No timestamp or program name: the gateway that
/// supervises the adapter prefixes each line itself. Line breaks inside the message are escaped
/// so that one call is always one line. Thread-safe: concurrent lines never interleave.
void Log(LogLevel level, std::string_view message);

namespace internal {
template <typename... Args>
void LogParts(LogLevel level, const Args&... args) {
  if (!IsLogEnabled(level)) {
    return;
  }
  std::ostringstream out;
  (out << ... << args);
  Log(level, out.str());
}
}  // namespace internal

/// Convenience forms that stream their arguments into one line: LogInfo("port ", port).
template <typename... Args>
void LogDebug(const Args&... args) {
  internal::LogParts(LogLevel::kDebug, args...);
}
template <typename... Args>
void LogInfo(const Args&... args) {
  internal::LogParts(LogLevel::kInfo, args...);
}
template <typename... Args>
void LogWarn(const Args&... args) {
  internal::LogParts(LogLevel::kWarn, args...);
}
template <typename... Args>
void LogError(const Args&... args) {
  internal::LogParts(LogLevel::kError, args...);
}

}  // namespace onvifgw::adapter_sdk
