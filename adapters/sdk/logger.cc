#include "adapters/sdk/logger.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <mutex>

namespace onvifgw::adapter_sdk {
namespace {

std::atomic<int> g_min_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_write_mutex;

void WriteAll(const std::string& text) {
  const char* data = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;  // Nowhere left to report the failure.
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarn:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "INFO";
}

bool ParseLogLevel(std::string_view text, LogLevel* level) {
  std::string lower;
  for (char c : text) {
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (lower == "debug") {
    *level = LogLevel::kDebug;
  } else if (lower == "info") {
    *level = LogLevel::kInfo;
  } else if (lower == "warn" || lower == "warning") {
    *level = LogLevel::kWarn;
  } else if (lower == "error") {
    *level = LogLevel::kError;
  } else {
    return false;
  }
  return true;
}

void SetLogLevel(LogLevel level) { g_min_level.store(static_cast<int>(level)); }

bool IsLogEnabled(LogLevel level) { return static_cast<int>(level) >= g_min_level.load(); }

void Log(LogLevel level, std::string_view message) {
  if (!IsLogEnabled(level)) {
    return;
  }
  std::string line(LogLevelName(level));
  line.reserve(line.size() + message.size() + 2);
  line.push_back(' ');
  for (char c : message) {
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\r') {
      line += "\\r";
    } else {
      line.push_back(c);
    }
  }
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(g_write_mutex);
  WriteAll(line);
}

}  // namespace onvifgw::adapter_sdk
