#include "adapters/pelco_d/pelco_d_dome.h"

#include <cstdlib>

#include "adapters/pelco_d/pelco_d_space.h"
#include "adapters/sdk/logger.h"

namespace onvifgw::pelco_d {
namespace {

namespace v1 = onvifgw::adapter::v1;
using std::chrono::steady_clock;

// Within this of the target an axis has arrived (0.2° for pan/tilt, 0.5 % of the zoom range).
constexpr uint16_t kAngleTargetTolerance = 20;
constexpr uint16_t kZoomTargetTolerance = 328;
// Two samples this close, kSettleWindow apart, mean the head stands still.
constexpr uint16_t kAngleStillTolerance = 2;
constexpr uint16_t kZoomStillTolerance = 16;

uint16_t Distance(uint16_t a, uint16_t b, bool circular) {
  const int diff = std::abs(static_cast<int>(a) - static_cast<int>(b));
  return static_cast<uint16_t>(circular ? std::min(diff, 36000 - diff) : diff);
}

bool Near(std::pair<uint16_t, uint16_t> a, std::pair<uint16_t, uint16_t> b, bool circular,
          uint16_t tolerance) {
  return Distance(a.first, b.first, circular) <= tolerance &&
         Distance(a.second, b.second, circular) <= tolerance;
}

std::string_view QueryName(Query query) {
  switch (query) {
    case Query::kPanPosition:
      return "pan position";
    case Query::kTiltPosition:
      return "tilt position";
    case Query::kZoomPosition:
      return "zoom position";
    case Query::kMagnification:
      break;
  }
  return "magnification";
}

}  // namespace

Dome::Dome(CameraConfig config, std::shared_ptr<Bus> bus)
    : config_(std::move(config)), bus_(std::move(bus)), coalesce_key_("move/" + config_.id) {
  if (config_.repeat) {
    repeater_ = std::thread([this] { RepeatLoop(); });
  }
}

Dome::~Dome() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  repeat_wakeup_.notify_all();
  if (repeater_.joinable()) {
    repeater_.join();
  }
}

std::string Dome::What(std::string_view action) const {
  return "camera " + config_.id + ": " + std::string(action);
}

grpc::Status Dome::Encoded(const adapter_sdk::Result<Frame>& frame, Frame* out) const {
  if (!frame) {
    // Inputs are validated before encoding: this is a bug, not a request error.
    return {grpc::StatusCode::INTERNAL, What("cannot encode frame: ") + frame.error().message};
  }
  *out = frame.value();
  return grpc::Status::OK;
}

grpc::Status Dome::SendMotion(const Frame& frame) {
  std::shared_lock gate(send_gate_);
  return bus_->Send(frame, coalesce_key_);
}

grpc::Status Dome::SendConfirmed(const Frame& frame, std::string_view action) {
  grpc::Status status;
  {
    std::shared_lock gate(send_gate_);
    if (bus_->config().replies) {
      std::string response;
      status = bus_->Exchange(frame, GeneralResponseMatcher(frame), &response);
    } else {
      status = bus_->Send(frame);
    }
  }
  if (!status.ok()) {
    return {status.error_code(), What(action) + ": " +
                                     (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED
                                          ? "the dome did not confirm the command: "
                                          : "") +
                                     status.error_message()};
  }
  adapter_sdk::LogDebug(What(action), ": ", ToHex(frame));
  return grpc::Status::OK;
}

Dome::Activity Dome::StoppedFrom(Activity previous, Settling* settling) const {
  if (config_.position_feedback && previous != Activity::kIdle) {
    *settling = Settling{};
    return Activity::kPositioning;
  }
  return Activity::kIdle;
}

grpc::Status Dome::ContinuousMove(const Axes& velocity) {
  if (!config_.zoom && velocity.zoom.value_or(0) != 0) {
    return {grpc::StatusCode::INVALID_ARGUMENT, What("has no zoom")};
  }
  StandardCommand command;
  const double pan = velocity.pan.value_or(0);
  const double tilt = velocity.tilt.value_or(0);
  const PanMotion pan_motion = PanFromVelocity(config_.invert_pan ? -pan : pan, config_.turbo);
  const TiltMotion tilt_motion = TiltFromVelocity(config_.invert_tilt ? -tilt : tilt);
  command.pan = pan_motion.direction;
  command.pan_speed = pan_motion.speed;
  command.tilt = tilt_motion.direction;
  command.tilt_speed = tilt_motion.speed;
  command.zoom = ZoomFromVelocity(velocity.zoom.value_or(0));
  Frame frame;
  if (grpc::Status status = Encoded(EncodeStandard(config_.address, command), &frame);
      !status.ok()) {
    return status;
  }
  {
    std::lock_guard lock(mutex_);
    command_ = command;
    const bool pan_tilt_moves = command.pan != Pan::kStop || command.tilt != Tilt::kStop;
    pan_tilt_ =
        pan_tilt_moves ? Activity::kContinuous : StoppedFrom(pan_tilt_, &pan_tilt_settling_);
    zoom_ =
        command.zoom != Zoom::kStop ? Activity::kContinuous : StoppedFrom(zoom_, &zoom_settling_);
  }
  if (grpc::Status status = SendMotion(frame); !status.ok()) {
    return {status.error_code(), What("continuous move: ") + status.error_message()};
  }
  adapter_sdk::LogDebug(What("continuous move "), ToHex(frame));
  return grpc::Status::OK;
}

grpc::Status Dome::Stop(bool pan_tilt, bool zoom) {
  if (!pan_tilt && !zoom) {
    pan_tilt = zoom = true;  // Stopping is always the safe reading of an empty request.
  }
  Frame frame;
  {
    std::lock_guard lock(mutex_);
    StandardCommand command = command_;
    if (pan_tilt) {
      command.pan = Pan::kStop;
      command.pan_speed = 0;
      command.tilt = Tilt::kStop;
      command.tilt_speed = 0;
      pan_tilt_ = StoppedFrom(pan_tilt_, &pan_tilt_settling_);
    }
    if (zoom) {
      command.zoom = Zoom::kStop;
      zoom_ = StoppedFrom(zoom_, &zoom_settling_);
    }
    if (grpc::Status status = Encoded(EncodeStandard(config_.address, command), &frame);
        !status.ok()) {
      return status;
    }
    command_ = command;
  }
  if (grpc::Status status = SendMotion(frame); !status.ok()) {
    return {status.error_code(), What("stop: ") + status.error_message()};
  }
  adapter_sdk::LogDebug(What("stop "), ToHex(frame));
  return grpc::Status::OK;
}

void Dome::MarkPositioning(bool pan_tilt, bool zoom, const std::optional<Position>& target) {
  std::lock_guard lock(mutex_);
  // The head now goes somewhere by itself: no continuous move is left to repeat, and an axis
  // group that was moving continuously but is not targeted ends up wherever the dome takes it.
  command_ = StandardCommand{};
  if (pan_tilt || pan_tilt_ == Activity::kContinuous) {
    pan_tilt_ = Activity::kPositioning;
    pan_tilt_settling_ = Settling{};
    if (pan_tilt && target) {
      pan_tilt_settling_.target = std::make_pair(target->pan, target->tilt);
    }
  }
  if (zoom || zoom_ == Activity::kContinuous) {
    zoom_ = Activity::kPositioning;
    zoom_settling_ = Settling{};
    if (zoom && target) {
      zoom_settling_.target = std::make_pair(target->zoom, uint16_t{0});
    }
  }
}

grpc::Status Dome::QueryValue(Query query, uint16_t* value) {
  Frame frame;
  if (grpc::Status status = Encoded(EncodeQuery(config_.address, query), &frame); !status.ok()) {
    return status;
  }
  std::string response;
  grpc::Status status = bus_->Exchange(
      frame, ExtendedResponseMatcher(config_.address, ResponseOpcodeFor(query)), &response);
  if (!status.ok()) {
    const std::string what = "query " + std::string(QueryName(query)) + ": ";
    return {status.error_code(), What(what) +
                                     (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED
                                          ? "the dome did not answer: "
                                          : "") +
                                     status.error_message()};
  }
  const std::optional<ExtendedResponse> decoded = DecodeExtendedResponse(response);
  if (!decoded) {
    // The matcher only accepts valid responses; guard anyway rather than trust a range.
    return {grpc::StatusCode::INTERNAL, What("undecodable response ") + ToHex(response)};
  }
  *value = decoded->value;
  return grpc::Status::OK;
}

grpc::Status Dome::QueryPosition(bool pan_tilt, bool zoom, Position* position) {
  if (pan_tilt) {
    if (grpc::Status status = QueryValue(Query::kPanPosition, &position->pan); !status.ok()) {
      return status;
    }
    if (grpc::Status status = QueryValue(Query::kTiltPosition, &position->tilt); !status.ok()) {
      return status;
    }
  }
  if (zoom) {
    return QueryValue(Query::kZoomPosition, &position->zoom);
  }
  return grpc::Status::OK;
}

grpc::Status Dome::GoTo(const Axes& target) {
  const bool pan_tilt = target.pan || target.tilt;
  const bool zoom = target.zoom.has_value();
  if (zoom && !config_.zoom) {
    return {grpc::StatusCode::INVALID_ARGUMENT, What("has no zoom")};
  }
  Position wanted;
  Frame pan_frame;
  Frame tilt_frame;
  Frame zoom_frame;
  if (target.pan) {
    wanted.pan = DomePan(config_, *target.pan);
    if (auto s = Encoded(EncodeSetPanPosition(config_.address, wanted.pan), &pan_frame); !s.ok()) {
      return s;
    }
  }
  if (target.tilt) {
    wanted.tilt = DomeTilt(config_, *target.tilt);
    if (auto s = Encoded(EncodeSetTiltPosition(config_.address, wanted.tilt), &tilt_frame);
        !s.ok()) {
      return s;
    }
  }
  if (zoom) {
    wanted.zoom = ZoomValue(*target.zoom);
    if (auto s = Encoded(EncodeSetZoomPosition(config_.address, wanted.zoom), &zoom_frame);
        !s.ok()) {
      return s;
    }
  }
  // A pan/tilt target with only one axis set keeps the other where it is (unknown here): the
  // settling check then waits for the head to stand still instead of comparing with a target.
  std::optional<Position> known_target;
  if (!pan_tilt || (target.pan && target.tilt)) {
    known_target = wanted;
  }
  MarkPositioning(pan_tilt, zoom, known_target);
  if (target.pan) {
    if (auto s = SendConfirmed(pan_frame, "set pan position"); !s.ok()) return s;
  }
  if (target.tilt) {
    if (auto s = SendConfirmed(tilt_frame, "set tilt position"); !s.ok()) return s;
  }
  if (zoom) {
    if (auto s = SendConfirmed(zoom_frame, "set zoom position"); !s.ok()) return s;
  }
  return grpc::Status::OK;
}

grpc::Status Dome::AbsoluteMove(const Axes& position) {
  if (!config_.position_feedback) {
    return {grpc::StatusCode::UNIMPLEMENTED, What("has no position feedback")};
  }
  return GoTo(position);
}

grpc::Status Dome::RelativeMove(const Axes& translation) {
  if (!config_.position_feedback) {
    return {grpc::StatusCode::UNIMPLEMENTED, What("has no position feedback")};
  }
  if (translation.zoom && !config_.zoom) {
    return {grpc::StatusCode::INVALID_ARGUMENT, What("has no zoom")};
  }
  const bool pan_tilt = translation.pan || translation.tilt;
  Position now;
  if (grpc::Status status = QueryPosition(pan_tilt, translation.zoom.has_value(), &now);
      !status.ok()) {
    return status;
  }
  Axes target;
  if (pan_tilt) {
    target.pan = TranslatePan(config_, GenericPan(config_, now.pan), translation.pan.value_or(0));
    target.tilt = TranslateTilt(GenericTilt(config_, now.tilt), translation.tilt.value_or(0));
  }
  if (translation.zoom) {
    target.zoom = TranslateZoom(ZoomRatio(now.zoom), *translation.zoom);
  }
  return GoTo(target);
}

v1::PtzMoveStatus Dome::StatusOf(Activity* activity, Settling* settling,
                                 std::optional<std::pair<uint16_t, uint16_t>> now, bool circular,
                                 uint16_t target_tolerance, uint16_t still_tolerance) {
  switch (*activity) {
    case Activity::kIdle:
      return v1::PTZ_MOVE_STATUS_IDLE;
    case Activity::kContinuous:
      return v1::PTZ_MOVE_STATUS_MOVING;
    case Activity::kPositioning:
      break;
  }
  if (!now) {
    return v1::PTZ_MOVE_STATUS_UNKNOWN;  // Without feedback the end of a go-to is invisible.
  }
  if (settling->target && Near(*now, *settling->target, circular, target_tolerance)) {
    *activity = Activity::kIdle;
    return v1::PTZ_MOVE_STATUS_IDLE;
  }
  const steady_clock::time_point at = steady_clock::now();
  if (!settling->sample) {
    settling->sample = now;
    settling->sampled_at = at;
    return v1::PTZ_MOVE_STATUS_MOVING;
  }
  if (at - settling->sampled_at < kSettleWindow) {
    return v1::PTZ_MOVE_STATUS_MOVING;  // Too soon to tell a slow start from standing still.
  }
  if (Near(*now, *settling->sample, circular, still_tolerance)) {
    *activity = Activity::kIdle;
    return v1::PTZ_MOVE_STATUS_IDLE;
  }
  settling->sample = now;
  settling->sampled_at = at;
  return v1::PTZ_MOVE_STATUS_MOVING;
}

grpc::Status Dome::GetStatus(v1::PtzStatus* status) {
  if (!config_.position_feedback) {
    if (!bus_->IsOpen()) {
      return {grpc::StatusCode::UNAVAILABLE,
              What("line " + bus_->config().id + " (" + bus_->config().device + ") is not open")};
    }
    std::lock_guard lock(mutex_);
    status->set_pan_tilt_status(
        StatusOf(&pan_tilt_, &pan_tilt_settling_, std::nullopt, true, 0, 0));
    if (config_.zoom) {
      status->set_zoom_status(StatusOf(&zoom_, &zoom_settling_, std::nullopt, false, 0, 0));
    }
    return grpc::Status::OK;
  }
  Position now;
  if (grpc::Status queried = QueryPosition(true, config_.zoom, &now); !queried.ok()) {
    return queried;
  }
  v1::PtzVector* position = status->mutable_position();
  position->mutable_pan_tilt()->set_x(static_cast<float>(GenericPan(config_, now.pan)));
  position->mutable_pan_tilt()->set_y(static_cast<float>(GenericTilt(config_, now.tilt)));
  if (config_.zoom) {
    position->mutable_zoom()->set_x(static_cast<float>(ZoomRatio(now.zoom)));
  }
  std::lock_guard lock(mutex_);
  status->set_pan_tilt_status(StatusOf(&pan_tilt_, &pan_tilt_settling_,
                                       std::make_pair(now.pan, now.tilt), true,
                                       kAngleTargetTolerance, kAngleStillTolerance));
  if (config_.zoom) {
    status->set_zoom_status(StatusOf(&zoom_, &zoom_settling_, std::make_pair(now.zoom, uint16_t{0}),
                                     false, kZoomTargetTolerance, kZoomStillTolerance));
  }
  return grpc::Status::OK;
}

grpc::Status Dome::SetPreset(uint8_t slot) {
  Frame frame;
  if (auto s = Encoded(EncodeSetPreset(config_.address, slot), &frame); !s.ok()) return s;
  return SendConfirmed(frame, "set preset " + std::to_string(slot));
}

grpc::Status Dome::ClearPreset(uint8_t slot) {
  Frame frame;
  if (auto s = Encoded(EncodeClearPreset(config_.address, slot), &frame); !s.ok()) return s;
  return SendConfirmed(frame, "clear preset " + std::to_string(slot));
}

grpc::Status Dome::GotoPreset(uint8_t slot) {
  Frame frame;
  if (auto s = Encoded(EncodeGoToPreset(config_.address, slot), &frame); !s.ok()) return s;
  MarkPositioning(true, config_.zoom, std::nullopt);
  return SendConfirmed(frame, "go to preset " + std::to_string(slot));
}

grpc::Status Dome::Auxiliary(const std::string& command) {
  for (const auto& [name, action] : config_.auxiliary) {
    if (name != command) {
      continue;
    }
    Frame frame;
    if (auto s = Encoded(action.on ? EncodeSetAuxiliary(config_.address, action.aux)
                                   : EncodeClearAuxiliary(config_.address, action.aux),
                         &frame);
        !s.ok()) {
      return s;
    }
    return SendConfirmed(frame, "aux " + std::to_string(action.aux) + (action.on ? " on" : " off"));
  }
  return {grpc::StatusCode::INVALID_ARGUMENT,
          What("unknown auxiliary command (see the camera's auxiliary_commands)")};
}

void Dome::RepeatLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    repeat_wakeup_.wait_for(lock, *config_.repeat, [this] { return stopping_; });
    if (stopping_ || command_ == StandardCommand{}) {
      continue;
    }
    lock.unlock();
    {
      // Exclusive: no newer frame of this camera can be on its way while the repeat is read and
      // sent, so the repeat never overtakes a stop.
      std::unique_lock gate(send_gate_);
      std::optional<adapter_sdk::Result<Frame>> frame;
      {
        std::lock_guard state(mutex_);
        if (command_ != StandardCommand{}) {
          frame = EncodeStandard(config_.address, command_);
        }
      }
      if (frame && frame->ok()) {
        if (grpc::Status status = bus_->Send(frame->value(), coalesce_key_); !status.ok()) {
          adapter_sdk::LogDebug(What("repeat failed: "), status.error_message());
        }
      }
    }
    lock.lock();
  }
}

}  // namespace onvifgw::pelco_d
