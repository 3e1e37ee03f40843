// The PTZ RPCs of VapixService: generic spaces checked here, mapped by vapix_ptz.h, sent by the
// camera to ptz.cgi.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "adapters/vapix/vapix_service.h"

namespace onvifgw::vapix {
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
    grpc::Status status = CheckValue(vector.pan_tilt().x(), space.pan_tilt_low, space.pan_tilt_high,
                                     name + ".pan_tilt.x (pan)", &axes->pan);
    if (!status.ok()) return status;
    status = CheckValue(vector.pan_tilt().y(), space.pan_tilt_low, space.pan_tilt_high,
                        name + ".pan_tilt.y (tilt)", &axes->tilt);
    if (!status.ok()) return status;
  }
  if (vector.has_zoom()) {
    return CheckValue(vector.zoom().x(), space.zoom_low, space.zoom_high, name + ".zoom.x",
                      &axes->zoom);
  }
  return grpc::Status::OK;
}

// ptz.cgi's speed governs pan and tilt; absent, the node's fastest.
grpc::Status SpeedParams(const v1::PtzVector& speed, bool present, PtzParams* params) {
  double pan_tilt = 1;
  if (present && speed.has_pan_tilt()) {
    PtzAxes axes;
    if (grpc::Status status = ReadVector(speed, kSpeedSpace, "speed", &axes); !status.ok()) {
      return status;
    }
    pan_tilt = std::max(*axes.pan, *axes.tilt);
  }
  params->push_back(*SpeedParam(pan_tilt));
  return grpc::Status::OK;
}

std::optional<MotionKnowledge> KnowledgeOf(bool group_present, bool moving) {
  if (!group_present) return std::nullopt;
  return moving ? MotionKnowledge::kMoving : MotionKnowledge::kIdle;
}

v1::PtzMoveStatus StatusOf(MotionKnowledge knowledge) {
  switch (knowledge) {
    case MotionKnowledge::kIdle:
      return v1::PTZ_MOVE_STATUS_IDLE;
    case MotionKnowledge::kMoving:
      return v1::PTZ_MOVE_STATUS_MOVING;
    case MotionKnowledge::kUnknown:
      break;
  }
  return v1::PTZ_MOVE_STATUS_UNKNOWN;
}

}  // namespace

grpc::Status VapixService::FindPtz(const std::string& camera_id, const std::string& node_id,
                                   Deadline deadline, VapixCamera** camera,
                                   CameraFacts* facts) const {
  if (grpc::Status status = Find(camera_id, camera); !status.ok()) return status;
  if (grpc::Status status = (*camera)->Facts(deadline, false, facts); !status.ok()) return status;
  if (!(*camera)->PtzOn(*facts)) {
    return {grpc::StatusCode::UNIMPLEMENTED, "camera " + (*camera)->config().id + " has no PTZ"};
  }
  if (node_id.empty()) return {grpc::StatusCode::INVALID_ARGUMENT, "node_id is required"};
  if (node_id != kPtzNodeId) {
    return {grpc::StatusCode::NOT_FOUND,
            "camera " + (*camera)->config().id + " has no PTZ node " + Quote(node_id)};
  }
  return grpc::Status::OK;
}

grpc::Status VapixService::CheckSlot(const VapixCamera& camera, const CameraFacts& facts,
                                     uint32_t slot) {
  const std::vector<uint32_t> slots = camera.PresetSlots(facts);
  if (std::find(slots.begin(), slots.end(), slot) != slots.end()) return grpc::Status::OK;
  return {grpc::StatusCode::INVALID_ARGUMENT, "camera " + camera.config().id + ": slot " +
                                                  std::to_string(slot) +
                                                  " is not one of the node's preset_slots"};
}

grpc::Status VapixService::ListPtzNodes(grpc::ServerContext* context, const v1::CameraRef* request,
                                        v1::PtzNodeList* response) {
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  CameraFacts facts;
  if (grpc::Status status = camera->Facts(DeadlineOf(context), true, &facts); !status.ok()) {
    return status;
  }
  if (!camera->PtzOn(facts)) {
    return {grpc::StatusCode::UNIMPLEMENTED, "camera " + camera->config().id + " has no PTZ"};
  }
  v1::PtzNode* node = response->add_nodes();
  node->set_node_id(kPtzNodeId);
  node->set_source_id(kSourceId);
  // Without limits the head still takes continuous moves on every axis; with them, the axes they
  // name take positions too.
  const std::optional<PtzLimits>& limits = facts.ptz_limits;
  node->set_pan_tilt(!limits || (limits->pan && limits->tilt));
  node->set_zoom(!limits || limits->zoom.has_value());
  node->set_absolute_move(limits.has_value());
  node->set_relative_move(limits.has_value());
  for (uint32_t slot : camera->PresetSlots(facts)) node->add_preset_slots(slot);
  node->set_home(true);            // move=home
  node->set_settable_home(false);  // The home is the camera's own preset.
  node->set_move_status(false);    // query=position does not say whether the head moves.
  return grpc::Status::OK;
}

grpc::Status VapixService::ContinuousMovePtz(grpc::ServerContext* context,
                                             const v1::ContinuousMovePtzRequest* request,
                                             v1::PtzMoveResponse* /*response*/) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindPtz(request->camera_id(), request->node_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  PtzAxes velocity;
  if (grpc::Status status = ReadVector(request->velocity(), kVelocitySpace, "velocity", &velocity);
      !status.ok()) {
    return status;
  }
  const PtzParams params = ContinuousParams(velocity);
  if (params.empty()) return grpc::Status::OK;
  if (grpc::Status status = camera->PtzCommand(deadline, params, "the continuous move");
      !status.ok()) {
    return status;
  }
  const bool pan_tilt = velocity.pan.has_value();
  camera->NoteMotion(KnowledgeOf(pan_tilt, pan_tilt && (VelocityPercent(*velocity.pan) != 0 ||
                                                        VelocityPercent(*velocity.tilt) != 0)),
                     KnowledgeOf(velocity.zoom.has_value(),
                                 velocity.zoom && VelocityPercent(*velocity.zoom) != 0));
  return grpc::Status::OK;
}

grpc::Status VapixService::StopPtz(grpc::ServerContext* context, const v1::StopPtzRequest* request,
                                   v1::PtzMoveResponse* /*response*/) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindPtz(request->camera_id(), request->node_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  const PtzParams params = StopParams(request->pan_tilt(), request->zoom());
  if (params.empty()) return grpc::Status::OK;
  if (grpc::Status status = camera->PtzCommand(deadline, params, "the stop"); !status.ok()) {
    return status;
  }
  camera->NoteMotion(KnowledgeOf(request->pan_tilt(), false), KnowledgeOf(request->zoom(), false));
  return grpc::Status::OK;
}

grpc::Status VapixService::AbsoluteMovePtz(grpc::ServerContext* context,
                                           const v1::AbsoluteMovePtzRequest* request,
                                           v1::PtzMoveResponse* /*response*/) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindPtz(request->camera_id(), request->node_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  if (!facts.ptz_limits) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + camera->config().id + " reports no PTZ limits: no absolute moves"};
  }
  PtzAxes position;
  if (grpc::Status status = ReadVector(request->position(), kPositionSpace, "position", &position);
      !status.ok()) {
    return status;
  }
  auto moves = AbsoluteParams(*facts.ptz_limits, position);
  if (!moves) return {grpc::StatusCode::INVALID_ARGUMENT, moves.error().message};
  if (moves->empty()) return grpc::Status::OK;
  PtzParams params;
  if (position.pan) {
    if (grpc::Status status = SpeedParams(request->speed(), request->has_speed(), &params);
        !status.ok()) {
      return status;
    }
  }
  params.insert(params.end(), moves->begin(), moves->end());
  if (grpc::Status status = camera->PtzCommand(deadline, params, "the absolute move");
      !status.ok()) {
    return status;
  }
  camera->NoteMotion(position.pan ? std::optional(MotionKnowledge::kUnknown) : std::nullopt,
                     position.zoom ? std::optional(MotionKnowledge::kUnknown) : std::nullopt);
  return grpc::Status::OK;
}

grpc::Status VapixService::RelativeMovePtz(grpc::ServerContext* context,
                                           const v1::RelativeMovePtzRequest* request,
                                           v1::PtzMoveResponse* /*response*/) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindPtz(request->camera_id(), request->node_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  if (!facts.ptz_limits) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + camera->config().id + " reports no PTZ limits: no relative moves"};
  }
  PtzAxes translation;
  if (grpc::Status status =
          ReadVector(request->translation(), kTranslationSpace, "translation", &translation);
      !status.ok()) {
    return status;
  }
  auto moves = RelativeParams(*facts.ptz_limits, translation);
  if (!moves) return {grpc::StatusCode::INVALID_ARGUMENT, moves.error().message};
  if (moves->empty()) return grpc::Status::OK;
  PtzParams params;
  if (translation.pan) {
    if (grpc::Status status = SpeedParams(request->speed(), request->has_speed(), &params);
        !status.ok()) {
      return status;
    }
  }
  params.insert(params.end(), moves->begin(), moves->end());
  if (grpc::Status status = camera->PtzCommand(deadline, params, "the relative move");
      !status.ok()) {
    return status;
  }
  camera->NoteMotion(translation.pan ? std::optional(MotionKnowledge::kUnknown) : std::nullopt,
                     translation.zoom ? std::optional(MotionKnowledge::kUnknown) : std::nullopt);
  return grpc::Status::OK;
}

grpc::Status VapixService::GetPtzStatus(grpc::ServerContext* context, const v1::PtzNodeRef* request,
                                        v1::PtzStatus* response) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindPtz(request->camera_id(), request->node_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  if (facts.ptz_limits) {
    std::string body;
    if (grpc::Status status = camera->PtzQuery(deadline, "position", &body); !status.ok()) {
      return status;
    }
    auto position = ParsePtzPosition(body);
    if (!position) {
      return {grpc::StatusCode::UNAVAILABLE,
              "camera " + camera->config().id + ": " + position.error().message};
    }
    const PtzAxes generic = GenericPosition(*facts.ptz_limits, *position);
    if (generic.pan && generic.tilt) {
      response->mutable_position()->mutable_pan_tilt()->set_x(static_cast<float>(*generic.pan));
      response->mutable_position()->mutable_pan_tilt()->set_y(static_cast<float>(*generic.tilt));
    }
    if (generic.zoom) {
      response->mutable_position()->mutable_zoom()->set_x(static_cast<float>(*generic.zoom));
    }
  }
  const auto [pan_tilt, zoom] = camera->Motion();
  response->set_pan_tilt_status(StatusOf(pan_tilt));
  response->set_zoom_status(StatusOf(zoom));
  if (pan_tilt == MotionKnowledge::kUnknown || zoom == MotionKnowledge::kUnknown) {
    response->set_error(
        "the camera does not report whether the head moves; known only after a continuous move "
        "or a stop");
  }
  return grpc::Status::OK;
}

grpc::Status VapixService::SetPtzPreset(grpc::ServerContext* context,
                                        const v1::PtzPresetRequest* request,
                                        v1::PtzMoveResponse* /*response*/) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindPtz(request->camera_id(), request->node_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(*camera, facts, request->slot()); !status.ok()) {
    return status;
  }
  return camera->PtzCommand(deadline, {{"setserverpresetno", std::to_string(request->slot())}},
                            "to store preset " + std::to_string(request->slot()));
}

grpc::Status VapixService::RemovePtzPreset(grpc::ServerContext* context,
                                           const v1::PtzPresetRequest* request,
                                           v1::PtzMoveResponse* /*response*/) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindPtz(request->camera_id(), request->node_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(*camera, facts, request->slot()); !status.ok()) {
    return status;
  }
  // Removing an empty slot is OK, but the camera calls it an error: look first.
  std::string body;
  if (grpc::Status status = camera->PtzQuery(deadline, "presetposall", &body); !status.ok()) {
    return status;
  }
  auto stored = ParsePresetNumbers(body);
  if (!stored) {
    return {grpc::StatusCode::UNAVAILABLE,
            "camera " + camera->config().id + ": " + stored.error().message};
  }
  if (std::find(stored->begin(), stored->end(), request->slot()) == stored->end()) {
    return grpc::Status::OK;
  }
  return camera->PtzCommand(deadline, {{"removeserverpresetno", std::to_string(request->slot())}},
                            "to remove preset " + std::to_string(request->slot()));
}

grpc::Status VapixService::GotoPtzPreset(grpc::ServerContext* context,
                                         const v1::GotoPtzPresetRequest* request,
                                         v1::PtzMoveResponse* /*response*/) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindPtz(request->camera_id(), request->node_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(*camera, facts, request->slot()); !status.ok()) {
    return status;
  }
  PtzParams params;
  if (grpc::Status status = SpeedParams(request->speed(), request->has_speed(), &params);
      !status.ok()) {
    return status;
  }
  params.emplace_back("gotoserverpresetno", std::to_string(request->slot()));
  grpc::Status status =
      camera->PtzCommand(deadline, params, "to go to preset " + std::to_string(request->slot()));
  // The camera refuses a preset it does not have: the slot is empty.
  if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    return {grpc::StatusCode::NOT_FOUND, status.error_message()};
  }
  if (status.ok()) camera->NoteMotion(MotionKnowledge::kUnknown, MotionKnowledge::kUnknown);
  return status;
}

grpc::Status VapixService::GotoPtzHome(grpc::ServerContext* context,
                                       const v1::GotoPtzHomeRequest* request,
                                       v1::PtzMoveResponse* /*response*/) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindPtz(request->camera_id(), request->node_id(), deadline, &camera, &facts);
      !status.ok()) {
    return status;
  }
  PtzParams params;
  if (grpc::Status status = SpeedParams(request->speed(), request->has_speed(), &params);
      !status.ok()) {
    return status;
  }
  params.emplace_back("move", "home");
  grpc::Status status = camera->PtzCommand(deadline, params, "to go home");
  if (status.ok()) camera->NoteMotion(MotionKnowledge::kUnknown, MotionKnowledge::kUnknown);
  return status;
}

grpc::Status VapixService::SetPtzHome(grpc::ServerContext* context, const v1::PtzNodeRef* request,
                                      v1::PtzMoveResponse* /*response*/) {
  VapixCamera* camera = nullptr;
  CameraFacts facts;
  if (grpc::Status status =
          FindPtz(request->camera_id(), request->node_id(), DeadlineOf(context), &camera, &facts);
      !status.ok()) {
    return status;
  }
  return {grpc::StatusCode::UNIMPLEMENTED,
          "camera " + camera->config().id +
              ": the home position is the camera's own (move=home) and cannot be set here"};
}

}  // namespace onvifgw::vapix
