#include "core/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <mutex>
#include <string>

namespace onvifgw::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_mu;
std::deque<Record> g_recent;                    // guarded by g_mu
constexpr std::size_t kMaxRecordedLine = 1024;  // a longer line is kept cut

void Emit(Level level, std::string_view component, std::string_view device_id,
          std::string_view message);

const char* Name(Level l) {
  switch (l) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO ";
    case Level::kWarn:
      return "WARN ";
    case Level::kError:
      return "ERROR";
  }
  return "?";
}

}  // namespace

void SetLevel(Level level) { g_level = static_cast<int>(level); }

bool ParseLevel(std::string_view name, Level* out) {
  if (name == "debug")
    *out = Level::kDebug;
  else if (name == "info")
    *out = Level::kInfo;
  else if (name == "warn")
    *out = Level::kWarn;
  else if (name == "error")
    *out = Level::kError;
  else
    return false;
  return true;
}

bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void Write(Level level, std::string_view component, std::string_view message) {
  Emit(level, component, {}, message);
}

void WriteAbout(Level level, std::string_view component, std::string_view device_id,
                std::string_view message) {
  Emit(level, component, device_id, message);
}

std::vector<Record> Recent(const std::function<bool(const Record&)>& keep) {
  std::lock_guard lock(g_mu);
  std::vector<Record> out;
  for (const Record& r : g_recent) {
    if (keep(r)) out.push_back(r);
  }
  return out;
}

namespace {

void Emit(Level level, std::string_view component, std::string_view device_id,
          std::string_view message) {
  const bool printed = Enabled(level);
  const bool recorded = level >= Level::kInfo;
  if (!printed && !recorded) return;
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const int ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string line;
  line.reserve(64 + message.size());
  line += stamp;
  line += '.';
  char msbuf[8];
  std::snprintf(msbuf, sizeof msbuf, "%03dZ ", ms);
  line += msbuf;
  line += Name(level);
  line += " [";
  line += component;
  line += "] ";
  if (!device_id.empty()) {
    line += "device ";
    line += device_id;
    line += ": ";
  }
  line += message;
  std::lock_guard lock(g_mu);
  if (recorded) {
    if (g_recent.size() == kRecentCapacity) g_recent.pop_front();
    g_recent.push_back(Record{level, std::string(component), std::string(device_id),
                              line.substr(0, kMaxRecordedLine)});
  }
  if (printed) {
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
  }
}

}  // namespace

}  // namespace onvifgw::log
