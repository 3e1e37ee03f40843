#pragma once
// Process-wide logger: one line per message on stderr, with time and level.
// The last lines (INFO and above, whatever the level set) are also kept in
// memory, each with the device it is about, for GetSystemLog and the support
// information. Thread-safe. Never log a password.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace onvifgw::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void SetLevel(Level level);
bool ParseLevel(std::string_view name, Level* out);
bool Enabled(Level level);
void Write(Level level, std::string_view component, std::string_view message);
/// A line about one virtual device: "[component] device <id>: message".
void WriteAbout(Level level, std::string_view component, std::string_view device_id,
                std::string_view message);

inline void Debug(std::string_view c, std::string_view m) { Write(Level::kDebug, c, m); }
inline void Info(std::string_view c, std::string_view m) { Write(Level::kInfo, c, m); }
inline void Warn(std::string_view c, std::string_view m) { Write(Level::kWarn, c, m); }
inline void Error(std::string_view c, std::string_view m) { Write(Level::kError, c, m); }

/// One line as kept in memory.
struct Record {
  Level level = Level::kInfo;
  std::string component;
  std::string device_id;  ///< empty: about the gateway (or an adapter) as a whole
  std::string line;       ///< as written to stderr, without the newline
};

/// Lines kept at most (the oldest go first), each cut at 1 KiB.
inline constexpr std::size_t kRecentCapacity = 4096;

/// The kept lines for which `keep` is true, oldest first.
std::vector<Record> Recent(const std::function<bool(const Record&)>& keep);

}  // namespace onvifgw::log
