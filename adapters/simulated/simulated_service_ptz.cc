// The PTZ RPCs of SimulatedService: checking requests against the generic spaces and driving the
// camera's SimulatedPtzHead.

#include <cmath>
#include <cstdio>
#include <string>

#include "adapters/sdk/logger.h"
#include "adapters/simulated/simulated_service.h"

namespace onvifgw::simulated {
namespace {

namespace v1 = onvifgw::adapter::v1;

// The range each axis of a PtzVector takes, by what it means.
struct Space {
  double pan_tilt_low, pan_tilt_high, zoom_low, zoom_high;
};
constexpr Space kPositionSpace{-1, 1, 0, 1};
constexpr Space kTranslationSpace{-1, 1, -1, 1};
constexpr Space kVelocitySpace{-1, 1, -1, 1};
constexpr Space kSpeedSpace{0, 1, 0, 1};

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

grpc::Status CheckValue(float value, double low, double high, const std::string& name,
                        std::optional<double>* out) {
  if (!std::isfinite(value) || value < low || value > high) {
    return {grpc::StatusCode::INVALID_ARGUMENT, name + " must be within [" + Number(low) + ", " +
                                                    Number(high) + "], not " + Number(value)};
  }
  *out = value;
  return grpc::Status::OK;
}

// The axes `vector` sets, checked against `space`; `name` is the request field, for messages.
grpc::Status ReadVector(const v1::PtzVector& vector, const Space& space, const std::string& name,
                        PtzAxes* axes) {
  if (vector.has_pan_tilt()) {
    const v1::PanTilt& pan_tilt = vector.pan_tilt();
    grpc::Status status = CheckValue(pan_tilt.x(), space.pan_tilt_low, space.pan_tilt_high,
                                     name + ".pan_tilt.x (pan)", &axes->pan);
    if (!status.ok()) return status;
    status = CheckValue(pan_tilt.y(), space.pan_tilt_low, space.pan_tilt_high,
                        name + ".pan_tilt.y (tilt)", &axes->tilt);
    if (!status.ok()) return status;
  }
  if (vector.has_zoom()) {
    return CheckValue(vector.zoom().x(), space.zoom_low, space.zoom_high, name + ".zoom.x",
                      &axes->zoom);
  }
  return grpc::Status::OK;
}

// INVALID_ARGUMENT for a slot the node does not list in preset_slots.
grpc::Status CheckSlot(uint32_t slot) {
  if (SimulatedPtzHead::IsPresetSlot(slot)) return grpc::Status::OK;
  return {grpc::StatusCode::INVALID_ARGUMENT,
          std::string("slot must be one of the node's preset_slots (1 to ") +
              std::to_string(SimulatedPtzHead::kPresetSlots) + "), not " + std::to_string(slot)};
}

v1::PtzMoveStatus MoveStatus(bool moving) {
  return moving ? v1::PTZ_MOVE_STATUS_MOVING : v1::PTZ_MOVE_STATUS_IDLE;
}

std::string PositionText(const PtzPosition& p) {
  return std::string("pan ") + Number(p.pan) + " tilt " + Number(p.tilt) + " zoom " +
         Number(p.zoom);
}

}  // namespace

grpc::Status SimulatedService::FindPtz(const std::string& camera_id, const std::string& node_id,
                                       SimulatedCamera** camera) const {
  grpc::Status status = FindUp(camera_id, camera);
  if (!status.ok()) return status;
  if ((*camera)->Ptz() == nullptr) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            std::string("camera ") + Quote(camera_id) + " has no PTZ"};
  }
  if (node_id.empty()) return {grpc::StatusCode::INVALID_ARGUMENT, "node_id is required"};
  if (node_id != kPtzNodeId) {
    return {grpc::StatusCode::NOT_FOUND,
            std::string("camera ") + Quote(camera_id) + " has no PTZ node " + Quote(node_id)};
  }
  return grpc::Status::OK;
}

grpc::Status SimulatedService::ListPtzNodes(grpc::ServerContext* /*context*/,
                                            const v1::CameraRef* request,
                                            v1::PtzNodeList* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), kPtzNodeId, &camera); !status.ok()) {
    return status;
  }
  v1::PtzNode* node = response->add_nodes();
  node->set_node_id(kPtzNodeId);
  node->set_source_id("0");
  node->set_pan_tilt(true);
  node->set_zoom(true);
  node->set_absolute_move(true);
  node->set_relative_move(true);
  for (uint32_t slot = 1; slot <= SimulatedPtzHead::kPresetSlots; ++slot) {
    node->add_preset_slots(slot);
  }
  node->set_home(true);
  node->set_settable_home(true);
  node->set_move_status(true);
  return grpc::Status::OK;
}

grpc::Status SimulatedService::ContinuousMovePtz(grpc::ServerContext* /*context*/,
                                                 const v1::ContinuousMovePtzRequest* request,
                                                 v1::PtzMoveResponse* /*response*/) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  PtzAxes velocity;
  if (grpc::Status status = ReadVector(request->velocity(), kVelocitySpace, "velocity", &velocity);
      !status.ok()) {
    return status;
  }
  camera->Ptz()->ContinuousMove(velocity);
  adapter_sdk::LogDebug("camera ", camera->config().id, ": PTZ continuous move pan ",
                        velocity.pan.value_or(0), " tilt ", velocity.tilt.value_or(0), " zoom ",
                        velocity.zoom.value_or(0));
  return grpc::Status::OK;
}

grpc::Status SimulatedService::RelativeMovePtz(grpc::ServerContext* /*context*/,
                                               const v1::RelativeMovePtzRequest* request,
                                               v1::PtzMoveResponse* /*response*/) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  PtzAxes translation;
  PtzAxes speed;
  grpc::Status status =
      ReadVector(request->translation(), kTranslationSpace, "translation", &translation);
  if (status.ok()) status = ReadVector(request->speed(), kSpeedSpace, "speed", &speed);
  if (!status.ok()) return status;
  camera->Ptz()->MoveBy(translation, speed);
  adapter_sdk::LogDebug("camera ", camera->config().id, ": PTZ relative move");
  return grpc::Status::OK;
}

grpc::Status SimulatedService::AbsoluteMovePtz(grpc::ServerContext* /*context*/,
                                               const v1::AbsoluteMovePtzRequest* request,
                                               v1::PtzMoveResponse* /*response*/) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  PtzAxes position;
  PtzAxes speed;
  grpc::Status status = ReadVector(request->position(), kPositionSpace, "position", &position);
  if (status.ok()) status = ReadVector(request->speed(), kSpeedSpace, "speed", &speed);
  if (!status.ok()) return status;
  camera->Ptz()->MoveTo(position, speed);
  adapter_sdk::LogDebug("camera ", camera->config().id, ": PTZ absolute move");
  return grpc::Status::OK;
}

grpc::Status SimulatedService::StopPtz(grpc::ServerContext* /*context*/,
                                       const v1::StopPtzRequest* request,
                                       v1::PtzMoveResponse* /*response*/) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  camera->Ptz()->Stop(request->pan_tilt(), request->zoom());
  return grpc::Status::OK;
}

grpc::Status SimulatedService::GetPtzStatus(grpc::ServerContext* /*context*/,
                                            const v1::PtzNodeRef* request,
                                            v1::PtzStatus* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  const SimulatedPtzHead::Status now = camera->Ptz()->Now();
  v1::PtzVector* position = response->mutable_position();
  position->mutable_pan_tilt()->set_x(static_cast<float>(now.position.pan));
  position->mutable_pan_tilt()->set_y(static_cast<float>(now.position.tilt));
  position->mutable_zoom()->set_x(static_cast<float>(now.position.zoom));
  response->set_pan_tilt_status(MoveStatus(now.pan_tilt_moving));
  response->set_zoom_status(MoveStatus(now.zoom_moving));
  return grpc::Status::OK;
}

grpc::Status SimulatedService::SetPtzPreset(grpc::ServerContext* /*context*/,
                                            const v1::PtzPresetRequest* request,
                                            v1::PtzMoveResponse* /*response*/) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(request->slot()); !status.ok()) return status;
  camera->Ptz()->SetPreset(request->slot());
  const std::string line = std::string("PTZ preset ") + std::to_string(request->slot()) +
                           " set at " +
                           PositionText(camera->Ptz()->Memory().presets[request->slot()]);
  adapter_sdk::LogInfo("camera ", camera->config().id, ": ", line);
  camera->Log(line);
  return grpc::Status::OK;
}

grpc::Status SimulatedService::RemovePtzPreset(grpc::ServerContext* /*context*/,
                                               const v1::PtzPresetRequest* request,
                                               v1::PtzMoveResponse* /*response*/) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(request->slot()); !status.ok()) return status;
  camera->Ptz()->RemovePreset(request->slot());
  const std::string line =
      std::string("PTZ preset ") + std::to_string(request->slot()) + " removed";
  adapter_sdk::LogInfo("camera ", camera->config().id, ": ", line);
  camera->Log(line);
  return grpc::Status::OK;
}

grpc::Status SimulatedService::GotoPtzPreset(grpc::ServerContext* /*context*/,
                                             const v1::GotoPtzPresetRequest* request,
                                             v1::PtzMoveResponse* /*response*/) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(request->slot()); !status.ok()) return status;
  PtzAxes speed;
  if (grpc::Status status = ReadVector(request->speed(), kSpeedSpace, "speed", &speed);
      !status.ok()) {
    return status;
  }
  if (!camera->Ptz()->GotoPreset(request->slot(), speed)) {
    return {grpc::StatusCode::NOT_FOUND,
            std::string("PTZ preset slot ") + std::to_string(request->slot()) + " is empty"};
  }
  adapter_sdk::LogDebug("camera ", camera->config().id, ": PTZ to preset ", request->slot());
  return grpc::Status::OK;
}

grpc::Status SimulatedService::GotoPtzHome(grpc::ServerContext* /*context*/,
                                           const v1::GotoPtzHomeRequest* request,
                                           v1::PtzMoveResponse* /*response*/) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  PtzAxes speed;
  if (grpc::Status status = ReadVector(request->speed(), kSpeedSpace, "speed", &speed);
      !status.ok()) {
    return status;
  }
  camera->Ptz()->GotoHome(speed);
  adapter_sdk::LogDebug("camera ", camera->config().id, ": PTZ to home");
  return grpc::Status::OK;
}

grpc::Status SimulatedService::SetPtzHome(grpc::ServerContext* /*context*/,
                                          const v1::PtzNodeRef* request,
                                          v1::PtzMoveResponse* /*response*/) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  camera->Ptz()->SetHome();
  const std::string line =
      std::string("PTZ home set at ") + PositionText(camera->Ptz()->Memory().home);
  adapter_sdk::LogInfo("camera ", camera->config().id, ": ", line);
  camera->Log(line);
  return grpc::Status::OK;
}

}  // namespace onvifgw::simulated
