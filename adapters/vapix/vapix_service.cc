#include "adapters/vapix/vapix_service.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <charconv>
#include <thread>

#include "adapters/sdk/http_auth.h"
#include "adapters/sdk/logger.h"

namespace onvifgw::vapix {
namespace {

namespace v1 = onvifgw::adapter::v1;
using std::chrono::milliseconds;
using std::chrono::steady_clock;
using std::chrono::system_clock;

constexpr size_t kMaxQuotedLength = 64;
constexpr size_t kMaxTimezoneLength = 64;
// The answer must be on its way before the caller gives up.
constexpr milliseconds kAnswerMargin{100};
// A camera whose frame-rate cap is 0 ("the camera's maximum") does not say what that is; Axis
// sensors deliver 30 (or 25) frames a second.
constexpr float kAssumedFramerate = 30;
// date.cgi takes four-digit years; Axis clocks start in 1970.
constexpr int64_t kMinSettableSeconds = 0;              // 1970-01-01T00:00:00Z
constexpr int64_t kMaxSettableSeconds = 4'102'444'799;  // 2099-12-31T23:59:59Z
constexpr milliseconds kMaxRelayDelay{3'600'000};
constexpr std::string_view kRelayPrefix = "relay-";
constexpr std::string_view kInputPrefix = "input-";

// The port number of "<prefix><number>"; nullopt for anything else.
std::optional<uint32_t> PortNumber(const std::string& id, std::string_view prefix) {
  if (!id.starts_with(prefix)) return std::nullopt;
  const std::string_view digits = std::string_view(id).substr(prefix.size());
  uint32_t number = 0;
  if (digits.empty() || std::from_chars(digits.data(), digits.data() + digits.size(), number).ptr !=
                            digits.data() + digits.size()) {
    return std::nullopt;
  }
  return number;
}

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(system_clock::now().time_since_epoch())
          .count());
}

// A host as it goes into a URI: IPv6 addresses in brackets.
std::string UriHost(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

std::string UserInfo(const CameraConfig& config) {
  return adapter_sdk::UrlEncode(config.user) + ":" + adapter_sdk::UrlEncode(config.password) + "@";
}

}  // namespace

std::string RelayId(uint32_t port) { return std::string(kRelayPrefix) + std::to_string(port); }

VapixService::VapixService(VapixConfig config) {
  for (CameraConfig& camera : config.cameras) {
    cameras_.push_back(std::make_unique<VapixCamera>(std::move(camera)));
    by_id_[cameras_.back()->config().id] = cameras_.back().get();
  }
}

// Closing the cameras first fails their requests in flight, so the pollers end at once.
VapixService::~VapixService() {
  events_.Shutdown();
  for (auto& camera : cameras_) camera->Close();
}

void VapixService::BeginShutdown() { events_.Shutdown(); }

Deadline VapixService::DeadlineOf(const grpc::ServerContext* context) {
  const auto now = steady_clock::now();
  const system_clock::time_point deadline = context->deadline();
  if (deadline == system_clock::time_point::max()) return steady_clock::time_point::max();
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - system_clock::now());
  if (left > std::chrono::hours(24)) return steady_clock::time_point::max();
  return now + left - kAnswerMargin;
}

std::string VapixService::Quote(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxQuotedLength; ++i) {
    const char c = text[i];
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if (text.size() > kMaxQuotedLength) out += "...";
  return out + "\"";
}

grpc::Status VapixService::Find(const std::string& camera_id, VapixCamera** camera) const {
  if (camera_id.empty()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "camera_id is required"};
  }
  auto it = by_id_.find(camera_id);
  if (it == by_id_.end()) {
    return {grpc::StatusCode::NOT_FOUND, "no camera " + Quote(camera_id)};
  }
  *camera = it->second;
  return grpc::Status::OK;
}

// ---------------------------------------------------------------------------------- Facts

grpc::Status VapixService::Describe(grpc::ServerContext* context,
                                    const v1::DescribeRequest* /*request*/,
                                    v1::DescribeResponse* response) {
  // Cameras never read yet are asked now, together, for a few seconds at most; one that does not
  // answer is described from its config, and its streams announce FactsChanged once it answers.
  const Deadline deadline = std::min(DeadlineOf(context), steady_clock::now() + kDescribeBudget);
  std::vector<std::thread> readers;
  for (const auto& camera : cameras_) {
    if (camera->KnownFacts()) continue;
    readers.emplace_back([&camera, deadline] {
      CameraFacts facts;
      (void)camera->Facts(deadline, false, &facts);
    });
  }
  for (std::thread& reader : readers) reader.join();

  response->set_api_version(1);
  response->set_adapter_name(kAdapterName);
  response->set_adapter_version(kAdapterVersion);
  for (const auto& camera : cameras_) {
    const uint64_t generation = camera->FactsGeneration();
    const std::optional<CameraFacts> facts = camera->KnownFacts();
    camera->SetDescribedGeneration(generation);
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
    capabilities->set_factory_default(true);
    capabilities->set_system_log(true);
    capabilities->set_firmware_upgrade(true);
    const auto has_port = [&](bool output) {
      return facts && std::any_of(facts->ports.begin(), facts->ports.end(),
                                  [&](const IoPort& port) { return port.output == output; });
    };
    capabilities->set_relay_outputs(has_port(true));
    capabilities->set_digital_inputs(has_port(false));
    // Digital inputs and motion (motiondata.cgi of the image source) are the events it delivers.
    capabilities->set_events(has_port(false) || (facts && facts->image_source));
    capabilities->set_imaging(facts && facts->sensor.Any());
    capabilities->set_ptz(camera->config().ptz == Detect::kYes || (facts && camera->PtzOn(*facts)));
  }
  return grpc::Status::OK;
}

grpc::Status VapixService::GetDeviceInformation(grpc::ServerContext* context,
                                                const v1::CameraRef* request,
                                                v1::DeviceInformation* response) {
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  CameraFacts facts;
  if (grpc::Status status = camera->Facts(DeadlineOf(context), true, &facts); !status.ok()) {
    return status;
  }
  const CameraConfig& config = camera->config();
  std::string model = facts.product_number;
  if (model.empty()) model = facts.product_full_name;
  if (model.empty()) model = facts.product_short_name;
  response->set_manufacturer(
      config.manufacturer.value_or(facts.brand.empty() ? "AXIS" : facts.brand));
  response->set_model(config.model.value_or(model));
  response->set_firmware_version(facts.firmware_version);
  response->set_serial_number(facts.serial_number);
  response->set_hardware_id(facts.hardware_id);
  return grpc::Status::OK;
}

grpc::Status VapixService::FillVideoSources(const VapixCamera& camera, const CameraFacts& facts,
                                            v1::VideoSourceList* response) {
  const CameraConfig& config = camera.config();
  const std::optional<Resolution> size = LargestResolution(facts.resolutions);
  if (!size) {
    return {grpc::StatusCode::FAILED_PRECONDITION,
            "camera " + config.id + " lists no WxH size in Properties.Image.Resolution"};
  }
  const float framerate =
      facts.stream_fps > 0 ? static_cast<float>(facts.stream_fps) : kAssumedFramerate;
  const std::string query = "camera=" + std::to_string(config.channel) +
                            "&resolution=" + std::to_string(size->width) + "x" +
                            std::to_string(size->height);
  v1::VideoSource* source = response->add_sources();
  source->set_source_id(kSourceId);
  source->mutable_resolution()->set_width(size->width);
  source->mutable_resolution()->set_height(size->height);
  source->set_framerate(framerate);
  auto add_stream = [&](const char* id, std::string uri, v1::VideoCodec codec,
                        v1::StreamTransport transport) {
    v1::VideoStream* stream = source->add_streams();
    stream->set_stream_id(id);
    stream->set_uri(std::move(uri));
    stream->set_codec(codec);
    *stream->mutable_resolution() = source->resolution();
    stream->set_framerate(framerate);
    stream->set_transport(transport);
  };
  // H.264 first where there is one: a VMS takes the first profile, and RTSP H.264 is the better
  // stream. The gateway removes the credentials before a client sees a URI.
  if (camera.RtspOn(facts)) {
    add_stream(kH264StreamId,
               "rtsp://" + UserInfo(config) + UriHost(config.host) + ":" +
                   std::to_string(config.rtsp_port) + "/axis-media/media.amp?videocodec=h264&" +
                   query,
               v1::VIDEO_CODEC_H264, v1::STREAM_TRANSPORT_RTSP);
  }
  add_stream(kMjpegStreamId,
             "http://" + UserInfo(config) + UriHost(config.host) + ":" +
                 std::to_string(config.port) + std::string(CgiPath(Cgi::kMjpeg, true)) + "?" +
                 query,
             v1::VIDEO_CODEC_JPEG, v1::STREAM_TRANSPORT_MJPEG_HTTP);
  return grpc::Status::OK;
}

grpc::Status VapixService::ListVideoSources(grpc::ServerContext* context,
                                            const v1::CameraRef* request,
                                            v1::VideoSourceList* response) {
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  CameraFacts facts;
  if (grpc::Status status = camera->Facts(DeadlineOf(context), true, &facts); !status.ok()) {
    return status;
  }
  return FillVideoSources(*camera, facts, response);
}

// ------------------------------------------------------------------------------ Operations

grpc::Status VapixService::GetSnapshot(grpc::ServerContext* context,
                                       const v1::SnapshotRequest* request, v1::Snapshot* response) {
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  if (!request->source_id().empty() && request->source_id() != kSourceId) {
    return {grpc::StatusCode::NOT_FOUND, "camera " + camera->config().id + " has no video source " +
                                             Quote(request->source_id())};
  }
  std::string jpeg;
  if (grpc::Status status = camera->Snapshot(DeadlineOf(context), &jpeg); !status.ok()) {
    return status;
  }
  response->set_jpeg(std::move(jpeg));
  *response->mutable_taken_at() = Now();
  return grpc::Status::OK;
}

grpc::Status VapixService::GetSystemTime(grpc::ServerContext* context, const v1::CameraRef* request,
                                         v1::SystemTime* response) {
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  CameraTime time;
  if (grpc::Status status = camera->GetTime(DeadlineOf(context), &time); !status.ok()) {
    return status;
  }
  response->mutable_utc_time()->set_seconds(time.utc_seconds);
  response->set_posix_timezone(time.posix_timezone);
  response->set_ntp_synchronized(time.ntp);
  return grpc::Status::OK;
}

grpc::Status VapixService::SetSystemTime(grpc::ServerContext* context,
                                         const v1::SetSystemTimeRequest* request,
                                         v1::SystemTime* response) {
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  if (!request->has_utc_time()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "utc_time is required"};
  }
  const google::protobuf::Timestamp& utc = request->utc_time();
  if (utc.seconds() < kMinSettableSeconds || utc.seconds() > kMaxSettableSeconds ||
      utc.nanos() < 0 || utc.nanos() > 999'999'999) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "utc_time must be within 1970-01-01T00:00:00Z and 2099-12-31T23:59:59Z"};
  }
  const std::string& zone = request->posix_timezone();
  if (zone.size() > kMaxTimezoneLength ||
      !std::all_of(zone.begin(), zone.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "posix_timezone must be at most 64 printable characters without spaces"};
  }
  CameraTime time;
  if (grpc::Status status = camera->SetTime(DeadlineOf(context), utc.seconds(), zone, &time);
      !status.ok()) {
    return status;
  }
  response->mutable_utc_time()->set_seconds(time.utc_seconds);
  response->set_posix_timezone(time.posix_timezone);
  response->set_ntp_synchronized(time.ntp);
  return grpc::Status::OK;
}

grpc::Status VapixService::Reboot(grpc::ServerContext* context, const v1::CameraRef* request,
                                  v1::RebootResponse* response) {
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  if (grpc::Status status = camera->Reboot(DeadlineOf(context)); !status.ok()) return status;
  response->set_expected_downtime_seconds(kRebootSeconds);
  return grpc::Status::OK;
}

grpc::Status VapixService::FactoryDefault(grpc::ServerContext* context,
                                          const v1::FactoryDefaultRequest* request,
                                          v1::FactoryDefaultResponse* response) {
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  if (grpc::Status status = camera->FactoryDefault(DeadlineOf(context), request->hard());
      !status.ok()) {
    return status;
  }
  // The streams follow from Properties, which no reset changes: what the camera encodes once it
  // is back is what the cached facts say.
  const std::optional<CameraFacts> facts = camera->KnownFacts();
  if (facts) {
    if (grpc::Status status = FillVideoSources(*camera, *facts, response->mutable_video_sources());
        !status.ok()) {
      response->clear_video_sources();
    }
  }
  return grpc::Status::OK;
}

grpc::Status VapixService::GetSystemLog(grpc::ServerContext* context, const v1::CameraRef* request,
                                        v1::CameraLog* response) {
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  std::vector<std::string> lines;
  if (grpc::Status status = camera->SystemLog(DeadlineOf(context), &lines); !status.ok()) {
    return status;
  }
  for (std::string& line : lines) response->add_lines(std::move(line));
  return grpc::Status::OK;
}

grpc::Status VapixService::UpgradeFirmware(grpc::ServerContext* context,
                                           grpc::ServerReader<v1::FirmwareChunk>* reader,
                                           v1::FirmwareUpgradeResponse* response) {
  v1::FirmwareChunk chunk;
  if (!reader->Read(&chunk)) return {grpc::StatusCode::INVALID_ARGUMENT, "no image was sent"};
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(chunk.camera_id(), &camera); !status.ok()) return status;
  const grpc::Status too_large{grpc::StatusCode::INVALID_ARGUMENT,
                               "the image is larger than " +
                                   std::to_string(kMaxFirmwareBytes >> 20) +
                                   " MiB, more than any Axis firmware"};
  if (chunk.total_size() > kMaxFirmwareBytes) return too_large;
  std::string image;
  image.reserve(static_cast<size_t>(chunk.total_size()));
  do {
    if (image.size() + chunk.data().size() > kMaxFirmwareBytes) return too_large;
    image += chunk.data();
  } while (reader->Read(&chunk));
  if (image.empty()) return {grpc::StatusCode::INVALID_ARGUMENT, "the image is empty"};
  // The camera checks the image itself before it flashes anything (VAPIX has no separate check).
  if (grpc::Status status = camera->UpgradeFirmware(DeadlineOf(context), image); !status.ok()) {
    return status;
  }
  // The version is known once the camera is back (FactsChanged, then GetDeviceInformation).
  response->set_firmware_version("");
  response->set_expected_downtime_seconds(kFirmwareUpgradeSeconds);
  return grpc::Status::OK;
}

// ---------------------------------------------------------------------------------- Relays

v1::RelayOutput VapixService::RelayOf(const VapixCamera& camera, const IoPort& port, bool active) {
  const RelayMode mode = camera.RelayModeOf(port.number);
  v1::RelayOutput relay;
  relay.set_relay_id(RelayId(port.number));
  relay.set_mode(mode.monostable ? v1::RELAY_MODE_MONOSTABLE : v1::RELAY_MODE_BISTABLE);
  relay.set_delay_ms(static_cast<uint32_t>(mode.delay.count()));
  // Output.Active names the circuit's state when active; idle is the other one.
  relay.set_idle_state(port.active_closed ? v1::RELAY_IDLE_STATE_OPEN
                                          : v1::RELAY_IDLE_STATE_CLOSED);
  relay.set_active(active);
  return relay;
}

grpc::Status VapixService::FindRelay(const std::string& camera_id, const std::string& relay_id,
                                     Deadline deadline, VapixCamera** camera, IoPort* port) const {
  if (grpc::Status status = Find(camera_id, camera); !status.ok()) return status;
  CameraFacts facts;
  if (grpc::Status status = (*camera)->Facts(deadline, false, &facts); !status.ok()) {
    return status;
  }
  uint32_t number = 0;
  const std::string_view digits = std::string_view(relay_id).substr(
      relay_id.starts_with(kRelayPrefix) ? kRelayPrefix.size() : relay_id.size());
  const bool parsed = !digits.empty() &&
                      std::from_chars(digits.data(), digits.data() + digits.size(), number).ptr ==
                          digits.data() + digits.size();
  for (const IoPort& io : facts.ports) {
    if (parsed && io.output && io.number == number) {
      *port = io;
      return grpc::Status::OK;
    }
  }
  if (std::none_of(facts.ports.begin(), facts.ports.end(),
                   [](const IoPort& io) { return io.output; })) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + (*camera)->config().id + " has no relay outputs"};
  }
  return {grpc::StatusCode::NOT_FOUND,
          "camera " + (*camera)->config().id + " has no relay " + Quote(relay_id)};
}

grpc::Status VapixService::ListRelayOutputs(grpc::ServerContext* context,
                                            const v1::CameraRef* request,
                                            v1::RelayOutputList* response) {
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  const Deadline deadline = DeadlineOf(context);
  CameraFacts facts;
  if (grpc::Status status = camera->Facts(deadline, true, &facts); !status.ok()) return status;
  std::vector<uint32_t> outputs;
  for (const IoPort& port : facts.ports) {
    if (port.output) outputs.push_back(port.number);
  }
  if (outputs.empty()) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + camera->config().id + " has no relay outputs"};
  }
  std::map<uint32_t, bool> active;
  if (grpc::Status status = camera->CheckActive(deadline, outputs, &active); !status.ok()) {
    return status;
  }
  for (const IoPort& port : facts.ports) {
    if (port.output) *response->add_relays() = RelayOf(*camera, port, active[port.number]);
  }
  return grpc::Status::OK;
}

grpc::Status VapixService::SetRelayOutputSettings(grpc::ServerContext* context,
                                                  const v1::SetRelayOutputSettingsRequest* request,
                                                  v1::RelayOutput* response) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  IoPort port;
  if (grpc::Status status =
          FindRelay(request->camera_id(), request->relay_id(), deadline, &camera, &port);
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
  const milliseconds delay(request->delay_ms());
  const bool monostable = request->mode() == v1::RELAY_MODE_MONOSTABLE;
  if (monostable && (delay.count() == 0 || delay > kMaxRelayDelay)) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "a monostable relay needs a delay of 1 ms to 1 hour"};
  }
  const bool active_closed = request->idle_state() == v1::RELAY_IDLE_STATE_OPEN;
  if (active_closed != port.active_closed) {
    if (grpc::Status status = camera->SetPortActiveState(deadline, port, active_closed);
        !status.ok()) {
      return status;
    }
    port.active_closed = active_closed;
  }
  // VAPIX has no monostable mode: the adapter pulses the output itself (port.cgi N:/<delay>\).
  camera->SetRelayMode(port.number, RelayMode{monostable, std::min(delay, kMaxRelayDelay)});
  std::map<uint32_t, bool> active;
  if (grpc::Status status = camera->CheckActive(deadline, {port.number}, &active); !status.ok()) {
    return status;
  }
  adapter_sdk::LogInfo("camera ", camera->config().id, ": relay ", request->relay_id(), " set to ",
                       v1::RelayMode_Name(request->mode()), " ", delay.count(), " ms, idle ",
                       v1::RelayIdleState_Name(request->idle_state()));
  *response = RelayOf(*camera, port, active[port.number]);
  return grpc::Status::OK;
}

grpc::Status VapixService::SetRelayOutputState(grpc::ServerContext* context,
                                               const v1::SetRelayOutputStateRequest* request,
                                               v1::RelayOutput* response) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  IoPort port;
  if (grpc::Status status =
          FindRelay(request->camera_id(), request->relay_id(), deadline, &camera, &port);
      !status.ok()) {
    return status;
  }
  if (grpc::Status status = camera->SetOutput(deadline, port.number, request->active(),
                                              camera->RelayModeOf(port.number));
      !status.ok()) {
    return status;
  }
  *response = RelayOf(*camera, port, request->active());
  return grpc::Status::OK;
}

// ---------------------------------------------------------------------------- Digital inputs

v1::DigitalInput VapixService::InputOf(const IoPort& port, bool active) {
  v1::DigitalInput input;
  input.set_input_id(InputId(port.number));
  // Input.Trig names the circuit's state when active; idle is the other one.
  input.set_idle_state(port.active_closed ? v1::RELAY_IDLE_STATE_OPEN
                                          : v1::RELAY_IDLE_STATE_CLOSED);
  input.set_idle_state_settable(true);
  input.set_active(active);
  input.set_active_known(true);
  return input;
}

grpc::Status VapixService::FindInput(const std::string& camera_id, const std::string& input_id,
                                     Deadline deadline, VapixCamera** camera, IoPort* port) const {
  if (grpc::Status status = Find(camera_id, camera); !status.ok()) return status;
  CameraFacts facts;
  if (grpc::Status status = (*camera)->Facts(deadline, false, &facts); !status.ok()) {
    return status;
  }
  if (std::none_of(facts.ports.begin(), facts.ports.end(),
                   [](const IoPort& io) { return !io.output; })) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + (*camera)->config().id + " has no digital inputs"};
  }
  const std::optional<uint32_t> number = PortNumber(input_id, kInputPrefix);
  for (const IoPort& io : facts.ports) {
    if (number && !io.output && io.number == *number) {
      *port = io;
      return grpc::Status::OK;
    }
  }
  return {grpc::StatusCode::NOT_FOUND,
          "camera " + (*camera)->config().id + " has no digital input " + Quote(input_id)};
}

grpc::Status VapixService::ListDigitalInputs(grpc::ServerContext* context,
                                             const v1::CameraRef* request,
                                             v1::DigitalInputList* response) {
  VapixCamera* camera = nullptr;
  if (grpc::Status status = Find(request->camera_id(), &camera); !status.ok()) return status;
  const Deadline deadline = DeadlineOf(context);
  CameraFacts facts;
  if (grpc::Status status = camera->Facts(deadline, true, &facts); !status.ok()) return status;
  std::vector<uint32_t> inputs;
  for (const IoPort& port : facts.ports) {
    if (!port.output) inputs.push_back(port.number);
  }
  if (inputs.empty()) {
    return {grpc::StatusCode::UNIMPLEMENTED,
            "camera " + camera->config().id + " has no digital inputs"};
  }
  std::map<uint32_t, bool> active;
  if (grpc::Status status = camera->CheckActive(deadline, inputs, &active); !status.ok()) {
    return status;
  }
  for (const IoPort& port : facts.ports) {
    if (!port.output) *response->add_inputs() = InputOf(port, active[port.number]);
  }
  return grpc::Status::OK;
}

grpc::Status VapixService::SetDigitalInputSettings(
    grpc::ServerContext* context, const v1::SetDigitalInputSettingsRequest* request,
    v1::DigitalInput* response) {
  const Deadline deadline = DeadlineOf(context);
  VapixCamera* camera = nullptr;
  IoPort port;
  if (grpc::Status status =
          FindInput(request->camera_id(), request->input_id(), deadline, &camera, &port);
      !status.ok()) {
    return status;
  }
  if (request->idle_state() != v1::RELAY_IDLE_STATE_OPEN &&
      request->idle_state() != v1::RELAY_IDLE_STATE_CLOSED) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "idle_state must be open or closed"};
  }
  // Input.Trig is the circuit's state when active: the other one is idle.
  const bool active_closed = request->idle_state() == v1::RELAY_IDLE_STATE_OPEN;
  if (active_closed != port.active_closed) {
    if (grpc::Status status = camera->SetPortActiveState(deadline, port, active_closed);
        !status.ok()) {
      return status;
    }
    port.active_closed = active_closed;
    adapter_sdk::LogInfo("camera ", camera->config().id, ": input ", request->input_id(), " idle ",
                         v1::RelayIdleState_Name(request->idle_state()));
  }
  std::map<uint32_t, bool> active;
  if (grpc::Status status = camera->CheckActive(deadline, {port.number}, &active); !status.ok()) {
    return status;
  }
  *response = InputOf(port, active[port.number]);
  return grpc::Status::OK;
}

// ---------------------------------------------------------------------------------- Events

grpc::Status VapixService::StreamEvents(grpc::ServerContext* context,
                                        const v1::StreamEventsRequest* request,
                                        grpc::ServerWriter<v1::Event>* writer) {
  std::vector<VapixCamera*> selected;
  for (const std::string& id : request->camera_ids()) {
    VapixCamera* camera = nullptr;
    if (grpc::Status status = Find(id, &camera); !status.ok()) return status;
    if (std::find(selected.begin(), selected.end(), camera) == selected.end()) {
      selected.push_back(camera);
    }
  }
  if (selected.empty()) {
    for (const auto& camera : cameras_) selected.push_back(camera.get());
  }
  // Facts learnt or changed since the gateway's last Describe are announced first.
  std::vector<uint64_t> told(selected.size());
  for (size_t i = 0; i < selected.size(); ++i) told[i] = selected[i]->DescribedGeneration();

  std::shared_ptr<EventHub::Subscription> subscription = events_.Subscribe(selected);
  struct Leave {
    EventHub& hub;
    std::shared_ptr<EventHub::Subscription> subscription;
    ~Leave() { hub.Unsubscribe(subscription); }
  } leave{events_, subscription};

  std::vector<v1::Event> batch;
  while (true) {
    if (context->IsCancelled()) return {grpc::StatusCode::CANCELLED, "client cancelled"};
    for (size_t i = 0; i < selected.size(); ++i) {
      const uint64_t generation = selected[i]->FactsGeneration();
      if (generation == told[i]) continue;
      v1::Event changed;
      changed.set_camera_id(selected[i]->config().id);
      *changed.mutable_time() = Now();
      changed.mutable_facts_changed();
      batch.push_back(std::move(changed));
      told[i] = generation;
    }
    for (const v1::Event& event : batch) {
      if (!writer->Write(event)) return {grpc::StatusCode::CANCELLED, "client went away"};
    }
    batch.clear();
    if (!events_.Wait(*subscription, kCancelCheckPeriod, &batch)) break;
  }
  return grpc::Status::OK;
}

}  // namespace onvifgw::vapix
