// The imaging RPCs of SimulatedService: the sensor's options and settings (checked by
// MergeImagingSettings) and its focus lens (SimulatedFocusLens).

#include <cmath>
#include <cstdio>
#include <string>

#include "adapters/sdk/logger.h"
#include "adapters/simulated/simulated_imaging.h"
#include "adapters/simulated/simulated_service.h"

namespace onvifgw::simulated {
namespace {

namespace v1 = onvifgw::adapter::v1;

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// INVALID_ARGUMENT naming `name` for a value outside `range` (NaN included).
grpc::Status CheckValue(float value, const v1::FloatRange& range, const std::string& name) {
  if (value >= range.min() && value <= range.max()) return grpc::Status::OK;
  return {grpc::StatusCode::INVALID_ARGUMENT, name + " must be within [" + Number(range.min()) +
                                                  ", " + Number(range.max()) + "], not " +
                                                  Number(value)};
}

// The speed of an absolute or relative move: the one asked for, else the sensor's default speed;
// a zero one would never arrive and means the fastest.
double MoveSpeed(bool has_speed, float speed, const v1::ImagingSettings& settings) {
  if (has_speed && speed > 0) return speed;
  const float fallback = settings.focus().default_speed();
  return fallback > 0 ? fallback : 1.0;
}

}  // namespace

grpc::Status SimulatedService::FindImaging(const std::string& camera_id,
                                           const std::string& imaging_id,
                                           SimulatedCamera** camera) const {
  grpc::Status status = FindUp(camera_id, camera);
  if (!status.ok()) return status;
  if (imaging_id.empty()) return {grpc::StatusCode::INVALID_ARGUMENT, "imaging_id is required"};
  if (imaging_id != kImagingId) {
    return {grpc::StatusCode::NOT_FOUND,
            "camera " + Quote(camera_id) + " has no imaging sensor " + Quote(imaging_id)};
  }
  return grpc::Status::OK;
}

grpc::Status SimulatedService::GetImagingOptions(grpc::ServerContext* /*context*/,
                                                 const v1::ImagingRef* request,
                                                 v1::ImagingOptions* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindImaging(request->camera_id(), request->imaging_id(), &camera);
      !status.ok()) {
    return status;
  }
  *response = SimulatedImagingOptions();
  return grpc::Status::OK;
}

grpc::Status SimulatedService::GetImagingSettings(grpc::ServerContext* /*context*/,
                                                  const v1::ImagingRef* request,
                                                  v1::ImagingSettings* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindImaging(request->camera_id(), request->imaging_id(), &camera);
      !status.ok()) {
    return status;
  }
  *response = camera->Imaging();
  return grpc::Status::OK;
}

grpc::Status SimulatedService::SetImagingSettings(grpc::ServerContext* /*context*/,
                                                  const v1::SetImagingSettingsRequest* request,
                                                  v1::ImagingSettings* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindImaging(request->camera_id(), request->imaging_id(), &camera);
      !status.ok()) {
    return status;
  }
  adapter_sdk::Result<v1::ImagingSettings> settings = camera->SetImaging(request->settings());
  if (!settings) return {grpc::StatusCode::INVALID_ARGUMENT, settings.error().message};
  const v1::ImagingSettings& now = settings.value();
  adapter_sdk::LogInfo("camera ", camera->config().id, ": imaging set to brightness ",
                       now.brightness(), " saturation ", now.color_saturation(), " contrast ",
                       now.contrast(), " sharpness ", now.sharpness(), " IR cut filter ",
                       v1::IrCutFilterMode_Name(now.ir_cut_filter()));
  camera->Log("imaging settings changed");
  *response = now;
  return grpc::Status::OK;
}

grpc::Status SimulatedService::MoveFocus(grpc::ServerContext* /*context*/,
                                         const v1::MoveFocusRequest* request,
                                         v1::FocusMoveResponse* /*response*/) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindImaging(request->camera_id(), request->imaging_id(), &camera);
      !status.ok()) {
    return status;
  }
  // ONVIF lets a move be asked for in either focus mode and switches nothing: neither does the
  // simulated lens (its auto focus is a setting only).
  const v1::FocusMoveOptions& options = SimulatedImagingOptions().focus().move();
  SimulatedFocusLens& lens = camera->Focus();
  switch (request->move_case()) {
    case v1::MoveFocusRequest::kAbsolute: {
      const v1::FocusAbsoluteMove& move = request->absolute();
      grpc::Status status =
          CheckValue(move.position(), options.absolute_position(), "absolute.position");
      if (status.ok() && move.has_speed()) {
        status = CheckValue(move.speed(), options.absolute_speed(), "absolute.speed");
      }
      if (!status.ok()) return status;
      lens.MoveTo(move.position(), MoveSpeed(move.has_speed(), move.speed(), camera->Imaging()));
      break;
    }
    case v1::MoveFocusRequest::kRelative: {
      const v1::FocusRelativeMove& move = request->relative();
      grpc::Status status =
          CheckValue(move.distance(), options.relative_distance(), "relative.distance");
      if (status.ok() && move.has_speed()) {
        status = CheckValue(move.speed(), options.relative_speed(), "relative.speed");
      }
      if (!status.ok()) return status;
      lens.MoveBy(move.distance(), MoveSpeed(move.has_speed(), move.speed(), camera->Imaging()));
      break;
    }
    case v1::MoveFocusRequest::kContinuous: {
      const v1::FocusContinuousMove& move = request->continuous();
      grpc::Status status =
          CheckValue(move.speed(), options.continuous_speed(), "continuous.speed");
      if (!status.ok()) return status;
      lens.Continuous(move.speed());
      break;
    }
    case v1::MoveFocusRequest::MOVE_NOT_SET:
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "one of absolute, relative or continuous is required"};
  }
  adapter_sdk::LogDebug("camera ", camera->config().id, ": focus move");
  return grpc::Status::OK;
}

grpc::Status SimulatedService::StopFocus(grpc::ServerContext* /*context*/,
                                         const v1::ImagingRef* request,
                                         v1::FocusMoveResponse* /*response*/) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindImaging(request->camera_id(), request->imaging_id(), &camera);
      !status.ok()) {
    return status;
  }
  camera->Focus().Stop();
  return grpc::Status::OK;
}

grpc::Status SimulatedService::GetFocusStatus(grpc::ServerContext* /*context*/,
                                              const v1::ImagingRef* request,
                                              v1::FocusStatus* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindImaging(request->camera_id(), request->imaging_id(), &camera);
      !status.ok()) {
    return status;
  }
  const SimulatedFocusLens::Status now = camera->Focus().Now();
  response->set_position(static_cast<float>(now.position));
  response->set_move_status(now.moving ? v1::PTZ_MOVE_STATUS_MOVING : v1::PTZ_MOVE_STATUS_IDLE);
  return grpc::Status::OK;
}

}  // namespace onvifgw::simulated
