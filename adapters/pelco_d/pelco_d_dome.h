#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
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
/// Moves are fire-and-forget (coalesced per camera: while a frame of the camera is on its way,
/// newer moves replace each other and the latest wins). Presets, aux and set-position commands
/// wait for the dome's general response when its line has replies, so a silent dome is
/// DEADLINE_EXCEEDED rather than a false success. Position queries wait for the extended response;
/// after one goes unanswered, the dome's next queries fail at once for a back-off period, so that a
/// polling client cannot keep the shared line busy with a dead dome. Pelco-D positioning has no
/// speed, so the speeds of requests are not used. Thread-safe.
///
/// Ordering: every state change that a frame stands for is made together with handing that frame
/// (or a newer one) to the line, under order_, so the last frame of the camera on the wire always
/// matches what the adapter believes the camera does.
class Dome {
 public:
  /// The settling check of position feedback compares samples at least this far apart.
  static constexpr std::chrono::milliseconds kSettleWindow{200};
  /// After an unanswered query, the dome's queries fail at once this long, doubling at each
  /// further unanswered query up to kQueryBackoffMax; any answer of the dome ends it.
  static constexpr std::chrono::milliseconds kQueryBackoffFirst{2000};
  static constexpr std::chrono::milliseconds kQueryBackoffMax{30000};

  Dome(CameraConfig config, std::shared_ptr<Bus> bus);
  /// Stops the repeater thread (if any).
  ~Dome();
  Dome(const Dome&) = delete;
  Dome& operator=(const Dome&) = delete;

  const CameraConfig& config() const { return config_; }
  const Bus& bus() const { return *bus_; }

  /// Velocities in [-1, 1]; an absent axis keeps what it does (its running move goes on), a zero
  /// one stands still.
  grpc::Status ContinuousMove(const Axes& velocity);
  /// Stops the axes asked for (neither: nothing, OK).
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
  // Under mutex_: makes `command` the running one and posts its frame as the newest motion frame;
  // returns the post's number for SendMotion.
  grpc::Status PostMotionLocked(const StandardCommand& command, uint64_t* post);
  // Writes the newest motion frame unless a write since post `post` already did.
  grpc::Status SendMotion(uint64_t post);
  // Under order_: writes `frame`, the newest motion frame when it was taken (post `covers`).
  grpc::Status WriteMotion(const Frame& frame, uint64_t covers);
  // Takes order_, then under mutex_ applies `change` (may be empty) and takes the unsent motion
  // frame, which is written before returning: what follows under the returned lock goes on the
  // wire after everything the camera was told before `change`.
  std::unique_lock<std::mutex> Ordered(const std::function<void()>& change);
  // A command whose answer matters: confirmed by the general response when the line has replies.
  // The caller holds order_ (Ordered).
  grpc::Status SendConfirmed(const Frame& frame, std::string_view action);
  // Records whether the dome answered (ends or starts/extends the query back-off).
  void NoteAnswer(bool answered, bool query);
  grpc::Status QueryValue(Query query, uint16_t* value);
  grpc::Status QueryPosition(bool pan_tilt, bool zoom, Position* position);
  // Sends the set-position frames of the axes `target` sets.
  grpc::Status GoTo(const Axes& target);
  // Under mutex_: the targeted groups go somewhere by themselves; the others keep what they do.
  void MarkPositioningLocked(bool pan_tilt, bool zoom, const std::optional<Position>& target);
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

  // Held (before mutex_, never after it) from taking a frame of this camera until its write (or
  // exchange) is over: at most one frame of the camera is on its way at a time, in the order of
  // the state changes (see Ordered). No line-level coalescing is used, so a move can never be
  // moved ahead of a preset or set-position frame queued before it.
  std::mutex order_;

  std::mutex mutex_;
  StandardCommand command_;  // The running continuous move (all stop when none).
  Activity pan_tilt_ = Activity::kIdle;
  Activity zoom_ = Activity::kIdle;
  Settling pan_tilt_settling_;
  Settling zoom_settling_;
  // The newest motion frame not yet taken for writing, and the bookkeeping that lets a caller
  // whose frame was replaced by a newer one return the result of writing that one.
  std::optional<Frame> unsent_motion_;
  uint64_t motion_posted_ = 0;   // Motion frames posted so far.
  uint64_t motion_written_ = 0;  // The post the latest motion write covered.
  grpc::Status motion_status_;   // Its result.
  // Query back-off (see kQueryBackoffFirst).
  std::chrono::milliseconds query_backoff_{0};
  std::chrono::steady_clock::time_point query_backoff_until_{};

  std::condition_variable repeat_wakeup_;
  bool stopping_ = false;  // Guarded by mutex_.
  std::thread repeater_;
};

}  // namespace onvifgw::pelco_d
