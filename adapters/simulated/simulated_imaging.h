#pragma once
// The imaging side of a simulated sensor: what its settings may be
// (options), checking and merging a change against them, and its focus lens,
// which moves over time like the PTZ head (computed from the injected clock:
// no thread, no timer).

#include <chrono>
#include <mutex>
#include <optional>

#include "adapter/v1/adapter.pb.h"
#include "adapters/sdk/result.h"
#include "adapters/simulated/clock.h"

namespace onvifgw::simulated {

/// What every simulated sensor offers: brightness, colour saturation,
/// contrast and sharpness 0..100; IR cut filter on, off, auto; exposure auto
/// or manual (time 10..40000 µs, gain 0..36 dB); focus auto or manual (default
/// speed 0..1) with absolute (0..1), relative (-1..1) and continuous (-1..1)
/// moves, speeds 0..1; wide dynamic range and backlight compensation on or off
/// (level 0..100); white balance auto or manual (Cr and Cb gains 0..255).
const onvifgw::adapter::v1::ImagingOptions& SimulatedImagingOptions();

/// A new sensor's settings, every field present: levels 50, IR cut filter
/// auto, exposure auto (10000 µs, 0 dB), focus auto (default speed 0.5), WDR
/// and BLC off (level 50), white balance auto (gains 128).
onvifgw::adapter::v1::ImagingSettings DefaultImagingSettings();

/// `current` with the fields `change` has (an UNSPECIFIED mode keeps the
/// current one), or an Error naming the first field outside
/// SimulatedImagingOptions() (then nothing is to change): all or nothing.
adapter_sdk::Result<onvifgw::adapter::v1::ImagingSettings> MergeImagingSettings(
    const onvifgw::adapter::v1::ImagingSettings& current,
    const onvifgw::adapter::v1::ImagingSettings& change);

/// One focus lens: a position in [0, 1] (0 near, 1 far) that moves along a
/// straight line at a commanded rate and stops where its move ends (the
/// target, or an end of the range for a continuous move). Speed 1 moves
/// kRatePerSpeed per second. It reads as moving only while its position
/// changes. Thread-safe.
class SimulatedFocusLens {
 public:
  static constexpr double kRatePerSpeed = 0.5;
  /// Speeds below this are raised to it, so that every move arrives.
  static constexpr double kMinSpeed = 0.05;
  static constexpr double kStartPosition = 0.5;

  struct Status {
    double position = kStartPosition;
    bool moving = false;
  };

  /// At kStartPosition, idle. `clock` must outlive the lens.
  explicit SimulatedFocusLens(const Clock& clock);

  Status Now() const;
  /// Towards `target` (clamped to [0, 1]) at `speed` in (0, 1].
  void MoveTo(double target, double speed);
  /// MoveTo the current position plus `distance`.
  void MoveBy(double distance, double speed);
  /// Towards far (positive) or near at |velocity|, until an end, Stop or the next move; 0 stops.
  void Continuous(double velocity);
  void Stop();

 private:
  struct Motion {
    double start = kStartPosition;
    std::chrono::steady_clock::time_point since{};
    double rate = 0;  // signed, per second
    double end = kStartPosition;
  };
  static double PositionAt(const Motion& m, std::chrono::steady_clock::time_point now);
  void GoLocked(double target, double speed, std::chrono::steady_clock::time_point now);

  const Clock& clock_;
  mutable std::mutex mutex_;
  Motion motion_;  // Guarded by mutex_.
};

}  // namespace onvifgw::simulated
