#include "adapters/foscam/foscam_service.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "adapters/sdk/logger.h"

namespace onvifgw::foscam {
namespace {

namespace v1 = onvifgw::adapter::v1;
using std::chrono::steady_clock;

constexpr size_t kMaxQuotedLength = 64;
// The camera's `now` is an unsigned 32-bit count of seconds.
constexpr int64_t kMaxCameraSeconds = 4'294'967'295;

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

// A generic velocity component in [-1, 1]; `name` is the request field.
grpc::Status CheckVelocity(float value, const std::string& name) {
  if (!std::isfinite(value) || value < -1 || value > 1) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            name + " must be within [-1, 1], not " + Number(value)};
  }
  return grpc::Status::OK;
}

// A sensor level in [0, max], rounded to the camera's integer steps.
grpc::Status CheckLevel(float value, int64_t max, const std::string& name, int64_t* level) {
  if (!std::isfinite(value) || value < 0 || value > static_cast<float>(max)) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            name + " must be within [0, " + std::to_string(max) + "], not " + Number(value)};
  }
  *level = std::lround(value);
  return grpc::Status::OK;
}

void FillSystemTime(const CameraTime& time, v1::SystemTime* out) {
  out->mutable_utc_time()->set_seconds(time.utc_seconds);
  out->set_posix_timezone(PosixZoneFromTz(time.tz));
  // get_status.cgi does not say whether NTP is on; the adapter turns it off when it sets the
  // clock.
  out->set_ntp_synchronized(false);
}

// Why a setting of SetImagingSettings cannot be taken; empty when every present one exists.
std::string AbsentSetting(const v1::ImagingSettings& settings) {
  if (settings.has_color_saturation()) return "color_saturation";
  if (settings.has_sharpness()) return "sharpness";
  if (settings.ir_cut_filter() != v1::IR_CUT_FILTER_MODE_UNSPECIFIED) return "ir_cut_filter";
  if (settings.has_exposure() && settings.exposure().ByteSizeLong() > 0) return "exposure";
  if (settings.has_focus() && settings.focus().ByteSizeLong() > 0) return "focus";
  if (settings.has_wide_dynamic_range() && settings.wide_dynamic_range().ByteSizeLong() > 0) {
    return "wide_dynamic_range";
  }
  if (settings.has_backlight_compensation() &&
      settings.backlight_compensation().ByteSizeLong() > 0) {
    return "backlight_compensation";
  }
  if (settings.has_white_balance() && settings.white_balance().ByteSizeLong() > 0) {
    return "white_balance";
  }
  return "";
}

// Ends a StreamEvents call's subscriptions however it returns.
class Subscriptions {
 public:
  Subscriptions(std::vector<FoscamCamera*> cameras, std::shared_ptr<EventQueue> queue)
      : cameras_(std::move(cameras)), queue_(std::move(queue)) {
    for (FoscamCamera* camera : cameras_) camera->Subscribe(queue_);
  }
  ~Subscriptions() {
    for (FoscamCamera* camera : cameras_) camera->Unsubscribe(queue_);
  }
  Subscriptions(const Subscriptions&) = delete;
  Subscriptions& operator=(const Subscriptions&) = delete;

 private:
  std::vector<FoscamCamera*> cameras_;
  std::shared_ptr<EventQueue> queue_;
};

}  // namespace

FoscamService::FoscamService(FoscamConfig config) {
  for (CameraConfig& camera : config.cameras) {
    cameras_.push_back(std::make_unique<FoscamCamera>(std::move(camera)));
    by_id_[cameras_.back()->config().id] = cameras_.back().get();
  }
}

FoscamService::~FoscamService() {
  BeginShutdown();
  for (auto& camera : cameras_) camera->Close();
  by_id_.clear();
  cameras_.clear();
}

void FoscamService::BeginShutdown() {
  std::lock_guard lock(streams_mutex_);
  shutting_down_ = true;
  for (const auto& queue : streams_) queue->Close();
}

std::string FoscamService::Quote(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxQuotedLength; ++i) {
    const char c = text[i];
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if (text.size() > kMaxQuotedLength) out += "...";
  return out + "\"";
}

Deadline FoscamService::DeadlineOf(const grpc::ServerContext* context) {
  constexpr std::chrono::hours kLongest{1};
  auto remaining = context->deadline() - std::chrono::system_clock::now();
  if (remaining > kLongest) remaining = kLongest;
  return steady_clock::now() + std::chrono::duration_cast<steady_clock::duration>(remaining);
}

grpc::Status FoscamService::Find(const std::string& camera_id, FoscamCamera** camera) const {
  if (camera_id.empty()) return {grpc::StatusCode::INVALID_ARGUMENT, "camera_id is required"};
  auto it = by_id_.find(camera_id);
  if (it == by_id_.end()) return {grpc::StatusCode::NOT_FOUND, "no camera " + Quote(camera_id)};
  *camera = it->second;
  return grpc::Status::OK;
}

grpc::Status FoscamService::FindPtz(const std::string& camera_id, const std::string& node_id,
                                    FoscamCamera** camera) const {
  if (grpc::Status status = Find(camera_id, camera); !status.ok()) return status;
  if (!(*camera)->config().HasPtzNode()) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + camera_id + " has no PTZ head (ptz and zoom are false)"};
  }
  if (node_id.empty()) return {grpc::StatusCode::INVALID_ARGUMENT, "node_id is required"};
  if (node_id != FoscamCamera::kPtzNodeId) {
    return {grpc::StatusCode::NOT_FOUND,
            "camera " + camera_id + " has no PTZ node " + Quote(node_id)};
  }
  return grpc::Status::OK;
}

grpc::Status FoscamService::FindSensor(const std::string& camera_id, const std::string& imaging_id,
                                       FoscamCamera** camera) const {
  if (grpc::Status status = Find(camera_id, camera); !status.ok()) return status;
  if (imaging_id.empty()) return {grpc::StatusCode::INVALID_ARGUMENT, "imaging_id is required"};
  if (imaging_id != FoscamCamera::kSourceId) {
    return {grpc::StatusCode::NOT_FOUND,
            "camera " + camera_id + " has no sensor " + Quote(imaging_id)};
  }
  return grpc::Status::OK;
}

grpc::Status FoscamService::FindInput(const std::string& camera_id, const std::string& input_id,
                                      FoscamCamera** camera) const {
  if (grpc::Status status = Find(camera_id, camera); !status.ok()) return status;
  if (!(*camera)->config().input) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + camera_id + " has no alarm input (input is false)"};
  }
  if (input_id != FoscamCamera::kInputId) {
    return {grpc::StatusCode::NOT_FOUND,
            "camera " + camera_id + " has no digital input " + Quote(input_id)};
  }
  return grpc::Status::OK;
}

grpc::Status FoscamService::FindRelay(const std::string& camera_id, const std::string& relay_id,
                                      FoscamCamera** camera) const {
  if (grpc::Status status = Find(camera_id, camera); !status.ok()) return status;
  if (!(*camera)->config().relay) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + camera_id + " has no relay output (relay is false)"};
  }
  if (relay_id != FoscamCamera::kRelayId) {
    return {grpc::StatusCode::NOT_FOUND,
            "camera " + camera_id + " has no relay " + Quote(relay_id)};
  }
  return grpc::Status::OK;
}

grpc::Status FoscamService::CheckSlot(const FoscamCamera& camera, uint32_t slot) {
  const CameraConfig& config = camera.config();
  if (config.ptz && slot >= 1 && slot <= config.presets) return grpc::Status::OK;
  return {grpc::StatusCode::INVALID_ARGUMENT,
          "camera " + config.id + ": slot " + std::to_string(slot) +
              " is not one of the node's preset_slots" +
              (config.ptz ? " (1.." + std::to_string(config.presets) + ")" : " (it has none)")};
}

// ---------------------------------------------------------------------------------- Describe

grpc::Status FoscamService::Describe(grpc::ServerContext* /*context*/,
                                     const v1::DescribeRequest* /*request*/,
                                     v1::DescribeResponse* response) {
  response->set_api_version(1);
  response->set_adapter_name(kAdapterName);
  response->set_adapter_version(kAdapterVersion);
  for (const auto& camera : cameras_) {
    const CameraConfig& config = camera->config();
    v1::CameraDescription* description = response->add_cameras();
    description->set_camera_id(config.id);
    description->set_label(config.label);
    v1::Capabilities* capabilities = description->mutable_capabilities();
    capabilities->set_device_information(true);
    capabilities->set_system_time(true);
    capabilities->set_set_system_time(true);
    capabilities->set_reboot(true);
    capabilities->set_video_sources(true);
    capabilities->set_snapshot(true);
    capabilities->set_events(true);
    capabilities->set_factory_default(config.allow_factory_default);
    capabilities->set_auxiliary_commands(true);
    capabilities->set_system_log(true);
    capabilities->set_ptz(config.HasPtzNode());
    capabilities->set_digital_inputs(config.input);
    capabilities->set_relay_outputs(config.relay);
    capabilities->set_imaging(true);
    for (const std::string& command : FoscamCamera::AuxiliaryCommands()) {
      description->add_auxiliary_commands(command);
    }
  }
  return grpc::Status::OK;
}

// ---------------------------------------------------------------------------- Device and time

grpc::Status FoscamService::GetDeviceInformation(grpc::ServerContext* context,
                                                 const v1::CameraRef* request,
                                                 v1::DeviceInformation* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  return camera->DeviceInformation(DeadlineOf(context), response);
}

grpc::Status FoscamService::GetSystemTime(grpc::ServerContext* context,
                                          const v1::CameraRef* request, v1::SystemTime* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  CameraTime time;
  if (grpc::Status status = camera->GetTime(DeadlineOf(context), &time); !status.ok()) {
    return status;
  }
  FillSystemTime(time, response);
  return grpc::Status::OK;
}

grpc::Status FoscamService::SetSystemTime(grpc::ServerContext* context,
                                          const v1::SetSystemTimeRequest* request,
                                          v1::SystemTime* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  if (!request->has_utc_time()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "utc_time is required"};
  }
  const google::protobuf::Timestamp& utc = request->utc_time();
  if (utc.seconds() < 0 || utc.seconds() > kMaxCameraSeconds || utc.nanos() < 0 ||
      utc.nanos() > 999'999'999) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "utc_time is outside what the camera's clock takes (1970-01-01 to 2106-02-07)"};
  }
  std::optional<int64_t> tz;
  if (!request->posix_timezone().empty()) {
    auto west = TzFromPosixZone(request->posix_timezone());
    if (!west) {
      return {grpc::StatusCode::INVALID_ARGUMENT, "posix_timezone: " + west.error().message};
    }
    tz = *west;
  }
  CameraTime time;
  if (grpc::Status status = camera->SetTime(DeadlineOf(context), utc.seconds(), tz, &time);
      !status.ok()) {
    return status;
  }
  FillSystemTime(time, response);
  return grpc::Status::OK;
}

grpc::Status FoscamService::Reboot(grpc::ServerContext* context, const v1::CameraRef* request,
                                   v1::RebootResponse* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  if (grpc::Status status = camera->Reboot(DeadlineOf(context)); !status.ok()) return status;
  response->set_expected_downtime_seconds(FoscamCamera::kRebootDowntimeSeconds);
  return grpc::Status::OK;
}

grpc::Status FoscamService::FactoryDefault(grpc::ServerContext* context,
                                           const v1::FactoryDefaultRequest* request,
                                           v1::FactoryDefaultResponse* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  if (!camera->config().allow_factory_default) {
    return {grpc::StatusCode::FAILED_PRECONDITION,
            "camera " + camera->config().id +
                ": factory default is not allowed: restore_factory.cgi also resets the camera's "
                "users (admin without a password), which may lock the adapter out; set "
                "allow_factory_default: true to allow it"};
  }
  if (grpc::Status status = camera->RestoreFactory(DeadlineOf(context)); !status.ok()) {
    return status;
  }
  camera->FillVideoSources(response->mutable_video_sources());
  return grpc::Status::OK;
}

grpc::Status FoscamService::GetSystemLog(grpc::ServerContext* context, const v1::CameraRef* request,
                                         v1::CameraLog* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  std::vector<std::string> lines;
  if (grpc::Status status = camera->SystemLog(DeadlineOf(context), &lines); !status.ok()) {
    return status;
  }
  for (std::string& line : lines) response->add_lines(std::move(line));
  return grpc::Status::OK;
}

grpc::Status FoscamService::SendAuxiliaryCommand(grpc::ServerContext* context,
                                                 const v1::AuxiliaryCommandRequest* request,
                                                 v1::AuxiliaryCommandResponse* /*response*/) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  grpc::Status status = camera->Auxiliary(DeadlineOf(context), request->command());
  if (status.ok()) {
    adapter_sdk::LogInfo("camera ", camera->config().id, ": ", request->command());
  }
  return status;
}

// ---------------------------------------------------------------------------------- Video

grpc::Status FoscamService::ListVideoSources(grpc::ServerContext* /*context*/,
                                             const v1::CameraRef* request,
                                             v1::VideoSourceList* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  camera->FillVideoSources(response);
  return grpc::Status::OK;
}

grpc::Status FoscamService::GetSnapshot(grpc::ServerContext* context,
                                        const v1::SnapshotRequest* request,
                                        v1::Snapshot* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  if (!request->source_id().empty() && request->source_id() != FoscamCamera::kSourceId) {
    return {grpc::StatusCode::NOT_FOUND, "camera " + camera->config().id + " has no video source " +
                                             Quote(request->source_id())};
  }
  const google::protobuf::Timestamp taken_at = Now();
  std::string jpeg;
  if (grpc::Status status = camera->Snapshot(DeadlineOf(context), &jpeg); !status.ok()) {
    return status;
  }
  response->set_jpeg(std::move(jpeg));
  *response->mutable_taken_at() = taken_at;
  return grpc::Status::OK;
}

// ------------------------------------------------------------------------------------ PTZ

grpc::Status FoscamService::ListPtzNodes(grpc::ServerContext* /*context*/,
                                         const v1::CameraRef* request, v1::PtzNodeList* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), FoscamCamera::kPtzNodeId, &camera);
      !status.ok()) {
    return status;
  }
  const CameraConfig& config = camera->config();
  v1::PtzNode* node = response->add_nodes();
  node->set_node_id(FoscamCamera::kPtzNodeId);
  node->set_source_id(FoscamCamera::kSourceId);
  node->set_pan_tilt(config.ptz);
  node->set_zoom(config.zoom);
  // No position feedback: neither absolute nor relative moves, and no move status.
  node->set_absolute_move(false);
  node->set_relative_move(false);
  if (config.ptz) {
    for (uint32_t slot = 1; slot <= config.presets; ++slot) node->add_preset_slots(slot);
  }
  node->set_home(config.ptz);  // command=25: the center.
  node->set_settable_home(false);
  node->set_move_status(false);
  return grpc::Status::OK;
}

grpc::Status FoscamService::ContinuousMovePtz(grpc::ServerContext* context,
                                              const v1::ContinuousMovePtzRequest* request,
                                              v1::PtzMoveResponse* /*response*/) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  const CameraConfig& config = camera->config();
  const v1::PtzVector& velocity = request->velocity();
  std::optional<std::pair<double, double>> pan_tilt;
  std::optional<double> zoom;
  if (velocity.has_pan_tilt()) {
    if (!config.ptz) {
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "camera " + config.id + ": the node has no pan/tilt (velocity.pan_tilt)"};
    }
    if (grpc::Status s = CheckVelocity(velocity.pan_tilt().x(), "velocity.pan_tilt.x (pan)");
        !s.ok()) {
      return s;
    }
    if (grpc::Status s = CheckVelocity(velocity.pan_tilt().y(), "velocity.pan_tilt.y (tilt)");
        !s.ok()) {
      return s;
    }
    pan_tilt = std::make_pair(velocity.pan_tilt().x(), velocity.pan_tilt().y());
  }
  if (velocity.has_zoom()) {
    if (!config.zoom) {
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "camera " + config.id + ": the node has no zoom (velocity.zoom)"};
    }
    if (grpc::Status s = CheckVelocity(velocity.zoom().x(), "velocity.zoom.x"); !s.ok()) return s;
    zoom = velocity.zoom().x();
  }
  return camera->ContinuousMove(DeadlineOf(context), pan_tilt, zoom);
}

grpc::Status FoscamService::StopPtz(grpc::ServerContext* context, const v1::StopPtzRequest* request,
                                    v1::PtzMoveResponse* /*response*/) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  return camera->Stop(DeadlineOf(context), request->pan_tilt(), request->zoom());
}

grpc::Status FoscamService::GetPtzStatus(grpc::ServerContext* context,
                                         const v1::PtzNodeRef* request, v1::PtzStatus* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  return camera->PtzStatus(DeadlineOf(context), response);
}

grpc::Status FoscamService::SetPtzPreset(grpc::ServerContext* context,
                                         const v1::PtzPresetRequest* request,
                                         v1::PtzMoveResponse* /*response*/) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(*camera, request->slot()); !status.ok()) return status;
  return camera->SetPreset(DeadlineOf(context), request->slot());
}

grpc::Status FoscamService::RemovePtzPreset(grpc::ServerContext* /*context*/,
                                            const v1::PtzPresetRequest* request,
                                            v1::PtzMoveResponse* /*response*/) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(*camera, request->slot()); !status.ok()) return status;
  // The CGI API has no way to clear a preset: the slot keeps its position until it is set again,
  // and the gateway has already forgotten the ONVIF preset that used it.
  adapter_sdk::LogDebug("camera ", camera->config().id, ": preset ", request->slot(),
                        " removed (nothing sent: the camera cannot clear a preset)");
  return grpc::Status::OK;
}

grpc::Status FoscamService::GotoPtzPreset(grpc::ServerContext* context,
                                          const v1::GotoPtzPresetRequest* request,
                                          v1::PtzMoveResponse* /*response*/) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = CheckSlot(*camera, request->slot()); !status.ok()) return status;
  // The camera has no speed for a go-to: request->speed() is accepted and not used.
  return camera->GotoPreset(DeadlineOf(context), request->slot());
}

grpc::Status FoscamService::GotoPtzHome(grpc::ServerContext* context,
                                        const v1::GotoPtzHomeRequest* request,
                                        v1::PtzMoveResponse* /*response*/) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  if (!camera->config().ptz) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + camera->config().id + " has no pan/tilt head, hence no home position"};
  }
  return camera->GotoHome(DeadlineOf(context));
}

grpc::Status FoscamService::SetPtzHome(grpc::ServerContext* /*context*/,
                                       const v1::PtzNodeRef* request,
                                       v1::PtzMoveResponse* /*response*/) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindPtz(request->camera_id(), request->node_id(), &camera);
      !status.ok()) {
    return status;
  }
  return {grpc::StatusCode::UNIMPLEMENTED,
          "camera " + camera->config().id +
              ": the home position is the head's center, which cannot be changed"};
}

// --------------------------------------------------------------------------------- Relay

grpc::Status FoscamService::ListRelayOutputs(grpc::ServerContext* /*context*/,
                                             const v1::CameraRef* request,
                                             v1::RelayOutputList* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindRelay(request->camera_id(), FoscamCamera::kRelayId, &camera);
      !status.ok()) {
    return status;
  }
  *response->add_relays() = camera->Relay();
  return grpc::Status::OK;
}

grpc::Status FoscamService::SetRelayOutputSettings(grpc::ServerContext* context,
                                                   const v1::SetRelayOutputSettingsRequest* request,
                                                   v1::RelayOutput* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindRelay(request->camera_id(), request->relay_id(), &camera);
      !status.ok()) {
    return status;
  }
  if (request->mode() != v1::RELAY_MODE_BISTABLE && request->mode() != v1::RELAY_MODE_MONOSTABLE) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "mode must be bistable or monostable"};
  }
  if (request->idle_state() != v1::RELAY_IDLE_STATE_OPEN &&
      request->idle_state() != v1::RELAY_IDLE_STATE_CLOSED) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "idle_state must be open or closed"};
  }
  RelaySettings settings;
  settings.monostable = request->mode() == v1::RELAY_MODE_MONOSTABLE;
  settings.delay = std::chrono::milliseconds(request->delay_ms());
  settings.idle_closed = request->idle_state() == v1::RELAY_IDLE_STATE_CLOSED;
  if (settings.monostable && (settings.delay.count() == 0 || settings.delay > kMaxRelayDelay)) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "a monostable relay needs a delay of 1 ms to 1 hour"};
  }
  return camera->SetRelaySettings(DeadlineOf(context), settings, response);
}

grpc::Status FoscamService::SetRelayOutputState(grpc::ServerContext* context,
                                                const v1::SetRelayOutputStateRequest* request,
                                                v1::RelayOutput* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindRelay(request->camera_id(), request->relay_id(), &camera);
      !status.ok()) {
    return status;
  }
  return camera->SetRelayActive(DeadlineOf(context), request->active(), response);
}

// ------------------------------------------------------------------------- Digital inputs

grpc::Status FoscamService::ListDigitalInputs(grpc::ServerContext* context,
                                              const v1::CameraRef* request,
                                              v1::DigitalInputList* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindInput(request->camera_id(), FoscamCamera::kInputId, &camera);
      !status.ok()) {
    return status;
  }
  int64_t alarm = 0;
  if (grpc::Status status = camera->AlarmStatus(DeadlineOf(context), &alarm); !status.ok()) {
    return status;
  }
  v1::DigitalInput* input = response->add_inputs();
  input->set_input_id(FoscamCamera::kInputId);
  input->set_idle_state(v1::RELAY_IDLE_STATE_UNSPECIFIED);
  input->set_idle_state_settable(false);
  // alarm_status is 2 while the input alarm is on; 1 (motion) hides the input's state.
  input->set_active(alarm == 2);
  input->set_active_known(alarm != 1);
  return grpc::Status::OK;
}

grpc::Status FoscamService::SetDigitalInputSettings(
    grpc::ServerContext* /*context*/, const v1::SetDigitalInputSettingsRequest* request,
    v1::DigitalInput* /*response*/) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindInput(request->camera_id(), request->input_id(), &camera);
      !status.ok()) {
    return status;
  }
  return {grpc::StatusCode::INVALID_ARGUMENT, "camera " + camera->config().id +
                                                  ": the idle state of " + FoscamCamera::kInputId +
                                                  " cannot be set (idle_state_settable is false)"};
}

// -------------------------------------------------------------------------------- Imaging

grpc::Status FoscamService::GetImagingOptions(grpc::ServerContext* /*context*/,
                                              const v1::ImagingRef* request,
                                              v1::ImagingOptions* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindSensor(request->camera_id(), request->imaging_id(), &camera);
      !status.ok()) {
    return status;
  }
  response->mutable_brightness()->set_min(0);
  response->mutable_brightness()->set_max(static_cast<float>(kMaxBrightness));
  response->mutable_contrast()->set_min(0);
  response->mutable_contrast()->set_max(static_cast<float>(kMaxContrast));
  return grpc::Status::OK;
}

grpc::Status FoscamService::GetImagingSettings(grpc::ServerContext* context,
                                               const v1::ImagingRef* request,
                                               v1::ImagingSettings* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindSensor(request->camera_id(), request->imaging_id(), &camera);
      !status.ok()) {
    return status;
  }
  SensorSettings settings;
  if (grpc::Status status = camera->GetSensor(DeadlineOf(context), &settings); !status.ok()) {
    return status;
  }
  response->set_brightness(static_cast<float>(settings.brightness));
  response->set_contrast(static_cast<float>(settings.contrast));
  return grpc::Status::OK;
}

grpc::Status FoscamService::SetImagingSettings(grpc::ServerContext* context,
                                               const v1::SetImagingSettingsRequest* request,
                                               v1::ImagingSettings* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindSensor(request->camera_id(), request->imaging_id(), &camera);
      !status.ok()) {
    return status;
  }
  const v1::ImagingSettings& wanted = request->settings();
  if (const std::string absent = AbsentSetting(wanted); !absent.empty()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, absent + " does not exist on camera " +
                                                    camera->config().id +
                                                    " (its options are brightness and contrast)"};
  }
  // Everything is checked before anything changes.
  std::optional<int64_t> brightness;
  std::optional<int64_t> contrast;
  if (wanted.has_brightness()) {
    int64_t level = 0;
    if (grpc::Status s = CheckLevel(wanted.brightness(), kMaxBrightness, "brightness", &level);
        !s.ok()) {
      return s;
    }
    brightness = level;
  }
  if (wanted.has_contrast()) {
    int64_t level = 0;
    if (grpc::Status s = CheckLevel(wanted.contrast(), kMaxContrast, "contrast", &level); !s.ok()) {
      return s;
    }
    contrast = level;
  }
  const Deadline deadline = DeadlineOf(context);
  if (brightness) {
    if (grpc::Status s = camera->SetSensor(deadline, kBrightnessParam, *brightness, "brightness");
        !s.ok()) {
      return s;
    }
  }
  if (contrast) {
    if (grpc::Status s = camera->SetSensor(deadline, kContrastParam, *contrast, "contrast");
        !s.ok()) {
      return s;
    }
  }
  SensorSettings now;
  if (grpc::Status status = camera->GetSensor(deadline, &now); !status.ok()) return status;
  response->set_brightness(static_cast<float>(now.brightness));
  response->set_contrast(static_cast<float>(now.contrast));
  return grpc::Status::OK;
}

grpc::Status FoscamService::MoveFocus(grpc::ServerContext* /*context*/,
                                      const v1::MoveFocusRequest* request,
                                      v1::FocusMoveResponse* /*response*/) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindSensor(request->camera_id(), request->imaging_id(), &camera);
      !status.ok()) {
    return status;
  }
  return {grpc::StatusCode::INVALID_ARGUMENT,
          "camera " + camera->config().id + " has a fixed lens: its focus cannot be moved"};
}

grpc::Status FoscamService::StopFocus(grpc::ServerContext* /*context*/,
                                      const v1::ImagingRef* request,
                                      v1::FocusMoveResponse* /*response*/) {
  FoscamCamera* camera = nullptr;
  // A fixed lens never moves: stopping it is stopping nothing.
  return FindSensor(request->camera_id(), request->imaging_id(), &camera);
}

grpc::Status FoscamService::GetFocusStatus(grpc::ServerContext* /*context*/,
                                           const v1::ImagingRef* request,
                                           v1::FocusStatus* response) {
  FoscamCamera* camera = nullptr;
  if (grpc::Status status = FindSensor(request->camera_id(), request->imaging_id(), &camera);
      !status.ok()) {
    return status;
  }
  response->set_move_status(v1::PTZ_MOVE_STATUS_IDLE);  // A fixed lens.
  return grpc::Status::OK;
}

// --------------------------------------------------------------------------------- Events

grpc::Status FoscamService::StreamEvents(grpc::ServerContext* context,
                                         const v1::StreamEventsRequest* request,
                                         grpc::ServerWriter<v1::Event>* writer) {
  std::vector<FoscamCamera*> selected;
  for (const std::string& id : request->camera_ids()) {
    FoscamCamera* camera = nullptr;
    if (grpc::Status status = Find(id, &camera); !status.ok()) return status;
    if (std::find(selected.begin(), selected.end(), camera) == selected.end()) {
      selected.push_back(camera);
    }
  }
  if (selected.empty()) {
    for (const auto& camera : cameras_) selected.push_back(camera.get());
  }

  auto queue = std::make_shared<EventQueue>();
  {
    std::lock_guard lock(streams_mutex_);
    if (shutting_down_) return grpc::Status::OK;
    streams_.insert(queue);
  }
  struct Unregister {
    FoscamService* service;
    std::shared_ptr<EventQueue> queue;
    ~Unregister() {
      std::lock_guard lock(service->streams_mutex_);
      service->streams_.erase(queue);
    }
  } unregister{this, queue};
  Subscriptions subscriptions(selected, queue);

  std::vector<v1::Event> events;
  while (true) {
    events.clear();
    const bool open = queue->Wait(kCancelCheckPeriod, &events);
    for (const v1::Event& event : events) {
      if (!writer->Write(event)) return {grpc::StatusCode::CANCELLED, "the gateway went away"};
    }
    if (!open) return grpc::Status::OK;  // Shutting down.
    if (context->IsCancelled()) return {grpc::StatusCode::CANCELLED, "the gateway cancelled"};
  }
}

}  // namespace onvifgw::foscam
