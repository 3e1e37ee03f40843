#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "adapters/simulated/clock.h"
#include "adapters/simulated/simulated_config.h"

namespace onvifgw::simulated {

/// The state of one simulated camera: its clock (real UTC plus an offset that SetTime changes),
/// its time zone, and whether it is rebooting. Thread-safe.
class SimulatedCamera {
 public:
  /// The state of the camera's clock at one instant.
  struct TimeState {
    std::chrono::system_clock::time_point utc;
    std::string posix_timezone;
    bool ntp_synchronized = true;
  };

  /// `clock` must outlive the camera.
  SimulatedCamera(CameraConfig config, const Clock& clock);

  const CameraConfig& config() const { return config_; }

  /// The camera's clock now. Starts equal to the system clock, "NTP synchronized", in "UTC0".
  TimeState Time() const;

  /// Sets the clock (no longer NTP synchronized); an empty `posix_timezone` keeps the current one.
  void SetTime(std::chrono::system_clock::time_point utc, const std::string& posix_timezone);

  /// Starts a reboot that lasts `downtime` from now.
  void BeginReboot(std::chrono::steady_clock::duration downtime);

  /// When the current reboot ends; a time in the past when the camera is up.
  std::chrono::steady_clock::time_point RebootingUntil() const;
  bool IsRebooting() const { return clock_.SteadyNow() < RebootingUntil(); }

 private:
  const CameraConfig config_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::chrono::system_clock::duration offset_{0};
  std::string posix_timezone_ = "UTC0";
  bool ntp_synchronized_ = true;
  std::chrono::steady_clock::time_point rebooting_until_{};
};

}  // namespace onvifgw::simulated
