#pragma once

#include <chrono>

namespace onvifgw::simulated {

/// The time sources of the simulated cameras, injectable so that tests can move time.
/// Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Wall-clock UTC: what a camera's clock starts from.
  virtual std::chrono::system_clock::time_point SystemNow() const = 0;
  /// Monotonic time: reboot windows and the motion schedule.
  virtual std::chrono::steady_clock::time_point SteadyNow() const = 0;
};

/// The process's real clocks. The returned object lives for the whole program.
const Clock& RealClock();

}  // namespace onvifgw::simulated
