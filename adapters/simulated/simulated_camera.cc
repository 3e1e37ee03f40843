#include "adapters/simulated/simulated_camera.h"

namespace onvifgw::simulated {

SimulatedCamera::SimulatedCamera(CameraConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

SimulatedCamera::TimeState SimulatedCamera::Time() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {clock_.SystemNow() + offset_, posix_timezone_, ntp_synchronized_};
}

void SimulatedCamera::SetTime(std::chrono::system_clock::time_point utc,
                              const std::string& posix_timezone) {
  std::lock_guard<std::mutex> lock(mutex_);
  offset_ = utc - clock_.SystemNow();
  ntp_synchronized_ = false;
  if (!posix_timezone.empty()) {
    posix_timezone_ = posix_timezone;
  }
}

void SimulatedCamera::BeginReboot(std::chrono::steady_clock::duration downtime) {
  std::lock_guard<std::mutex> lock(mutex_);
  rebooting_until_ = clock_.SteadyNow() + downtime;
}

std::chrono::steady_clock::time_point SimulatedCamera::RebootingUntil() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rebooting_until_;
}

}  // namespace onvifgw::simulated
