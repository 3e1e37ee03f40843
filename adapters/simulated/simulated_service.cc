#include "adapters/simulated/simulated_service.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

#include "adapters/sdk/logger.h"
#include "adapters/simulated/camera_configuration.h"
#include "adapters/simulated/firmware_image.h"
#include "adapters/simulated/frame_renderer.h"
#include "adapters/simulated/jpeg_encoder.h"
#include "adapters/simulated/test_stream_server.h"
#include "adapters/simulated/video_streams.h"

namespace onvifgw::simulated {
namespace {

namespace v1 = onvifgw::adapter::v1;
using std::chrono::steady_clock;
using std::chrono::system_clock;

constexpr const char* kSourceId = "0";
// The microphone of a camera with `audio: true`, and its only encoding.
constexpr const char* kAudioSourceId = "mic";
constexpr const char* kAudioStreamId = "g711";
constexpr size_t kMaxQuotedLength = 64;
constexpr size_t kMaxTimezoneLength = 64;
// 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, as google.protobuf.Timestamp allows.
constexpr int64_t kMinTimestampSeconds = -62'135'596'800;
constexpr int64_t kMaxTimestampSeconds = 253'402'300'799;

}  // namespace

std::string SimulatedService::Quote(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxQuotedLength; ++i) {
    char c = text[i];
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if (text.size() > kMaxQuotedLength) {
    out += "...";
  }
  return out + "\"";
}

namespace {

google::protobuf::Timestamp ToTimestamp(system_clock::time_point time) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count());
}

void FillSystemTime(const SimulatedCamera::TimeState& time, v1::SystemTime* out) {
  *out->mutable_utc_time() = ToTimestamp(time.utc);
  out->set_posix_timezone(time.posix_timezone);
  out->set_ntp_synchronized(time.ntp_synchronized);
}

uint32_t Fnv1a(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (char c : text) {
    hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
  }
  return hash;
}

}  // namespace

SimulatedService::SimulatedService(SimulatedConfig config, const Clock& clock)
    : clock_(clock),
      motion_interval_(config.motion_interval),
      input_interval_(config.input_interval),
      started_(clock.SteadyNow()) {
  for (CameraConfig& camera : config.cameras) {
    cameras_.push_back(std::make_unique<SimulatedCamera>(std::move(camera), clock_));
    by_id_[cameras_.back()->config().id] = cameras_.back().get();
  }
}

std::optional<v1::VideoStream> SimulatedService::VideoStreamOf(const std::string& camera_id,
                                                               const std::string& stream_id) const {
  auto it = by_id_.find(camera_id);
  if (it == by_id_.end()) return std::nullopt;
  for (v1::VideoStream& stream : it->second->VideoStreams()) {
    if (stream.stream_id() == stream_id) return std::move(stream);
  }
  return std::nullopt;
}

SimulatedService::~SimulatedService() {
  if (on_destroy_) on_destroy_();
}

void SimulatedService::OnDestroy(std::function<void()> hook) { on_destroy_ = std::move(hook); }

std::string SimulatedService::TestPatternOf(const std::string& camera_id) const {
  auto it = by_id_.find(camera_id);
  if (it == by_id_.end()) return "ball";
  if (it->second->Ptz() != nullptr) return kRenderedPicture;
  return it->second->config().test_pattern;
}

std::optional<RgbImage> SimulatedService::RenderPicture(const std::string& camera_id,
                                                        uint32_t width, uint32_t height) const {
  auto it = by_id_.find(camera_id);
  if (it == by_id_.end()) return std::nullopt;
  return Render(*it->second, width, height);
}

std::optional<MjpegFrame> SimulatedService::RenderStreamFrame(const std::string& camera_id,
                                                              const std::string& stream_id) const {
  auto it = by_id_.find(camera_id);
  if (it == by_id_.end() || it->second->IsRebooting()) return std::nullopt;
  const auto stream = VideoStreamOf(camera_id, stream_id);
  if (!stream || stream->codec() != v1::VIDEO_CODEC_JPEG) return std::nullopt;
  RgbImage image = Render(*it->second, stream->resolution().width(), stream->resolution().height());
  // The stream's quality is 0..100; libjpeg takes 1..100.
  auto jpeg = EncodeJpeg(image, std::clamp(static_cast<int>(stream->quality()), 1, 100));
  if (!jpeg) return std::nullopt;
  return MjpegFrame{std::move(jpeg).value(), stream->framerate()};
}

RgbImage SimulatedService::Render(const SimulatedCamera& camera, uint32_t width,
                                  uint32_t height) const {
  FrameSpec spec{.camera_id = camera.config().id,
                 .width = width,
                 .height = height,
                 .time = camera.Time().utc,
                 .motion_active = MotionActiveAt(clock_.SteadyNow())};
  if (const SimulatedPtzHead* head = camera.Ptz()) spec.ptz = head->Position();
  const v1::ImagingSettings imaging = camera.Imaging();
  spec.brightness = imaging.brightness();
  spec.contrast = imaging.contrast();
  spec.color_saturation = imaging.color_saturation();
  return RenderFrame(spec);
}

void SimulatedService::BeginShutdown() {
  {
    std::lock_guard<std::mutex> lock(stream_mutex_);
    shutting_down_ = true;
  }
  stream_wakeup_.notify_all();
}

bool SimulatedService::MotionActiveAt(steady_clock::time_point now) const {
  return now >= started_ && ((now - started_) / motion_interval_) % 2 == 1;
}

bool SimulatedService::InputContactClosedAt(uint32_t number, steady_clock::time_point now) const {
  const steady_clock::time_point first = started_ + number * kInputStagger;
  return now < first || ((now - first) / input_interval_) % 2 == 0;
}

steady_clock::time_point SimulatedService::NextInputToggle(uint32_t number,
                                                           steady_clock::time_point now) const {
  const steady_clock::time_point first = started_ + number * kInputStagger;
  if (now < first) return first + input_interval_;
  return first + ((now - first) / input_interval_ + 1) * input_interval_;
}

std::vector<v1::DigitalInput> SimulatedService::DigitalInputsAt(
    const SimulatedCamera& camera, steady_clock::time_point now) const {
  std::vector<v1::DigitalInput> inputs;
  const std::vector<v1::RelayIdleState> idle = camera.InputIdleStates();
  for (uint32_t number = 1; number <= idle.size(); ++number) {
    v1::DigitalInput& input = inputs.emplace_back();
    input.set_input_id("input-" + std::to_string(number));
    input.set_idle_state(idle[number - 1]);
    input.set_idle_state_settable(true);
    // Active: the contact is not in its idle state.
    input.set_active(InputContactClosedAt(number, now) !=
                     (idle[number - 1] == v1::RELAY_IDLE_STATE_CLOSED));
    input.set_active_known(true);
  }
  return inputs;
}

steady_clock::time_point SimulatedService::NextMotionToggle(steady_clock::time_point now) const {
  if (now < started_) {
    return started_ + motion_interval_;
  }
  return started_ + ((now - started_) / motion_interval_ + 1) * motion_interval_;
}

grpc::Status SimulatedService::Find(const std::string& camera_id, SimulatedCamera** camera) const {
  if (camera_id.empty()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "camera_id is required"};
  }
  auto it = by_id_.find(camera_id);
  if (it == by_id_.end()) {
    return {grpc::StatusCode::NOT_FOUND, "unknown camera_id " + Quote(camera_id)};
  }
  *camera = it->second;
  return grpc::Status::OK;
}

grpc::Status SimulatedService::FindUp(const std::string& camera_id,
                                      SimulatedCamera** camera) const {
  grpc::Status status = Find(camera_id, camera);
  if (status.ok() && (*camera)->IsRebooting()) {
    return {grpc::StatusCode::UNAVAILABLE, "camera " + Quote(camera_id) + " is rebooting"};
  }
  return status;
}

grpc::Status SimulatedService::Describe(grpc::ServerContext* /*context*/,
                                        const v1::DescribeRequest* /*request*/,
                                        v1::DescribeResponse* response) {
  response->set_api_version(1);
  response->set_adapter_name(kAdapterName);
  response->set_adapter_version(kAdapterVersion);
  for (const auto& camera : cameras_) {
    v1::CameraDescription* description = response->add_cameras();
    description->set_camera_id(camera->config().id);
    description->set_label(camera->config().label);
    v1::Capabilities* capabilities = description->mutable_capabilities();
    capabilities->set_device_information(true);
    capabilities->set_system_time(true);
    capabilities->set_set_system_time(true);
    capabilities->set_reboot(true);
    capabilities->set_video_sources(true);
    capabilities->set_snapshot(true);
    capabilities->set_events(true);
    capabilities->set_relay_outputs(camera->config().relay_outputs > 0);
    capabilities->set_video_encoder_configuration(true);
    capabilities->set_factory_default(true);
    capabilities->set_auxiliary_commands(true);
    capabilities->set_firmware_upgrade(true);
    capabilities->set_system_log(true);
    capabilities->set_configuration_backup(true);
    capabilities->set_ptz(camera->Ptz() != nullptr);
    capabilities->set_digital_inputs(camera->config().digital_inputs > 0);
    capabilities->set_imaging(true);
    for (const std::string& command : SimulatedCamera::AuxiliaryCommands()) {
      description->add_auxiliary_commands(command);
    }
    capabilities->set_audio_sources(camera->config().audio);
  }
  return grpc::Status::OK;
}

grpc::Status SimulatedService::GetDeviceInformation(grpc::ServerContext* /*context*/,
                                                    const v1::CameraRef* request,
                                                    v1::DeviceInformation* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  const CameraConfig& config = camera->config();
  char serial[16];
  std::snprintf(serial, sizeof(serial), "SIM%08X", Fnv1a(config.id));
  response->set_manufacturer(config.manufacturer);
  response->set_model(config.model);
  response->set_firmware_version(camera->Firmware());
  response->set_serial_number(serial);
  response->set_hardware_id(config.model + "-HW1");
  return grpc::Status::OK;
}

grpc::Status SimulatedService::GetSystemTime(grpc::ServerContext* /*context*/,
                                             const v1::CameraRef* request,
                                             v1::SystemTime* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  FillSystemTime(camera->Time(), response);
  return grpc::Status::OK;
}

grpc::Status SimulatedService::SetSystemTime(grpc::ServerContext* /*context*/,
                                             const v1::SetSystemTimeRequest* request,
                                             v1::SystemTime* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  if (!request->has_utc_time()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "utc_time is required"};
  }
  const google::protobuf::Timestamp& utc = request->utc_time();
  if (utc.seconds() < kMinTimestampSeconds || utc.seconds() > kMaxTimestampSeconds ||
      utc.nanos() < 0 || utc.nanos() > 999'999'999) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "utc_time is out of range"};
  }
  const std::string& timezone = request->posix_timezone();
  if (timezone.size() > kMaxTimezoneLength ||
      !std::all_of(timezone.begin(), timezone.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "posix_timezone must be at most 64 printable characters without spaces"};
  }
  auto time = system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(
      std::chrono::seconds(utc.seconds()) + std::chrono::nanoseconds(utc.nanos())));
  camera->SetTime(time, timezone);
  camera->Log("clock set to " + google::protobuf::util::TimeUtil::ToString(utc) +
              (timezone.empty() ? "" : " TZ=" + timezone));
  adapter_sdk::LogInfo("camera ", camera->config().id, ": clock set to ",
                       google::protobuf::util::TimeUtil::ToString(utc),
                       timezone.empty() ? "" : " TZ=", timezone);
  FillSystemTime(camera->Time(), response);
  return grpc::Status::OK;
}

grpc::Status SimulatedService::Reboot(grpc::ServerContext* /*context*/,
                                      const v1::CameraRef* request, v1::RebootResponse* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  camera->Log("rebooting");
  camera->BeginReboot(kRebootDowntime);
  adapter_sdk::LogInfo("camera ", camera->config().id, ": rebooting for ", kRebootDowntime.count(),
                       " s");
  response->set_expected_downtime_seconds(static_cast<uint32_t>(kRebootDowntime.count()));
  // Event streams skip a rebooting camera; wake them so they notice the end of the reboot.
  stream_wakeup_.notify_all();
  return grpc::Status::OK;
}

grpc::Status SimulatedService::SendAuxiliaryCommand(grpc::ServerContext* /*context*/,
                                                    const v1::AuxiliaryCommandRequest* request,
                                                    v1::AuxiliaryCommandResponse* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  std::optional<std::string> state = camera->RunAuxiliaryCommand(request->command());
  if (!state) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "camera " + Quote(camera->config().id) +
                                                    " has no auxiliary command " +
                                                    Quote(request->command().substr(0, 128))};
  }
  adapter_sdk::LogInfo("camera ", camera->config().id, ": ", *state);
  camera->Log(*state);
  response->set_response(*state);
  return grpc::Status::OK;
}

grpc::Status SimulatedService::FactoryDefault(grpc::ServerContext* /*context*/,
                                              const v1::FactoryDefaultRequest* request,
                                              v1::FactoryDefaultResponse* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  // A soft reset keeps only the PTZ head's presets and home position.
  camera->RestoreDefaults(request->hard());
  camera->Log(request->hard() ? "hard factory default" : "soft factory default");
  adapter_sdk::LogInfo("camera ", camera->config().id, ": ", request->hard() ? "hard" : "soft",
                       " factory default");
  FillVideoSources(*camera, response->mutable_video_sources());
  // The inputs' idle states are back to closed: event streams tell what that changed.
  stream_wakeup_.notify_all();
  return grpc::Status::OK;
}

grpc::Status SimulatedService::ListVideoSources(grpc::ServerContext* /*context*/,
                                                const v1::CameraRef* request,
                                                v1::VideoSourceList* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  FillVideoSources(*camera, response);
  return grpc::Status::OK;
}

void SimulatedService::FillVideoSources(const SimulatedCamera& camera,
                                        v1::VideoSourceList* response) {
  const CameraConfig& config = camera.config();
  v1::VideoSource* source = response->add_sources();
  source->set_source_id(kSourceId);
  source->mutable_resolution()->set_width(config.width);
  source->mutable_resolution()->set_height(config.height);
  source->set_framerate(static_cast<float>(config.framerate));
  for (v1::VideoStream& stream : camera.VideoStreams()) {
    if (config.audio && stream.stream_id() == "main") {
      stream.mutable_audio()->set_source_id(kAudioSourceId);
      stream.mutable_audio()->set_stream_id(kAudioStreamId);
    }
    *source->add_streams() = std::move(stream);
  }
}

grpc::Status SimulatedService::ListAudioSources(grpc::ServerContext* /*context*/,
                                                const v1::CameraRef* request,
                                                v1::AudioSourceList* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  if (!camera->config().audio) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + Quote(camera->config().id) + " has no audio input"};
  }
  v1::AudioSource* mic = response->add_sources();
  mic->set_source_id(kAudioSourceId);
  mic->set_channels(1);
  v1::AudioStream* g711 = mic->add_streams();
  g711->set_stream_id(kAudioStreamId);
  g711->set_codec(v1::AUDIO_CODEC_G711);
  g711->set_bitrate_kbps(64);
  g711->set_sample_rate_khz(8);
  return grpc::Status::OK;
}

grpc::Status SimulatedService::ApplyVideoEncoderConfiguration(
    grpc::ServerContext* /*context*/, const v1::ApplyVideoEncoderConfigurationRequest* request,
    v1::VideoStream* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  const std::string camera_name = "camera " + Quote(camera->config().id);
  if (request->source_id() != kSourceId) {
    return {grpc::StatusCode::NOT_FOUND,
            camera_name + " has no video source " + Quote(request->source_id())};
  }
  if (!camera->HasVideoStream(request->stream_id())) {
    return {grpc::StatusCode::NOT_FOUND, camera_name + " has no stream " +
                                             Quote(request->stream_id()) + " in video source " +
                                             Quote(request->source_id())};
  }
  adapter_sdk::Result<v1::VideoStream> stream = camera->ApplyVideoEncoder(*request);
  if (!stream.ok()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, stream.error().message};
  }
  adapter_sdk::LogInfo("camera ", camera->config().id, ": stream ", stream->stream_id(), " set to ",
                       v1::VideoCodec_Name(stream->codec()), " ", stream->resolution().width(), "x",
                       stream->resolution().height(), " ", stream->framerate(), " fps ",
                       stream->bitrate_kbps(), " kbit/s GOP ", stream->gop_length(), " profile ",
                       stream->codec_profile(), " quality ", stream->quality());
  *response = std::move(stream).value();
  return grpc::Status::OK;
}

grpc::Status SimulatedService::GetSnapshot(grpc::ServerContext* /*context*/,
                                           const v1::SnapshotRequest* request,
                                           v1::Snapshot* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  if (!request->source_id().empty() && request->source_id() != kSourceId) {
    return {grpc::StatusCode::NOT_FOUND, "camera " + Quote(camera->config().id) +
                                             " has no video source " + Quote(request->source_id())};
  }
  const v1::Resolution size = SubResolution(camera->config());
  const system_clock::time_point now = camera->Time().utc;
  RgbImage image = Render(*camera, size.width(), size.height());
  auto jpeg = EncodeJpeg(image);
  if (!jpeg) {
    return {grpc::StatusCode::INTERNAL, jpeg.error().message};
  }
  response->set_jpeg(std::move(jpeg).value());
  *response->mutable_taken_at() = ToTimestamp(now);
  return grpc::Status::OK;
}

grpc::Status SimulatedService::FindWithRelays(const std::string& camera_id,
                                              SimulatedCamera** camera) const {
  grpc::Status status = FindUp(camera_id, camera);
  if (status.ok() && (*camera)->config().relay_outputs == 0) {
    return {grpc::StatusCode::UNIMPLEMENTED, "camera has no relay outputs"};
  }
  return status;
}

grpc::Status SimulatedService::NoSuchRelay(const SimulatedCamera& camera,
                                           const std::string& relay_id) {
  return {grpc::StatusCode::NOT_FOUND,
          "camera " + Quote(camera.config().id) + " has no relay " + Quote(relay_id)};
}

grpc::Status SimulatedService::ListRelayOutputs(grpc::ServerContext* /*context*/,
                                                const v1::CameraRef* request,
                                                v1::RelayOutputList* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindWithRelays(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  for (v1::RelayOutput& relay : camera->Relays()) {
    *response->add_relays() = std::move(relay);
  }
  return grpc::Status::OK;
}

grpc::Status SimulatedService::SetRelayOutputSettings(
    grpc::ServerContext* /*context*/, const v1::SetRelayOutputSettingsRequest* request,
    v1::RelayOutput* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindWithRelays(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  if (request->mode() != v1::RELAY_MODE_BISTABLE && request->mode() != v1::RELAY_MODE_MONOSTABLE) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "mode must be bistable or monostable"};
  }
  if (request->idle_state() != v1::RELAY_IDLE_STATE_OPEN &&
      request->idle_state() != v1::RELAY_IDLE_STATE_CLOSED) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "idle_state must be open or closed"};
  }
  const std::chrono::milliseconds delay(request->delay_ms());
  if (request->mode() == v1::RELAY_MODE_MONOSTABLE &&
      (delay.count() == 0 || delay > SimulatedCamera::kMaxRelayDelay)) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "a monostable relay needs a delay of 1 ms to 1 hour"};
  }
  // A bistable relay ignores the delay; keep it within range all the same.
  if (!camera->ConfigureRelay(request->relay_id(), request->mode(),
                              std::min(delay, SimulatedCamera::kMaxRelayDelay),
                              request->idle_state())) {
    return NoSuchRelay(*camera, request->relay_id());
  }
  adapter_sdk::LogInfo("camera ", camera->config().id, ": relay ", request->relay_id(), " set to ",
                       v1::RelayMode_Name(request->mode()), " ", delay.count(), " ms, idle ",
                       v1::RelayIdleState_Name(request->idle_state()));
  *response = *camera->Relay(request->relay_id());
  return grpc::Status::OK;
}

grpc::Status SimulatedService::SetRelayOutputState(grpc::ServerContext* /*context*/,
                                                   const v1::SetRelayOutputStateRequest* request,
                                                   v1::RelayOutput* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindWithRelays(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  if (!camera->SetRelayActive(request->relay_id(), request->active())) {
    return NoSuchRelay(*camera, request->relay_id());
  }
  adapter_sdk::LogInfo("camera ", camera->config().id, ": relay ", request->relay_id(), " ",
                       request->active() ? "activated" : "deactivated");
  camera->Log("relay " + request->relay_id() + (request->active() ? " activated" : " deactivated"));
  *response = *camera->Relay(request->relay_id());
  return grpc::Status::OK;
}

grpc::Status SimulatedService::FindWithInputs(const std::string& camera_id,
                                              SimulatedCamera** camera) const {
  grpc::Status status = FindUp(camera_id, camera);
  if (status.ok() && (*camera)->config().digital_inputs == 0) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + Quote(camera_id) + " has no digital inputs"};
  }
  return status;
}

grpc::Status SimulatedService::ListDigitalInputs(grpc::ServerContext* /*context*/,
                                                 const v1::CameraRef* request,
                                                 v1::DigitalInputList* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindWithInputs(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  for (v1::DigitalInput& input : DigitalInputsAt(*camera, clock_.SteadyNow())) {
    *response->add_inputs() = std::move(input);
  }
  return grpc::Status::OK;
}

grpc::Status SimulatedService::SetDigitalInputSettings(
    grpc::ServerContext* /*context*/, const v1::SetDigitalInputSettingsRequest* request,
    v1::DigitalInput* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindWithInputs(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  const uint32_t number = camera->InputNumber(request->input_id());
  if (number == 0) {
    return {grpc::StatusCode::NOT_FOUND, "camera " + Quote(camera->config().id) +
                                             " has no digital input " + Quote(request->input_id())};
  }
  if (request->idle_state() != v1::RELAY_IDLE_STATE_OPEN &&
      request->idle_state() != v1::RELAY_IDLE_STATE_CLOSED) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "idle_state must be open or closed"};
  }
  camera->SetInputIdleState(number, request->idle_state());
  const std::string line = "digital input " + request->input_id() + " idle " +
                           (request->idle_state() == v1::RELAY_IDLE_STATE_OPEN ? "open" : "closed");
  adapter_sdk::LogInfo("camera ", camera->config().id, ": ", line);
  camera->Log(line);
  // Its logical state may have flipped: event streams tell it now, not at their next wake-up.
  // Taking their lock first makes sure none is between reading the old state and waiting.
  { std::lock_guard<std::mutex> lock(stream_mutex_); }
  stream_wakeup_.notify_all();
  *response = DigitalInputsAt(*camera, clock_.SteadyNow())[number - 1];
  return grpc::Status::OK;
}

grpc::Status SimulatedService::UpgradeFirmware(grpc::ServerContext* /*context*/,
                                               grpc::ServerReader<v1::FirmwareChunk>* reader,
                                               v1::FirmwareUpgradeResponse* response) {
  v1::FirmwareChunk chunk;
  if (!reader->Read(&chunk)) return {grpc::StatusCode::INVALID_ARGUMENT, "no image was sent"};
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(chunk.camera_id(), &camera); !status.ok()) {
    return status;
  }
  if (chunk.total_size() > kMaxFirmwareBytes) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "the image is larger than the camera takes"};
  }
  std::string image;
  image.reserve(static_cast<std::size_t>(chunk.total_size()));
  do {
    if (image.size() + chunk.data().size() > kMaxFirmwareBytes) {
      return {grpc::StatusCode::INVALID_ARGUMENT, "the image is larger than the camera takes"};
    }
    image += chunk.data();
  } while (reader->Read(&chunk));
  auto version = ParseFirmwareImage(image, camera->config().model);
  if (!version) {
    adapter_sdk::LogWarn("camera ", camera->config().id,
                         ": firmware refused: ", version.error().message);
    camera->Log("firmware refused: " + version.error().message);
    return {grpc::StatusCode::INVALID_ARGUMENT, version.error().message};
  }
  camera->InstallFirmware(*version);
  adapter_sdk::LogInfo("camera ", camera->config().id, ": firmware ", *version, " installed (",
                       image.size(), " bytes); rebooting for ", kRebootDowntime.count(), " s");
  camera->Log("rebooting");
  camera->BeginReboot(kRebootDowntime);
  stream_wakeup_.notify_all();
  response->set_firmware_version(*version);
  response->set_expected_downtime_seconds(static_cast<uint32_t>(kRebootDowntime.count()));
  return grpc::Status::OK;
}

grpc::Status SimulatedService::ExportConfiguration(
    grpc::ServerContext* /*context*/, const v1::CameraRef* request,
    grpc::ServerWriter<v1::ConfigurationChunk>* writer) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  const std::string file = WriteConfigurationFile(camera->config().model, camera->Settings());
  // In chunks, as a camera streams a large file; the first says the size.
  constexpr std::size_t kChunk = 16 * 1024;
  for (std::size_t sent = 0; sent == 0 || sent < file.size(); sent += kChunk) {
    v1::ConfigurationChunk chunk;
    if (sent == 0) chunk.set_total_size(file.size());
    chunk.set_data(file.substr(sent, kChunk));
    if (!writer->Write(chunk)) return {grpc::StatusCode::CANCELLED, "the gateway went away"};
  }
  camera->Log("configuration exported");
  return grpc::Status::OK;
}

grpc::Status SimulatedService::ImportConfiguration(
    grpc::ServerContext* /*context*/, grpc::ServerReader<v1::ConfigurationChunk>* reader,
    v1::ImportConfigurationResponse* /*response*/) {
  v1::ConfigurationChunk chunk;
  if (!reader->Read(&chunk)) return {grpc::StatusCode::INVALID_ARGUMENT, "no file was sent"};
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(chunk.camera_id(), &camera); !status.ok()) {
    return status;
  }
  std::string file;
  do {
    if (file.size() + chunk.data().size() > kMaxConfigurationBytes) {
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "the configuration is larger than the camera takes"};
    }
    file += chunk.data();
  } while (reader->Read(&chunk));
  auto settings = ParseConfigurationFile(file, camera->config().model);
  adapter_sdk::Result<void> applied =
      settings ? camera->ApplySettings(*settings) : adapter_sdk::Result<void>(settings.error());
  if (!applied) {
    adapter_sdk::LogWarn("camera ", camera->config().id,
                         ": configuration refused: ", applied.error().message);
    camera->Log("configuration refused: " + applied.error().message);
    return {grpc::StatusCode::INVALID_ARGUMENT, applied.error().message};
  }
  adapter_sdk::LogInfo("camera ", camera->config().id, ": configuration imported");
  camera->Log("configuration imported");
  stream_wakeup_.notify_all();
  return grpc::Status::OK;
}

grpc::Status SimulatedService::GetSystemLog(grpc::ServerContext* /*context*/,
                                            const v1::CameraRef* request, v1::CameraLog* response) {
  SimulatedCamera* camera = nullptr;
  if (grpc::Status status = FindUp(request->camera_id(), &camera); !status.ok()) {
    return status;
  }
  for (std::string& line : camera->LogLines()) response->add_lines(std::move(line));
  return grpc::Status::OK;
}

grpc::Status SimulatedService::StreamEvents(grpc::ServerContext* context,
                                            const v1::StreamEventsRequest* request,
                                            grpc::ServerWriter<v1::Event>* writer) {
  std::vector<SimulatedCamera*> selected;
  for (const std::string& id : request->camera_ids()) {
    SimulatedCamera* camera = nullptr;
    if (grpc::Status status = Find(id, &camera); !status.ok()) {
      return status;
    }
    if (std::find(selected.begin(), selected.end(), camera) == selected.end()) {
      selected.push_back(camera);
    }
  }
  if (selected.empty()) {
    for (const auto& camera : cameras_) {
      selected.push_back(camera.get());
    }
  }

  // What this stream last told about each camera; empty: nothing yet, or since it rebooted.
  // Each camera's current state is sent first, then every change.
  std::vector<std::optional<bool>> sent(selected.size());
  // The same for each camera's digital inputs: the logical state last told, per input.
  std::vector<std::vector<std::optional<bool>>> inputs_sent(selected.size());
  // The facts generation each camera had when the stream began or last said FactsChanged.
  std::vector<uint64_t> facts_told(selected.size());
  for (size_t i = 0; i < selected.size(); ++i) facts_told[i] = selected[i]->FactsGeneration();
  std::unique_lock<std::mutex> lock(stream_mutex_);
  while (!shutting_down_) {
    if (context->IsCancelled()) {
      return {grpc::StatusCode::CANCELLED, "client cancelled"};
    }
    const steady_clock::time_point now = clock_.SteadyNow();
    const bool active = MotionActiveAt(now);
    steady_clock::time_point wake = std::min(NextMotionToggle(now), now + kCancelCheckPeriod);
    for (size_t i = 0; i < selected.size(); ++i) {
      steady_clock::time_point rebooting_until = selected[i]->RebootingUntil();
      if (now < rebooting_until) {
        sent[i].reset();
        inputs_sent[i].clear();
        wake = std::min(wake, rebooting_until);
        continue;
      }
      if (const uint64_t generation = selected[i]->FactsGeneration(); generation != facts_told[i]) {
        v1::Event changed;
        changed.set_camera_id(selected[i]->config().id);
        *changed.mutable_time() = ToTimestamp(selected[i]->Time().utc);
        changed.mutable_facts_changed();
        lock.unlock();
        const bool written = writer->Write(changed);
        lock.lock();
        if (!written) {
          return {grpc::StatusCode::CANCELLED, "client went away"};
        }
        facts_told[i] = generation;
      }
      if (sent[i] != active) {
        v1::Event event;
        event.set_camera_id(selected[i]->config().id);
        *event.mutable_time() = ToTimestamp(selected[i]->Time().utc);
        event.mutable_motion()->set_source_id(kSourceId);
        event.mutable_motion()->set_active(active);
        lock.unlock();  // Write may block on flow control.
        bool written = writer->Write(event);
        lock.lock();
        if (!written) {
          return {grpc::StatusCode::CANCELLED, "client went away"};
        }
        sent[i] = active;
      }
      const std::vector<v1::DigitalInput> inputs = DigitalInputsAt(*selected[i], now);
      inputs_sent[i].resize(inputs.size());
      for (size_t j = 0; j < inputs.size(); ++j) {
        wake = std::min(wake, NextInputToggle(static_cast<uint32_t>(j + 1), now));
        if (inputs_sent[i][j] == inputs[j].active()) continue;
        v1::Event event;
        event.set_camera_id(selected[i]->config().id);
        *event.mutable_time() = ToTimestamp(selected[i]->Time().utc);
        event.mutable_digital_input()->set_input_id(inputs[j].input_id());
        event.mutable_digital_input()->set_active(inputs[j].active());
        lock.unlock();
        const bool written = writer->Write(event);
        lock.lock();
        if (!written) {
          return {grpc::StatusCode::CANCELLED, "client went away"};
        }
        inputs_sent[i][j] = inputs[j].active();
      }
    }
    // The clock may be simulated: wait for the same span of real monotonic time.
    if (shutting_down_) {
      break;  // Set while Write() ran unlocked.
    }
    // Spurious wake-ups are harmless: the loop recomputes everything.
    stream_wakeup_.wait_until(lock, steady_clock::now() + (wake - now));
  }
  return grpc::Status::OK;
}

}  // namespace onvifgw::simulated
