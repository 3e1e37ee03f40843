#include "adapters/pelco_d/pelco_d_service.h"

#include <cmath>
#include <cstdio>

#include "adapters/sdk/logger.h"

namespace onvifgw::pelco_d {
namespace {

namespace v1 = onvifgw::adapter::v1;

constexpr size_t kMaxQuotedLength = 64;

// The range each axis of a PtzVector takes, by what it means.
struct Space {
  double pan_tilt_low, pan_tilt_high, zoom_low, zoom_high;
};
constexpr Space kPositionSpace{-1, 1, 0, 1};
constexpr Space kTranslationSpace{-1, 1, -1, 1};
constexpr Space kVelocitySpace{-1, 1, -1, 1};

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

grpc::Status CheckValue(float value, double low, double high, const std::string& name,
                        std::optional<double>* out) {
  if (!std::isfinite(value) || value < low || value > high) {
    std::string message = name;
    message.append(" must be within [")
        .append(Number(low))
        .append(", ")
        .append(Number(high))
        .append("], not ")
        .append(Number(value));
    return {grpc::StatusCode::INVALID_ARGUMENT, message};
  }
  *out = value;
  return grpc::Status::OK;
}

// The axes `vector` sets, checked against `space`; `name` is the request field, for messages.
grpc::Status ReadVector(const v1::PtzVector& vector, const Space& space, const std::string& name,
                        Axes* axes) {
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

v1::VideoCodec CodecOf(VideoCodecName codec) {
  switch (codec) {
    case VideoCodecName::kH264:
      return v1::VIDEO_CODEC_H264;
    case VideoCodecName::kH265:
      return v1::VIDEO_CODEC_H265;
    case VideoCodecName::kJpeg:
      return v1::VIDEO_CODEC_JPEG;
  }
  return v1::VIDEO_CODEC_UNSPECIFIED;
}

}  // namespace

PelcoDService::PelcoDService(PelcoDConfig config) {
  for (LineConfig& line : config.lines) {
    const std::string id = line.id;
    buses_[id] = std::make_shared<Bus>(std::move(line), config.reopen_interval);
  }
  // Open the lines before the domes exist: a dome's repeater may send at once.
  for (auto& [id, bus] : buses_) {
    bus->Start();
  }
  for (CameraConfig& camera : config.cameras) {
    std::shared_ptr<Bus> bus = buses_.at(camera.line);
    domes_.push_back(std::make_unique<Dome>(std::move(camera), std::move(bus)));
    by_id_[domes_.back()->config().id] = domes_.back().get();
  }
}

// Domes (and their repeaters) go before the lines they send on.
PelcoDService::~PelcoDService() {
  by_id_.clear();
  domes_.clear();
  buses_.clear();
}

std::string PelcoDService::Quote(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxQuotedLength; ++i) {
    const char c = text[i];
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if (text.size() > kMaxQuotedLength) {
    out += "...";
  }
  out += "\"";
  return out;
}

grpc::Status PelcoDService::Find(const std::string& camera_id, Dome** dome) const {
  if (camera_id.empty()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "camera_id is required"};
  }
  auto it = by_id_.find(camera_id);
  if (it == by_id_.end()) {
    return {grpc::StatusCode::NOT_FOUND, "no camera " + Quote(camera_id)};
  }
  *dome = it->second;
  return grpc::Status::OK;
}

grpc::Status PelcoDService::FindPtz(const std::string& camera_id, const std::string& node_id,
                                    Dome** dome) const {
  if (grpc::Status status = Find(camera_id, dome); !status.ok()) return status;
  if (node_id.empty()) return {grpc::StatusCode::INVALID_ARGUMENT, "node_id is required"};
  if (node_id != kPtzNodeId) {
    return {grpc::StatusCode::NOT_FOUND,
            "camera " + Quote(camera_id) + " has no PTZ node " + Quote(node_id)};
  }
  return grpc::Status::OK;
}

grpc::Status PelcoDService::CheckSlot(const Dome& dome, uint32_t slot) {
  if (dome.config().IsPresetSlot(slot)) return grpc::Status::OK;
  return {grpc::StatusCode::INVALID_ARGUMENT, "camera " + dome.config().id + ": slot " +
                                                  std::to_string(slot) +
                                                  " is not one of the node's preset_slots"};
}

grpc::Status PelcoDService::NoHome(const Dome& dome) {
  return {grpc::StatusCode::UNIMPLEMENTED,
          "camera " + dome.config().id + " has no home position (no home_preset configured)"};
}

grpc::Status PelcoDService::Describe(grpc::ServerContext* /*context*/,
                                     const v1::DescribeRequest* /*request*/,
                                     v1::DescribeResponse* response) {
  response->set_api_version(1);
  response->set_adapter_name(kAdapterName);
  response->set_adapter_version(kAdapterVersion);
  for (const auto& dome : domes_) {
    const CameraConfig& config = dome->config();
    v1::CameraDescription* camera = response->add_cameras();
    camera->set_camera_id(config.id);
    camera->set_label(config.label);
    v1::Capabilities* capabilities = camera->mutable_capabilities();
    capabilities->set_device_information(true);
    capabilities->set_ptz(true);
    capabilities->set_video_sources(config.video.has_value());
    capabilities->set_auxiliary_commands(!config.auxiliary.empty());
    for (const auto& [command, action] : config.auxiliary) {
      camera->add_auxiliary_commands(command);
    }
  }
  return grpc::Status::OK;
}

grpc::Status PelcoDService::GetDeviceInformation(grpc::ServerContext* /*context*/,
                                                 const v1::CameraRef* request,
                                                 v1::DeviceInformation* response) {
  Dome* dome = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &dome); !status.ok()) return status;
  const CameraConfig& config = dome->config();
  response->set_manufacturer(config.manufacturer);
  response->set_model(config.model);
  response->set_firmware_version("");
  // Pelco-D has no serial number to ask for: where the dome is wired is what identifies it.
  std::string serial = config.line;
  serial.append(":").append(std::to_string(config.address));
  response->set_serial_number(serial);
  return grpc::Status::OK;
}

grpc::Status PelcoDService::ListVideoSources(grpc::ServerContext* /*context*/,
                                             const v1::CameraRef* request,
                                             v1::VideoSourceList* response) {
  Dome* dome = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &dome); !status.ok()) return status;
  const std::optional<VideoConfig>& video = dome->config().video;
  if (!video) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + dome->config().id + " has no video source configured"};
  }
  v1::VideoSource* source = response->add_sources();
  source->set_source_id(kSourceId);
  source->mutable_resolution()->set_width(video->width);
  source->mutable_resolution()->set_height(video->height);
  source->set_framerate(static_cast<float>(video->framerate));
  v1::VideoStream* stream = source->add_streams();
  stream->set_stream_id(kStreamId);
  stream->set_uri(video->uri);
  stream->set_codec(CodecOf(video->codec));
  *stream->mutable_resolution() = source->resolution();
  stream->set_framerate(static_cast<float>(video->framerate));
  stream->set_transport(v1::STREAM_TRANSPORT_RTSP);
  return grpc::Status::OK;
}

grpc::Status PelcoDService::SendAuxiliaryCommand(grpc::ServerContext* /*context*/,
                                                 const v1::AuxiliaryCommandRequest* request,
                                                 v1::AuxiliaryCommandResponse* /*response*/) {
  Dome* dome = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &dome); !status.ok()) return status;
  if (dome->config().auxiliary.empty()) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + dome->config().id + " has no auxiliary commands"};
  }
  grpc::Status status = dome->Auxiliary(request->command());
  if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    return {status.error_code(), status.error_message() + ": " + Quote(request->command())};
  }
  return status;
}

grpc::Status PelcoDService::ListPtzNodes(grpc::ServerContext* /*context*/,
                                         const v1::CameraRef* request, v1::PtzNodeList* response) {
  Dome* dome = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &dome); !status.ok()) return status;
  const CameraConfig& config = dome->config();
  v1::PtzNode* node = response->add_nodes();
  node->set_node_id(kPtzNodeId);
  if (config.video) {
    node->set_source_id(kSourceId);
  }
  node->set_pan_tilt(true);
  node->set_zoom(config.zoom);
  node->set_absolute_move(config.position_feedback);
  node->set_relative_move(config.position_feedback);
  for (uint32_t slot : config.preset_slots) {
    node->add_preset_slots(slot);
  }
  node->set_home(config.home_preset.has_value());
  node->set_settable_home(config.home_preset.has_value());
  // Only position feedback shows when a go-to ends; without it GetPtzStatus still knows
  // continuous moves and stops, and says UNKNOWN after a go-to.
  node->set_move_status(config.position_feedback);
  return grpc::Status::OK;
}

grpc::Status PelcoDService::ContinuousMovePtz(grpc::ServerContext* /*context*/,
                                              const v1::ContinuousMovePtzRequest* request,
                                              v1::PtzMoveResponse* /*response*/) {
  Dome* dome = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &dome);
      !status.ok()) {
    return status;
  }
  Axes velocity;
  if (grpc::Status status = ReadVector(request->velocity(), kVelocitySpace, "velocity", &velocity);
      !status.ok()) {
    return status;
  }
  return dome->ContinuousMove(velocity);
}

grpc::Status PelcoDService::RelativeMovePtz(grpc::ServerContext* /*context*/,
                                            const v1::RelativeMovePtzRequest* request,
                                            v1::PtzMoveResponse* /*response*/) {
  Dome* dome = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &dome);
      !status.ok()) {
    return status;
  }
  Axes translation;
  if (grpc::Status status =
          ReadVector(request->translation(), kTranslationSpace, "translation", &translation);
      !status.ok()) {
    return status;
  }
  // Pelco-D positioning has no speed: request->speed() is accepted and not used.
  return dome->RelativeMove(translation);
}

grpc::Status PelcoDService::AbsoluteMovePtz(grpc::ServerContext* /*context*/,
                                            const v1::AbsoluteMovePtzRequest* request,
                                            v1::PtzMoveResponse* /*response*/) {
  Dome* dome = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &dome);
      !status.ok()) {
    return status;
  }
  Axes position;
  if (grpc::Status status = ReadVector(request->position(), kPositionSpace, "position", &position);
      !status.ok()) {
    return status;
  }
  return dome->AbsoluteMove(position);
}

grpc::Status PelcoDService::StopPtz(grpc::ServerContext* /*context*/,
                                    const v1::StopPtzRequest* request,
                                    v1::PtzMoveResponse* /*response*/) {
  Dome* dome = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &dome);
      !status.ok()) {
    return status;
  }
  return dome->Stop(request->pan_tilt(), request->zoom());
}

grpc::Status PelcoDService::GetPtzStatus(grpc::ServerContext* /*context*/,
                                         const v1::PtzNodeRef* request, v1::PtzStatus* response) {
  Dome* dome = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &dome);
      !status.ok()) {
    return status;
  }
  return dome->GetStatus(response);
}

grpc::Status PelcoDService::SetPtzPreset(grpc::ServerContext* /*context*/,
                                         const v1::PtzPresetRequest* request,
                                         v1::PtzMoveResponse* /*response*/) {
  Dome* dome = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &dome);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(*dome, request->slot()); !status.ok()) return status;
  return dome->SetPreset(static_cast<uint8_t>(request->slot()));
}

grpc::Status PelcoDService::RemovePtzPreset(grpc::ServerContext* /*context*/,
                                            const v1::PtzPresetRequest* request,
                                            v1::PtzMoveResponse* /*response*/) {
  Dome* dome = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &dome);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(*dome, request->slot()); !status.ok()) return status;
  return dome->ClearPreset(static_cast<uint8_t>(request->slot()));
}

grpc::Status PelcoDService::GotoPtzPreset(grpc::ServerContext* /*context*/,
                                          const v1::GotoPtzPresetRequest* request,
                                          v1::PtzMoveResponse* /*response*/) {
  Dome* dome = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &dome);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(*dome, request->slot()); !status.ok()) return status;
  return dome->GotoPreset(static_cast<uint8_t>(request->slot()));
}

grpc::Status PelcoDService::GotoPtzHome(grpc::ServerContext* /*context*/,
                                        const v1::GotoPtzHomeRequest* request,
                                        v1::PtzMoveResponse* /*response*/) {
  Dome* dome = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &dome);
      !status.ok()) {
    return status;
  }
  if (!dome->config().home_preset) return NoHome(*dome);
  return dome->GotoPreset(*dome->config().home_preset);
}

grpc::Status PelcoDService::SetPtzHome(grpc::ServerContext* /*context*/,
                                       const v1::PtzNodeRef* request,
                                       v1::PtzMoveResponse* /*response*/) {
  Dome* dome = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &dome);
      !status.ok()) {
    return status;
  }
  if (!dome->config().home_preset) return NoHome(*dome);
  return dome->SetPreset(*dome->config().home_preset);
}

}  // namespace onvifgw::pelco_d
