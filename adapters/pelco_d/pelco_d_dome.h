#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <utility>

#include "adapter/v1/adapter.pb.h"
#include "adapters/pelco_d/pelco_d_bus.h"
#include "adapters/pelco_d/pelco_d_config.h"
#include "adapters/pelco_d/pelco_d_frame.h"

namespace onvifgw::pelco_d {

/// Values for the axes a request sets, already checked against their generic space.
struct Axes {
  std::optional<double> pan;
  std::optional<double> tilt;
  std::optional<double> zoom;
};

/// One camera's protocol logic: turns PTZ and aux requests (in the generic spaces) into Pelco-D
/// frames on its bus, and keeps what can be known about its motion.
///
/// Moves are fire-and-forget (coalesced per camera: the latest wins). Presets, aux and set-position
/// commands wait for the dome's general response when its line has replies, so a silent dome is
/// DEADLINE_EXCEEDED rather than a false success. Position queries wait for the extended response.
/// Pelco-D positioning has no speed, so the speeds of requests are not used. Thread-safe.
class Dome {
 public:
  /// The settling check of position feedback compares samples at least this far apart.
  static constexpr std::chrono::milliseconds kSettleWindow{200};

  Dome(CameraConfig config, std::shared_ptr<Bus> bus);
  /// Stops the repeater thread (if any).
  ~Dome();
  Dome(const Dome&) = delete;
  Dome& operator=(const Dome&) = delete;

  const CameraConfig& config() const { return config_; }
  const Bus& bus() const { return *bus_; }

  /// Velocities in [-1, 1]; an absent or zero axis stands still.
  grpc::Status ContinuousMove(const Axes& velocity);
  /// Stops the axes asked for (neither: both).
  grpc::Status Stop(bool pan_tilt, bool zoom);
  /// Positions (pan/tilt [-1, 1], zoom [0, 1]); needs position feedback.
  grpc::Status AbsoluteMove(const Axes& position);
  /// Translations (pan/tilt/zoom [-1, 1]) from the queried position; needs position feedback.
  grpc::Status RelativeMove(const Axes& translation);
  /// Position (with feedback) and move status.
  grpc::Status GetStatus(onvifgw::adapter::v1::PtzStatus* status);

  /// The slot must be checked by the caller (preset_slots or home_preset).
  grpc::Status SetPreset(uint8_t slot);
  grpc::Status ClearPreset(uint8_t slot);
  grpc::Status GotoPreset(uint8_t slot);

  /// INVALID_ARGUMENT for a command the camera does not map.
  grpc::Status Auxiliary(const std::string& command);

 private:
  // What an axis group (pan/tilt or zoom) is doing, as far as the adapter knows.
  enum class Activity {
    kIdle,         // Stopped by us, or settled.
    kContinuous,   // A continuous move runs.
    kPositioning,  // Told to go somewhere; its end is seen only with position feedback.
  };
  struct Position {
    uint16_t pan = 0;
    uint16_t tilt = 0;
    uint16_t zoom = 0;
  };
  // Settling check of one axis group: the target (when known) and the latest sample.
  struct Settling {
    std::optional<std::pair<uint16_t, uint16_t>> target;
    std::optional<std::pair<uint16_t, uint16_t>> sample;
    std::chrono::steady_clock::time_point sampled_at{};
  };

  std::string What(std::string_view action) const;
  grpc::Status Encoded(const adapter_sdk::Result<Frame>& frame, Frame* out) const;
  // Sends a motion frame through the repeat gate (see send_gate_).
  grpc::Status SendMotion(const Frame& frame);
  // A command whose answer matters: confirmed by the general response when the line has replies.
  grpc::Status SendConfirmed(const Frame& frame, std::string_view action);
  grpc::Status QueryValue(Query query, uint16_t* value);
  grpc::Status QueryPosition(bool pan_tilt, bool zoom, Position* position);
  // Sends the set-position frames of the axes `target` sets.
  grpc::Status GoTo(const Axes& target);
  void MarkPositioning(bool pan_tilt, bool zoom, const std::optional<Position>& target);
  // The move status of one axis group from its activity and (with feedback) the sampled position.
  onvifgw::adapter::v1::PtzMoveStatus StatusOf(Activity* activity, Settling* settling,
                                               std::optional<std::pair<uint16_t, uint16_t>> now,
                                               bool circular, uint16_t target_tolerance,
                                               uint16_t still_tolerance);
  // A group that stops: idle, or (with feedback, when it was moving) settling until seen still.
  Activity StoppedFrom(Activity previous, Settling* settling) const;
  void RepeatLoop();

  const CameraConfig config_;
  const std::shared_ptr<Bus> bus_;
  // Per camera, so that a flood of moves coalesces to the latest one on the line.
  const std::string coalesce_key_;

  std::mutex mutex_;
  StandardCommand command_;  // The running continuous move (all stop when none).
  Activity pan_tilt_ = Activity::kIdle;
  Activity zoom_ = Activity::kIdle;
  Settling pan_tilt_settling_;
  Settling zoom_settling_;

  // Every frame of this camera is sent under a shared lock, the repeater's under an exclusive one:
  // a repeated frame read before a newer command is on its way before that command, never after.
  std::shared_mutex send_gate_;

  std::condition_variable repeat_wakeup_;
  bool stopping_ = false;  // Guarded by mutex_.
  std::thread repeater_;
};

}  // namespace onvifgw::pelco_d
