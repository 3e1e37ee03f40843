// The imaging RPCs of VapixService: sensor kSourceId is ImageSource.I<channel-1> (brightness,
// color level, contrast and sharpness on the camera's 0..100 scale; DayNight.IrCutFilter
// yes/no/auto as ON/OFF/AUTO), read and changed with param.cgi; its focus is the lens ptz.cgi
// moves (focus, rfocus, continuousfocusmove, autofocus) where query=limits gives
// MinFocus/MaxFocus.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "adapters/sdk/logger.h"
#include "adapters/vapix/vapix_service.h"

namespace onvifgw::vapix {
namespace {

namespace v1 = onvifgw::adapter::v1;

// Axis documents the sensor settings as 0..100.
constexpr float kLevelMin = 0;
constexpr float kLevelMax = 100;
// A lens within this many steps of where it was sent has arrived.
constexpr double kArrived = 1;

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

v1::FloatRange RangeOf(double min, double max) {
  v1::FloatRange range;
  range.set_min(static_cast<float>(min));
  range.set_max(static_cast<float>(max));
  return range;
}

// `value` within [min, max]: INVALID_ARGUMENT naming `name` otherwise.
grpc::Status CheckRange(float value, double min, double max, const std::string& name) {
  if (!std::isfinite(value) || value < min || value > max) {
    return {grpc::StatusCode::INVALID_ARGUMENT, name + " must be within [" + Number(min) + ", " +
                                                    Number(max) + "], not " + Number(value)};
  }
  return grpc::Status::OK;
}

std::optional<float> ParseLevel(const std::string* text) {
  if (text == nullptr) return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || text->empty()) {
    return std::nullopt;
  }
  return static_cast<float>(value);
}

v1::IrCutFilterMode IrModeOf(const std::string* text) {
  if (text == nullptr) return v1::IR_CUT_FILTER_MODE_UNSPECIFIED;
  if (*text == "yes") return v1::IR_CUT_FILTER_MODE_ON;
  if (*text == "no") return v1::IR_CUT_FILTER_MODE_OFF;
  if (*text == "auto") return v1::IR_CUT_FILTER_MODE_AUTO;
  return v1::IR_CUT_FILTER_MODE_UNSPECIFIED;
}

// The lens as query=position reports it (fields it does not report stay unset).
grpc::Status FocusPositionOf(VapixCamera& camera, Deadline deadline, FocusPosition* position) {
  std::string body;
  if (grpc::Status status = camera.PtzQuery(deadline, "position", &body); !status.ok()) {
    return status;
  }
  auto parsed = ParseFocusPosition(body);
  if (!parsed) {
    return {grpc::StatusCode::UNAVAILABLE,
            "camera " + camera.config().id + ": " + parsed.error().message};
  }
  *position = *parsed;
  return grpc::Status::OK;
}

}  // namespace

bool VapixService::FocusOn(const VapixCamera& camera, const CameraFacts& facts) {
  return camera.PtzOn(facts) && facts.focus_limits.has_value();
}

grpc::Status VapixService::FindSensor(const std::string& camera_id, const std::string& imaging_id,
                                      Deadline deadline, VapixCamera** camera,
                                      CameraFacts* facts) const {
  if (grpc::Status status = Find(camera_id, camera); !status.ok()) return status;
  if (imaging_id.empty()) return {grpc::StatusCode::INVALID_ARGUMENT, "imaging_id is required"};
  if (grpc::Status status = (*camera)->Facts(deadline, false, facts); !status.ok()) return status;
  if (!facts->sensor.Any()) {
    return {grpc::StatusCode::UNIMPLEMENTED, "camera " + camera_id + " lists no sensor settings (" +
                                                 (*camera)->SensorPrefix() +
                                                 "Sensor.*, DayNight.IrCutFilter)"};
  }
  if (imaging_id != kSourceId) {
    return {grpc::StatusCode::NOT_FOUND,
            "camera " + camera_id + " has no sensor " + Quote(imaging_id)};
  }
  return grpc::Status::OK;
}

grpc::Status VapixService::FindFocus(const std::string& camera_id, const std::string& imaging_id,
                                     Deadline deadline, VapixCamera** camera,
                                     CameraFacts* facts) const {
  if (grpc::Status status = FindSensor(camera_id, imaging_id, deadline, camera, facts);
      !status.ok()) {
    return status;
  }
  if (!FocusOn(**camera, *facts)) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "camera " + camera_id +
                " cannot move its focus (no PTZ, or query=limits gives no MinFocus/MaxFocus)"};
  }
  return grpc::Status::OK;
}

v1::ImagingOptions VapixService::OptionsOf(const VapixCamera& camera, const CameraFacts& facts) {
  v1::ImagingOptions options;
  const SensorFacts& sensor = facts.sensor;
  if (sensor.brightness) *options.mutable_brightness() = RangeOf(kLevelMin, kLevelMax);
  if (sensor.color_level) *options.mutable_color_saturation() = RangeOf(kLevelMin, kLevelMax);
  if (sensor.contrast) *options.mutable_contrast() = RangeOf(kLevelMin, kLevelMax);
  if (sensor.sharpness) *options.mutable_sharpness() = RangeOf(kLevelMin, kLevelMax);
  if (sensor.ir_cut_filter) {
    options.add_ir_cut_filter_modes(v1::IR_CUT_FILTER_MODE_ON);
    options.add_ir_cut_filter_modes(v1::IR_CUT_FILTER_MODE_OFF);
    options.add_ir_cut_filter_modes(v1::IR_CUT_FILTER_MODE_AUTO);
  }
  if (FocusOn(camera, facts)) {
    const Range& limits = *facts.focus_limits;
    v1::FocusOptions* focus = options.mutable_focus();
    focus->add_auto_focus_modes(v1::AUTO_MANUAL_MODE_AUTO);
    focus->add_auto_focus_modes(v1::AUTO_MANUAL_MODE_MANUAL);
    // ptz.cgi moves the lens at its own speed: no speed ranges.
    v1::FocusMoveOptions* move = focus->mutable_move();
    *move->mutable_absolute_position() = RangeOf(limits.min, limits.max);
    const double span = limits.max - limits.min;
    *move->mutable_relative_distance() = RangeOf(-span, span);
    *move->mutable_continuous_speed() = RangeOf(-1, 1);
  }
  return options;
}

grpc::Status VapixService::ReadSettings(VapixCamera& camera, const CameraFacts& facts,
                                        Deadline deadline, v1::ImagingSettings* settings) {
  ParamList list;
  if (grpc::Status status = camera.ReadSensor(deadline, &list); !status.ok()) return status;
  const std::string prefix = camera.SensorPrefix();
  const SensorFacts& sensor = facts.sensor;
  auto level = [&](bool exists, const char* name, void (v1::ImagingSettings::*set)(float)) {
    if (!exists) return;
    if (std::optional<float> value = ParseLevel(list.Find(prefix + name))) {
      (settings->*set)(*value);
    }
  };
  level(sensor.brightness, "Sensor.Brightness", &v1::ImagingSettings::set_brightness);
  level(sensor.color_level, "Sensor.ColorLevel", &v1::ImagingSettings::set_color_saturation);
  level(sensor.contrast, "Sensor.Contrast", &v1::ImagingSettings::set_contrast);
  level(sensor.sharpness, "Sensor.Sharpness", &v1::ImagingSettings::set_sharpness);
  if (sensor.ir_cut_filter) {
    settings->set_ir_cut_filter(IrModeOf(list.Find(prefix + "DayNight.IrCutFilter")));
  }
  if (FocusOn(camera, facts)) {
    FocusPosition position;
    if (grpc::Status status = FocusPositionOf(camera, deadline, &position); !status.ok()) {
      return status;
    }
    if (position.autofocus) {
      settings->mutable_focus()->set_auto_focus_mode(
          *position.autofocus ? v1::AUTO_MANUAL_MODE_AUTO : v1::AUTO_MANUAL_MODE_MANUAL);
    }
  }
  return grpc::Status::OK;
}

grpc::Status VapixService::GetImagingOptions(grpc::ServerContext* context,
                                             const v1::ImagingRef* request,
                                             v1::ImagingOptions* response) {
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status = FindSensor(request->camera_id(), request->imaging_id(),
                                       DeadlineOf(context), &camera, &facts);
      !status.ok()) {
    return status;
  }
  *response = OptionsOf(*camera, facts);
  return grpc::Status::OK;
}

grpc::Status VapixService::GetImagingSettings(grpc::ServerContext* context,
                                              const v1::ImagingRef* request,
                                              v1::ImagingSettings* response) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindSensor(request->camera_id(), request->imaging_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  return ReadSettings(*camera, facts, deadline, response);
}

grpc::Status VapixService::SetImagingSettings(grpc::ServerContext* context,
                                              const v1::SetImagingSettingsRequest* request,
                                              v1::ImagingSettings* response) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindSensor(request->camera_id(), request->imaging_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  const std::string& id = camera->config().id;
  const v1::ImagingSettings& wanted = request->settings();
  auto absent = [&](const std::string& name) {
    return grpc::Status{grpc::StatusCode::INVALID_ARGUMENT,
                        name + " does not exist on camera " + id + " (see GetImagingOptions)"};
  };
  // Everything is checked before anything changes; the camera then takes all the parameters in
  // one update, or none.
  const std::string prefix = camera->SensorPrefix();
  std::vector<std::pair<std::string, std::string>> pairs;
  struct Level {
    bool present;
    float value;
    bool exists;
    const char* name;
    const char* param;
  };
  for (const Level& level : {
           Level{wanted.has_brightness(), wanted.brightness(), facts.sensor.brightness,
                 "brightness", "Sensor.Brightness"},
           Level{wanted.has_color_saturation(), wanted.color_saturation(), facts.sensor.color_level,
                 "color_saturation", "Sensor.ColorLevel"},
           Level{wanted.has_contrast(), wanted.contrast(), facts.sensor.contrast, "contrast",
                 "Sensor.Contrast"},
           Level{wanted.has_sharpness(), wanted.sharpness(), facts.sensor.sharpness, "sharpness",
                 "Sensor.Sharpness"},
       }) {
    if (!level.present) continue;
    if (!level.exists) return absent(level.name);
    if (grpc::Status status = CheckRange(level.value, kLevelMin, kLevelMax, level.name);
        !status.ok()) {
      return status;
    }
    pairs.emplace_back(prefix + level.param, std::to_string(std::lround(level.value)));
  }
  if (wanted.ir_cut_filter() != v1::IR_CUT_FILTER_MODE_UNSPECIFIED) {
    if (!facts.sensor.ir_cut_filter) return absent("ir_cut_filter");
    const char* value = nullptr;
    switch (wanted.ir_cut_filter()) {
      case v1::IR_CUT_FILTER_MODE_ON:
        value = "yes";
        break;
      case v1::IR_CUT_FILTER_MODE_OFF:
        value = "no";
        break;
      case v1::IR_CUT_FILTER_MODE_AUTO:
        value = "auto";
        break;
      default:
        return {grpc::StatusCode::INVALID_ARGUMENT, "ir_cut_filter must be ON, OFF or AUTO"};
    }
    pairs.emplace_back(prefix + "DayNight.IrCutFilter", value);
  }
  if (wanted.has_exposure() && wanted.exposure().ByteSizeLong() > 0) return absent("exposure");
  if (wanted.has_wide_dynamic_range() && wanted.wide_dynamic_range().ByteSizeLong() > 0) {
    return absent("wide_dynamic_range");
  }
  if (wanted.has_backlight_compensation() && wanted.backlight_compensation().ByteSizeLong() > 0) {
    return absent("backlight_compensation");
  }
  if (wanted.has_white_balance() && wanted.white_balance().ByteSizeLong() > 0) {
    return absent("white_balance");
  }
  std::optional<bool> autofocus;
  if (wanted.has_focus() && wanted.focus().ByteSizeLong() > 0) {
    const v1::FocusSettings& focus = wanted.focus();
    if (!FocusOn(*camera, facts)) return absent("focus");
    if (focus.has_default_speed()) return absent("focus.default_speed");
    if (focus.has_near_limit()) return absent("focus.near_limit");
    if (focus.has_far_limit()) return absent("focus.far_limit");
    if (focus.auto_focus_mode() == v1::AUTO_MANUAL_MODE_AUTO) {
      autofocus = true;
    } else if (focus.auto_focus_mode() == v1::AUTO_MANUAL_MODE_MANUAL) {
      autofocus = false;
    } else if (focus.auto_focus_mode() != v1::AUTO_MANUAL_MODE_UNSPECIFIED) {
      return {grpc::StatusCode::INVALID_ARGUMENT, "focus.auto_focus_mode must be AUTO or MANUAL"};
    }
  }

  if (!pairs.empty()) {
    if (grpc::Status status = camera->UpdateParams(deadline, pairs); !status.ok()) return status;
  }
  if (autofocus) {
    if (grpc::Status status =
            camera->PtzCommand(deadline, {{"autofocus", *autofocus ? "on" : "off"}},
                               *autofocus ? "autofocus on" : "autofocus off");
        !status.ok()) {
      return status;
    }
    // With autofocus on the lens moves by itself.
    if (*autofocus) camera->NoteFocus(FocusMotion{});
  }
  if (!pairs.empty() || autofocus) {
    std::string changed;
    for (const auto& [name, value] : pairs)
      changed.append(" ").append(name).append("=").append(value);
    if (autofocus) changed.append(*autofocus ? " autofocus=on" : " autofocus=off");
    adapter_sdk::LogInfo("camera ", id, ": imaging set:", changed);
  }
  return ReadSettings(*camera, facts, deadline, response);
}

grpc::Status VapixService::MoveFocus(grpc::ServerContext* context,
                                     const v1::MoveFocusRequest* request,
                                     v1::FocusMoveResponse* /*response*/) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindFocus(request->camera_id(), request->imaging_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  const Range& limits = *facts.focus_limits;
  const double span = limits.max - limits.min;
  // ptz.cgi has no focus speed: the lens moves at its own, and a requested speed is ignored.
  switch (request->move_case()) {
    case v1::MoveFocusRequest::kAbsolute: {
      const float position = request->absolute().position();
      if (grpc::Status status = CheckRange(position, limits.min, limits.max, "absolute.position");
          !status.ok()) {
        return status;
      }
      const long steps = std::lround(position);
      if (grpc::Status status =
              camera->PtzCommand(deadline, {{"focus", std::to_string(steps)}}, "the focus move");
          !status.ok()) {
        return status;
      }
      camera->NoteFocus({FocusMotion::Kind::kToward, static_cast<double>(steps), 0});
      return grpc::Status::OK;
    }
    case v1::MoveFocusRequest::kRelative: {
      const float distance = request->relative().distance();
      if (grpc::Status status = CheckRange(distance, -span, span, "relative.distance");
          !status.ok()) {
        return status;
      }
      // Where the lens ends up is known from where it starts.
      FocusPosition start;
      if (grpc::Status status = FocusPositionOf(*camera, deadline, &start); !status.ok()) {
        return status;
      }
      const long steps = std::lround(distance);
      if (grpc::Status status =
              camera->PtzCommand(deadline, {{"rfocus", std::to_string(steps)}}, "the focus move");
          !status.ok()) {
        return status;
      }
      if (start.focus) {
        const double target =
            std::clamp(*start.focus + static_cast<double>(steps), limits.min, limits.max);
        camera->NoteFocus({FocusMotion::Kind::kToward, target, 0});
      } else {
        camera->NoteFocus(FocusMotion{});
      }
      return grpc::Status::OK;
    }
    case v1::MoveFocusRequest::kContinuous: {
      const float speed = request->continuous().speed();
      if (grpc::Status status = CheckRange(speed, -1, 1, "continuous.speed"); !status.ok()) {
        return status;
      }
      const int percent = VelocityPercent(speed);
      if (grpc::Status status = camera->PtzCommand(
              deadline, {{"continuousfocusmove", std::to_string(percent)}}, "the focus move");
          !status.ok()) {
        return status;
      }
      camera->NoteFocus(percent == 0
                            ? FocusMotion{FocusMotion::Kind::kStopped, 0, 0}
                            : FocusMotion{FocusMotion::Kind::kContinuous, 0, percent > 0 ? 1 : -1});
      return grpc::Status::OK;
    }
    case v1::MoveFocusRequest::MOVE_NOT_SET:
      break;
  }
  return {grpc::StatusCode::INVALID_ARGUMENT,
          "a move (absolute, relative or continuous) is required"};
}

grpc::Status VapixService::StopFocus(grpc::ServerContext* context, const v1::ImagingRef* request,
                                     v1::FocusMoveResponse* /*response*/) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindSensor(request->camera_id(), request->imaging_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  if (!FocusOn(*camera, facts)) return grpc::Status::OK;  // A fixed lens never moves.
  if (grpc::Status status =
          camera->PtzCommand(deadline, {{"continuousfocusmove", "0"}}, "the focus stop");
      !status.ok()) {
    return status;
  }
  camera->NoteFocus({FocusMotion::Kind::kStopped, 0, 0});
  return grpc::Status::OK;
}

grpc::Status VapixService::GetFocusStatus(grpc::ServerContext* context,
                                          const v1::ImagingRef* request,
                                          v1::FocusStatus* response) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindSensor(request->camera_id(), request->imaging_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  if (!FocusOn(*camera, facts)) {
    response->set_move_status(v1::PTZ_MOVE_STATUS_IDLE);  // A fixed lens.
    return grpc::Status::OK;
  }
  FocusPosition position;
  if (grpc::Status status = FocusPositionOf(*camera, deadline, &position); !status.ok()) {
    return status;
  }
  if (position.focus) response->set_position(static_cast<float>(*position.focus));
  // Axis does not report lens motion: what the adapter ordered last, checked against where the
  // lens is.
  const FocusMotion motion = camera->Focus();
  const Range& limits = *facts.focus_limits;
  v1::PtzMoveStatus status = v1::PTZ_MOVE_STATUS_UNKNOWN;
  switch (motion.kind) {
    case FocusMotion::Kind::kStopped:
      status = v1::PTZ_MOVE_STATUS_IDLE;
      break;
    case FocusMotion::Kind::kToward:
      if (position.focus) {
        status = std::abs(*position.focus - motion.target) < kArrived ? v1::PTZ_MOVE_STATUS_IDLE
                                                                      : v1::PTZ_MOVE_STATUS_MOVING;
      }
      break;
    case FocusMotion::Kind::kContinuous:
      if (position.focus) {
        const bool at_end = motion.direction > 0 ? *position.focus >= limits.max - kArrived
                                                 : *position.focus <= limits.min + kArrived;
        status = at_end ? v1::PTZ_MOVE_STATUS_IDLE : v1::PTZ_MOVE_STATUS_MOVING;
      }
      break;
    case FocusMotion::Kind::kUnknown:
      break;
  }
  response->set_move_status(status);
  if (status == v1::PTZ_MOVE_STATUS_UNKNOWN) {
    response->set_error(
        "the camera does not report whether the lens moves; known only after the adapter moved "
        "or stopped it");
  }
  return grpc::Status::OK;
}

}  // namespace onvifgw::vapix
