#include "adapters/simulated/simulated_ptz_head.h"

#include <algorithm>

namespace onvifgw::simulated {
namespace {

using std::chrono::steady_clock;

constexpr double kLow[3] = {-1, -1, 0};
constexpr double kHigh[3] = {1, 1, 1};

// Units per second at velocity or speed 1: the whole range in its sweep time.
double MaxRate(int axis) {
  const auto sweep = axis == 2 ? SimulatedPtzHead::kZoomSweep : SimulatedPtzHead::kPanTiltSweep;
  return (kHigh[axis] - kLow[axis]) / std::chrono::duration<double>(sweep).count();
}

double Speed(const std::optional<double>& speed) {
  return std::clamp(speed.value_or(1.0), SimulatedPtzHead::kMinSpeed, 1.0);
}

const std::optional<double>& Axis(const PtzAxes& axes, int axis) {
  return axis == 0 ? axes.pan : axis == 1 ? axes.tilt : axes.zoom;
}

}  // namespace

SimulatedPtzHead::SimulatedPtzHead(const Clock& clock) : clock_(clock) {
  const steady_clock::time_point now = clock_.SteadyNow();
  for (Motion& m : axes_) m.since = now;
}

double SimulatedPtzHead::PositionAt(const Motion& m, steady_clock::time_point now) {
  if (m.rate == 0) return m.start;
  const double dt = std::max(0.0, std::chrono::duration<double>(now - m.since).count());
  const double p = m.start + m.rate * dt;
  return m.rate > 0 ? std::min(p, m.end) : std::max(p, m.end);
}

bool SimulatedPtzHead::MovingAt(const Motion& m, steady_clock::time_point now) {
  if (m.rate == 0) return false;
  const double dt = std::max(0.0, std::chrono::duration<double>(now - m.since).count());
  const double p = m.start + m.rate * dt;
  return m.rate > 0 ? p < m.end : p > m.end;
}

SimulatedPtzHead::Status SimulatedPtzHead::Now() const {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  Status status;
  status.position = PositionLocked(now);
  status.pan_tilt_moving = MovingAt(axes_[0], now) || MovingAt(axes_[1], now);
  status.zoom_moving = MovingAt(axes_[2], now);
  return status;
}

void SimulatedPtzHead::GoLocked(int axis, double target, double speed,
                                steady_clock::time_point now) {
  Motion& m = axes_[axis];
  const double from = PositionAt(m, now);
  const double to = std::clamp(target, kLow[axis], kHigh[axis]);
  m.start = from;
  m.since = now;
  m.end = to;
  m.rate = to == from ? 0 : (to > from ? 1 : -1) * speed * MaxRate(axis);
}

void SimulatedPtzHead::ContinuousMove(const PtzAxes& velocity) {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  for (int axis = 0; axis < 3; ++axis) {
    // An absent axis is not affected (ONVIF): its current move, if any, goes on.
    if (!Axis(velocity, axis)) continue;
    const double v = std::clamp(*Axis(velocity, axis), -1.0, 1.0);
    const double target = v > 0 ? kHigh[axis] : v < 0 ? kLow[axis] : PositionAt(axes_[axis], now);
    GoLocked(axis, target, v < 0 ? -v : v, now);
  }
}

void SimulatedPtzHead::MoveToLocked(const PtzAxes& target, const PtzAxes& speed,
                                    steady_clock::time_point now) {
  for (int axis = 0; axis < 3; ++axis) {
    if (const auto& to = Axis(target, axis)) GoLocked(axis, *to, Speed(Axis(speed, axis)), now);
  }
}

void SimulatedPtzHead::MoveTo(const PtzAxes& target, const PtzAxes& speed) {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  MoveToLocked(target, speed, now);
}

void SimulatedPtzHead::MoveBy(const PtzAxes& translation, const PtzAxes& speed) {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  PtzAxes target;
  if (translation.pan) target.pan = PositionAt(axes_[0], now) + *translation.pan;
  if (translation.tilt) target.tilt = PositionAt(axes_[1], now) + *translation.tilt;
  if (translation.zoom) target.zoom = PositionAt(axes_[2], now) + *translation.zoom;
  MoveToLocked(target, speed, now);
}

void SimulatedPtzHead::Stop(bool pan_tilt, bool zoom) {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  for (int axis = 0; axis < 3; ++axis) {
    if (axis == 2 ? zoom : pan_tilt) GoLocked(axis, PositionAt(axes_[axis], now), 1, now);
  }
}

PtzPosition SimulatedPtzHead::PositionLocked(steady_clock::time_point now) const {
  return {PositionAt(axes_[0], now), PositionAt(axes_[1], now), PositionAt(axes_[2], now)};
}

void SimulatedPtzHead::SetPreset(uint32_t slot) {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  memory_.presets[slot] = PositionLocked(now);
}

void SimulatedPtzHead::RemovePreset(uint32_t slot) {
  std::lock_guard<std::mutex> lock(mutex_);
  memory_.presets.erase(slot);
}

bool SimulatedPtzHead::GotoPreset(uint32_t slot, const PtzAxes& speed) {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = memory_.presets.find(slot);
  if (it == memory_.presets.end()) return false;
  MoveToLocked({it->second.pan, it->second.tilt, it->second.zoom}, speed, now);
  return true;
}

void SimulatedPtzHead::SetHome() {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  memory_.home = PositionLocked(now);
}

void SimulatedPtzHead::GotoHome(const PtzAxes& speed) {
  const steady_clock::time_point now = clock_.SteadyNow();
  std::lock_guard<std::mutex> lock(mutex_);
  const PtzPosition& home = memory_.home;
  MoveToLocked({home.pan, home.tilt, home.zoom}, speed, now);
}

PtzMemory SimulatedPtzHead::Memory() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return memory_;
}

void SimulatedPtzHead::SetMemory(PtzMemory memory) {
  std::lock_guard<std::mutex> lock(mutex_);
  memory_ = std::move(memory);
}

}  // namespace onvifgw::simulated
