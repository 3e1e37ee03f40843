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
    : config_(std::move(config)), bus_(std::move(bus)) {
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

grpc::Status Dome::PostMotionLocked(const StandardCommand& command, uint64_t* post) {
  Frame frame;
  if (grpc::Status status = Encoded(EncodeStandard(config_.address, command), &frame);
      !status.ok()) {
    return status;
  }
  command_ = command;
  unsent_motion_ = frame;
  *post = ++motion_posted_;
  return grpc::Status::OK;
}

grpc::Status Dome::WriteMotion(const Frame& frame, uint64_t covers) {
  grpc::Status status = bus_->Send(frame);
  if (status.ok()) {
    adapter_sdk::LogDebug(What("motion "), ToHex(frame));
  }
  std::lock_guard lock(mutex_);
  motion_written_ = covers;
  motion_status_ = status;
  return status;
}

grpc::Status Dome::SendMotion(uint64_t post) {
  std::lock_guard order(order_);
  Frame frame;
  uint64_t covers = 0;
  {
    std::lock_guard lock(mutex_);
    if (motion_written_ >= post || !unsent_motion_) {
      // A newer frame (the state after this call's) was written while this call waited. (Not
      // written implies unsent: frames are taken, written and recorded under order_.)
      return motion_status_;
    }
    frame = *unsent_motion_;
    unsent_motion_.reset();
    covers = motion_posted_;
  }
  return WriteMotion(frame, covers);
}

std::unique_lock<std::mutex> Dome::Ordered(const std::function<void()>& change) {
  std::unique_lock order(order_);
  std::optional<Frame> motion;
  uint64_t covers = 0;
  {
    std::lock_guard lock(mutex_);
    motion.swap(unsent_motion_);
    covers = motion_posted_;
    if (change) {
      change();
    }
  }
  if (motion) {
    if (grpc::Status status = WriteMotion(*motion, covers); !status.ok()) {
      adapter_sdk::LogDebug(What("move before a command failed: "), status.error_message());
    }
  }
  return order;
}

grpc::Status Dome::SendConfirmed(const Frame& frame, std::string_view action) {
  grpc::Status status;
  const bool replies = bus_->config().replies;
  if (replies) {
    std::string response;
    status = bus_->Exchange(frame, GeneralResponseMatcher(frame), &response);
    if (status.ok() || status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      NoteAnswer(status.ok(), false);
    }
  } else {
    status = bus_->Send(frame);
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

void Dome::NoteAnswer(bool answered, bool query) {
  std::lock_guard lock(mutex_);
  if (answered) {
    query_backoff_ = std::chrono::milliseconds(0);
    query_backoff_until_ = {};
    return;
  }
  const steady_clock::time_point now = steady_clock::now();
  if (!query || now < query_backoff_until_) {
    return;  // Only queries start a back-off; one already running is not extended by stragglers.
  }
  query_backoff_ = query_backoff_.count() == 0 ? kQueryBackoffFirst
                                               : std::min(query_backoff_ * 2, kQueryBackoffMax);
  query_backoff_until_ = now + query_backoff_;
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
  const bool pan_tilt = velocity.pan || velocity.tilt;
  const bool zoom = velocity.zoom.has_value();
  if (!pan_tilt && !zoom) {
    return grpc::Status::OK;  // No axis: every movement goes on as it is.
  }
  uint64_t post = 0;
  {
    std::lock_guard lock(mutex_);
    // An absent axis group keeps its bits: its running move (if any) goes on.
    StandardCommand command = command_;
    if (velocity.pan) {
      const double pan = *velocity.pan;
      const PanMotion motion = PanFromVelocity(config_.invert_pan ? -pan : pan, config_.turbo);
      command.pan = motion.direction;
      command.pan_speed = motion.speed;
    }
    if (velocity.tilt) {
      const double tilt = *velocity.tilt;
      const TiltMotion motion = TiltFromVelocity(config_.invert_tilt ? -tilt : tilt);
      command.tilt = motion.direction;
      command.tilt_speed = motion.speed;
    }
    if (zoom) {
      command.zoom = ZoomFromVelocity(*velocity.zoom);
    }
    if (grpc::Status status = PostMotionLocked(command, &post); !status.ok()) {
      return status;
    }
    if (pan_tilt) {
      const bool moves = command.pan != Pan::kStop || command.tilt != Tilt::kStop;
      pan_tilt_ = moves ? Activity::kContinuous : StoppedFrom(pan_tilt_, &pan_tilt_settling_);
    }
    if (zoom) {
      zoom_ =
          command.zoom != Zoom::kStop ? Activity::kContinuous : StoppedFrom(zoom_, &zoom_settling_);
    }
  }
  if (grpc::Status status = SendMotion(post); !status.ok()) {
    return {status.error_code(), What("continuous move: ") + status.error_message()};
  }
  adapter_sdk::LogDebug(What("continuous move"));
  return grpc::Status::OK;
}

grpc::Status Dome::Stop(bool pan_tilt, bool zoom) {
  if (!pan_tilt && !zoom) {
    return grpc::Status::OK;  // Nothing asked for: nothing stops (adapter API).
  }
  uint64_t post = 0;
  {
    std::lock_guard lock(mutex_);
    StandardCommand command = command_;
    if (pan_tilt) {
      command.pan = Pan::kStop;
      command.pan_speed = 0;
      command.tilt = Tilt::kStop;
      command.tilt_speed = 0;
    }
    if (zoom) {
      command.zoom = Zoom::kStop;
    }
    if (grpc::Status status = PostMotionLocked(command, &post); !status.ok()) {
      return status;
    }
    if (pan_tilt) {
      pan_tilt_ = StoppedFrom(pan_tilt_, &pan_tilt_settling_);
    }
    if (zoom) {
      zoom_ = StoppedFrom(zoom_, &zoom_settling_);
    }
  }
  if (grpc::Status status = SendMotion(post); !status.ok()) {
    return {status.error_code(), What("stop: ") + status.error_message()};
  }
  adapter_sdk::LogDebug(What("stop"));
  return grpc::Status::OK;
}

void Dome::MarkPositioningLocked(bool pan_tilt, bool zoom, const std::optional<Position>& target) {
  // A targeted group now goes somewhere by itself: its continuous move (if any) is over and is no
  // longer repeated. A group that is not targeted keeps what it does (ONVIF: an omitted axis is
  // not affected).
  if (pan_tilt) {
    command_.pan = Pan::kStop;
    command_.pan_speed = 0;
    command_.tilt = Tilt::kStop;
    command_.tilt_speed = 0;
    pan_tilt_ = Activity::kPositioning;
    pan_tilt_settling_ = Settling{};
    if (target) {
      pan_tilt_settling_.target = std::make_pair(target->pan, target->tilt);
    }
  }
  if (zoom) {
    command_.zoom = Zoom::kStop;
    zoom_ = Activity::kPositioning;
    zoom_settling_ = Settling{};
    if (target) {
      zoom_settling_.target = std::make_pair(target->zoom, uint16_t{0});
    }
  }
}

grpc::Status Dome::QueryValue(Query query, uint16_t* value) {
  const std::string what = std::string("query ").append(QueryName(query)).append(": ");
  {
    std::lock_guard lock(mutex_);
    const steady_clock::time_point now = steady_clock::now();
    if (now < query_backoff_until_) {
      // A dome that did not answer lately is not asked again yet: it would hold the shared line
      // for the whole response timeout at every poll of a client.
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(query_backoff_until_ - now);
      std::string message = What(what);
      message.append("the dome did not answer lately; not asked again for ")
          .append(std::to_string(left.count()))
          .append(" ms");
      return {grpc::StatusCode::DEADLINE_EXCEEDED, message};
    }
  }
  Frame frame;
  if (grpc::Status status = Encoded(EncodeQuery(config_.address, query), &frame); !status.ok()) {
    return status;
  }
  std::string response;
  grpc::Status status = bus_->Exchange(
      frame, ExtendedResponseMatcher(config_.address, ResponseOpcodeFor(query)), &response);
  if (status.ok() || status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    NoteAnswer(status.ok(), true);
  }
  if (!status.ok()) {
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
  const std::unique_lock order =
      Ordered([&] { MarkPositioningLocked(pan_tilt, zoom, known_target); });
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
    if (status->pan_tilt_status() == v1::PTZ_MOVE_STATUS_UNKNOWN ||
        (config_.zoom && status->zoom_status() == v1::PTZ_MOVE_STATUS_UNKNOWN)) {
      // ONVIF requires an Error with an UNKNOWN move status.
      status->set_error(
          "the dome gives no position: the end of a go-to (preset, home) is not known");
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
  const std::unique_lock order = Ordered({});
  return SendConfirmed(frame, "set preset " + std::to_string(slot));
}

grpc::Status Dome::ClearPreset(uint8_t slot) {
  Frame frame;
  if (auto s = Encoded(EncodeClearPreset(config_.address, slot), &frame); !s.ok()) return s;
  const std::unique_lock order = Ordered({});
  return SendConfirmed(frame, "clear preset " + std::to_string(slot));
}

grpc::Status Dome::GotoPreset(uint8_t slot) {
  Frame frame;
  if (auto s = Encoded(EncodeGoToPreset(config_.address, slot), &frame); !s.ok()) return s;
  const std::unique_lock order =
      Ordered([this] { MarkPositioningLocked(true, config_.zoom, std::nullopt); });
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
    const std::unique_lock order = Ordered({});
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
      // Under order_: the repeat is read and written with no other frame of this camera on its
      // way, so it never overtakes a stop (a newer command is written after it).
      std::lock_guard order(order_);
      std::optional<Frame> unsent;
      uint64_t covers = 0;
      std::optional<adapter_sdk::Result<Frame>> repeat;
      {
        std::lock_guard state(mutex_);
        if (unsent_motion_) {
          // The newest command has not been written yet: writing it is the repeat.
          unsent.swap(unsent_motion_);
          covers = motion_posted_;
        } else if (command_ != StandardCommand{}) {
          repeat = EncodeStandard(config_.address, command_);
        }
      }
      grpc::Status status;
      if (unsent) {
        status = WriteMotion(*unsent, covers);
      } else if (repeat && repeat->ok()) {
        status = bus_->Send(repeat->value());
      }
      if (!status.ok()) {
        adapter_sdk::LogDebug(What("repeat failed: "), status.error_message());
      }
    }
    lock.lock();
  }
}

}  // namespace onvifgw::pelco_d
