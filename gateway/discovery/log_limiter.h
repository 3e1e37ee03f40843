#pragma once
// Rate limit for log lines caused by remote input (malformed datagrams).

#include <chrono>
#include <cstdint>

namespace onvifgw::discovery {

/// Allows at most `burst` events per `window`; counts the suppressed ones.
/// Not thread-safe (use it from one strand).
class LogLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  LogLimiter(uint32_t burst, Clock::duration window) : burst_(burst), window_(window) {}

  /// True when the event may be logged now. Starting a new window makes the
  /// number suppressed in the previous one available from TakeSuppressed().
  bool Allow(Clock::time_point now);

  /// Events refused since the last call; resets the count.
  uint64_t TakeSuppressed();

 private:
  uint32_t burst_;
  Clock::duration window_;
  Clock::time_point window_start_{};
  uint32_t used_ = 0;
  uint64_t suppressed_ = 0;
  bool started_ = false;
};

}  // namespace onvifgw::discovery
