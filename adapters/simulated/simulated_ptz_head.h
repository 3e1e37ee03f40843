#pragma once
// One simulated PTZ head: three axes (pan, tilt, zoom) that move over time at
// a commanded rate, computed from the injected clock (no thread, no timer),
// plus the head's memory (home and preset slots).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

#include "adapters/simulated/clock.h"
#include "adapters/simulated/ptz_position.h"

namespace onvifgw::simulated {

/// A value per axis; nullopt: the axis is not concerned.
struct PtzAxes {
  std::optional<double> pan{};
  std::optional<double> tilt{};
  std::optional<double> zoom{};
};

/// Each axis moves independently along a straight line at its own rate and
/// stops where its move ends: at the target of an absolute, relative, preset
/// or home move, or at the end of its range for a continuous move (pan does
/// not wrap around). Velocity 1 crosses the whole pan or tilt range (-1 to 1)
/// in kPanTiltSweep and the zoom range (0 to 1) in kZoomSweep; speed s moves
/// at s times that. An axis reads as moving only while its position changes:
/// a continuous move that has reached the end of the range is idle.
///
/// Callers validate values against the generic spaces first; the head clamps
/// targets to its range all the same. Thread-safe.
class SimulatedPtzHead {
 public:
  static constexpr std::chrono::milliseconds kPanTiltSweep{4000};
  static constexpr std::chrono::milliseconds kZoomSweep{3000};
  /// Speeds below this are raised to it, so that every move arrives.
  static constexpr double kMinSpeed = 0.05;
  /// The preset slots the head has: 1..kPresetSlots.
  static constexpr uint32_t kPresetSlots = 64;
  static bool IsPresetSlot(uint32_t slot) { return slot >= 1 && slot <= kPresetSlots; }

  struct Status {
    PtzPosition position;
    bool pan_tilt_moving = false;
    bool zoom_moving = false;
  };

  /// Starts at the home position (0, 0, 0), idle, with no presets. `clock` must outlive the head.
  explicit SimulatedPtzHead(const Clock& clock);

  Status Now() const;
  PtzPosition Position() const { return Now().position; }

  /// Moves every axis that has a velocity in [-1, 1] at it until the next move or Stop; a zero
  /// velocity stops the axis. An absent axis is not affected: its current move, if any, goes on.
  void ContinuousMove(const PtzAxes& velocity);
  /// Moves the axes that have a target to it, at their speed in [0, 1] (absent: 1). Other axes
  /// carry on as they were.
  void MoveTo(const PtzAxes& target, const PtzAxes& speed);
  /// MoveTo the current position plus `translation` (clamped to the range); the axes without a
  /// translation carry on as they were.
  void MoveBy(const PtzAxes& translation, const PtzAxes& speed);
  /// Stops pan and tilt, zoom, both, or (neither) nothing, where they are now.
  void Stop(bool pan_tilt, bool zoom);

  /// Stores the current position in `slot` (IsPresetSlot), replacing what it held.
  void SetPreset(uint32_t slot);
  /// Empties `slot`; an empty slot stays empty.
  void RemovePreset(uint32_t slot);
  /// Moves to the position stored in `slot`; false (and no move) if it is empty.
  bool GotoPreset(uint32_t slot, const PtzAxes& speed);
  /// The current position becomes the home position.
  void SetHome();
  void GotoHome(const PtzAxes& speed);

  /// Home and presets (the camera's configuration file).
  PtzMemory Memory() const;
  /// Replaces home and presets; the caller has checked slots and positions.
  void SetMemory(PtzMemory memory);

 private:
  // One axis: from `start` at `since`, at `rate` units per second (signed),
  // stopping at `end`.
  struct Motion {
    double start = 0;
    std::chrono::steady_clock::time_point since{};
    double rate = 0;
    double end = 0;
  };
  static double PositionAt(const Motion& m, std::chrono::steady_clock::time_point now);
  static bool MovingAt(const Motion& m, std::chrono::steady_clock::time_point now);
  PtzPosition PositionLocked(std::chrono::steady_clock::time_point now) const;
  // Starts a move of axis `axis` (0 pan, 1 tilt, 2 zoom) towards `target` at `speed`.
  void GoLocked(int axis, double target, double speed, std::chrono::steady_clock::time_point now);
  void MoveToLocked(const PtzAxes& target, const PtzAxes& speed,
                    std::chrono::steady_clock::time_point now);

  const Clock& clock_;
  mutable std::mutex mutex_;
  Motion axes_[3];    // Guarded by mutex_: pan, tilt, zoom.
  PtzMemory memory_;  // Guarded by mutex_.
};

}  // namespace onvifgw::simulated
