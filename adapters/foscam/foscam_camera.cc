#include "adapters/foscam/foscam_camera.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "adapters/sdk/http_auth.h"
#include "adapters/sdk/logger.h"

namespace onvifgw::foscam {
namespace {

namespace v1 = onvifgw::adapter::v1;
using adapter_sdk::HttpErrorKind;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Replies are small; the largest is a VGA JPEG (~50 KB).
constexpr size_t kMaxBodyBytes = 2u << 20;
constexpr size_t kMaxLogLines = 10000;
constexpr size_t kMaxLogLineLength = 1024;

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

std::string HostForUri(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

v1::PtzMoveStatus StatusOf(bool known_idle, bool known_moving) {
  if (known_moving) return v1::PTZ_MOVE_STATUS_MOVING;
  if (known_idle) return v1::PTZ_MOVE_STATUS_IDLE;
  return v1::PTZ_MOVE_STATUS_UNKNOWN;
}

}  // namespace

// ---------------------------------------------------------------------------------- EventQueue

void EventQueue::Push(v1::Event event) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (events_.size() >= kMaxQueued) events_.pop_front();
    events_.push_back(std::move(event));
  }
  wakeup_.notify_all();
}

bool EventQueue::Wait(milliseconds timeout, std::vector<v1::Event>* events) {
  std::unique_lock lock(mutex_);
  wakeup_.wait_for(lock, timeout, [this] { return closed_ || !events_.empty(); });
  if (closed_) return false;
  for (v1::Event& event : events_) events->push_back(std::move(event));
  events_.clear();
  return true;
}

void EventQueue::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  wakeup_.notify_all();
}

// -------------------------------------------------------------------------------- FoscamCamera

FoscamCamera::FoscamCamera(CameraConfig config) : config_(std::move(config)) {
  adapter_sdk::HttpClientSettings settings;
  settings.host = config_.host;
  settings.port = config_.port;
  settings.credentials = adapter_sdk::HttpCredentials{config_.user, config_.password};
  // The camera answers 401 without a challenge and closes the connection after every reply.
  settings.preemptive_basic = true;
  settings.keep_alive = false;
  settings.max_idle_connections = 0;
  settings.request_timeout = config_.request_timeout;
  settings.connect_timeout = std::min(settings.connect_timeout, config_.request_timeout);
  settings.max_attempts = config_.attempts;
  settings.max_body_bytes = kMaxBodyBytes;
  auto client = adapter_sdk::HttpClient::Create(std::move(settings));
  if (client) {
    client_ = std::move(client).value();
  } else {
    client_error_ = client.error().message;
    adapter_sdk::LogError("camera ", config_.id, ": ", client_error_);
  }
}

FoscamCamera::~FoscamCamera() {
  Close();
  std::lock_guard command(relay_command_mutex_);
  CancelPulse();
  if (poller_.joinable()) poller_.join();
}

void FoscamCamera::Close() {
  {
    std::lock_guard lock(events_mutex_);
    closing_ = true;
  }
  events_wakeup_.notify_all();
  if (client_) client_->Close();
}

// ------------------------------------------------------------------------------------- Facts

std::string FoscamCamera::StreamUri() const {
  std::string uri = "http://" + adapter_sdk::UrlEncode(config_.user) + ":" +
                    adapter_sdk::UrlEncode(config_.password) + "@" + HostForUri(config_.host) +
                    ":" + std::to_string(config_.port) + "/videostream.cgi?resolution=32&rate=0";
  if (config_.credentials_in_query) {
    uri += "&user=" + adapter_sdk::UrlEncode(config_.user) +
           "&pwd=" + adapter_sdk::UrlEncode(config_.password);
  }
  return uri;
}

void FoscamCamera::FillVideoSources(v1::VideoSourceList* sources) const {
  v1::VideoSource* source = sources->add_sources();
  source->set_source_id(kSourceId);
  source->mutable_resolution()->set_width(kWidth);
  source->mutable_resolution()->set_height(kHeight);
  source->set_framerate(kFramerate);
  v1::VideoStream* stream = source->add_streams();
  stream->set_stream_id(kStreamId);
  stream->set_uri(StreamUri());
  stream->set_codec(v1::VIDEO_CODEC_JPEG);
  *stream->mutable_resolution() = source->resolution();
  stream->set_framerate(kFramerate);
  stream->set_transport(v1::STREAM_TRANSPORT_MJPEG_HTTP);
}

std::vector<std::string> FoscamCamera::AuxiliaryCommands() { return {kIrOn, kIrOff}; }

// ---------------------------------------------------------------------------------- Plumbing

std::string FoscamCamera::Target(std::string_view cgi, std::string_view query) const {
  std::string target = "/" + std::string(cgi);
  std::string params(query);
  if (config_.credentials_in_query) {
    if (!params.empty()) params += "&";
    params += "user=" + adapter_sdk::UrlEncode(config_.user) +
              "&pwd=" + adapter_sdk::UrlEncode(config_.password);
  }
  if (!params.empty()) target += "?" + params;
  return target;
}

grpc::Status FoscamCamera::Fail(grpc::StatusCode code, const std::string& message,
                                bool quiet) const {
  if (!quiet) adapter_sdk::LogWarn(message);
  return {code, message};
}

grpc::Status FoscamCamera::Send(std::string_view cgi, std::string_view query, Deadline deadline,
                                std::string_view what, bool idempotent, bool quiet,
                                adapter_sdk::HttpResponse* response) {
  const std::string camera = "camera " + config_.id;
  const std::string action = std::string(cgi) + " (" + std::string(what) + ")";
  if (!client_) {
    return Fail(grpc::StatusCode::UNAVAILABLE, camera + ": " + client_error_, quiet);
  }
  std::unique_lock lock(request_mutex_, std::defer_lock);
  if (!lock.try_lock_until(deadline)) {
    return Fail(grpc::StatusCode::DEADLINE_EXCEEDED,
                camera + ": no time left for " + action +
                    ": the camera was still busy with an earlier request",
                quiet);
  }
  const auto remaining = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
  if (remaining <= milliseconds(0)) {
    return Fail(grpc::StatusCode::DEADLINE_EXCEEDED, camera + ": no time left for " + action,
                quiet);
  }
  const milliseconds timeout = std::min(remaining, config_.request_timeout);
  adapter_sdk::HttpRequest request;
  request.target = Target(cgi, query);
  request.timeout = timeout;
  request.idempotent = idempotent;
  adapter_sdk::LogDebug(camera, ": GET /", cgi);
  auto reply = client_->Send(std::move(request));
  lock.unlock();
  if (!reply) {
    switch (adapter_sdk::HttpErrorKindOf(reply.error())) {
      case HttpErrorKind::kTimeout:
        return Fail(grpc::StatusCode::DEADLINE_EXCEEDED,
                    camera + " did not answer " + action + " within " +
                        std::to_string(timeout.count()) + " ms",
                    quiet);
      case HttpErrorKind::kAuth:
        return Fail(grpc::StatusCode::FAILED_PRECONDITION,
                    camera + " refused the credentials of user '" + config_.user + "' (" +
                        std::string(cgi) + ")",
                    quiet);
      case HttpErrorKind::kTooLarge:
        return Fail(grpc::StatusCode::RESOURCE_EXHAUSTED,
                    camera + ": " + action + ": " + reply.error().message, quiet);
      case HttpErrorKind::kConnect:
      case HttpErrorKind::kProtocol:
      case HttpErrorKind::kClosed:
        break;
    }
    return Fail(grpc::StatusCode::UNAVAILABLE,
                camera + ": " + action + " failed: " + reply.error().message, quiet);
  }
  if (reply->status != 200) {
    // 404: this model lacks the CGI; 403: the user's level is too low. Both are the
    // configuration's business; anything else is the camera's fault.
    const grpc::StatusCode code = reply->status == 404 || reply->status == 403
                                      ? grpc::StatusCode::FAILED_PRECONDITION
                                      : grpc::StatusCode::UNAVAILABLE;
    return Fail(code,
                camera + " answered " + action + " with HTTP " + std::to_string(reply->status) +
                    (reply->body.empty() ? "" : ": " + CameraText(reply->body)),
                quiet);
  }
  *response = std::move(reply).value();
  return grpc::Status::OK;
}

grpc::Status FoscamCamera::Command(std::string_view cgi, std::string_view query, Deadline deadline,
                                   std::string_view what, bool idempotent) {
  adapter_sdk::HttpResponse response;
  if (grpc::Status sent = Send(cgi, query, deadline, what, idempotent, false, &response);
      !sent.ok()) {
    return sent;
  }
  const std::string action = std::string(cgi) + " (" + std::string(what) + ")";
  switch (ClassifyCommandReply(response.body)) {
    case CommandReply::kOk:
      return grpc::Status::OK;
    case CommandReply::kError:
      return Fail(grpc::StatusCode::FAILED_PRECONDITION,
                  "camera " + config_.id + " refused " + action + ": " + CameraText(response.body),
                  false);
    case CommandReply::kOther:
      break;
  }
  return Fail(grpc::StatusCode::UNAVAILABLE,
              "camera " + config_.id + " answered " + action + " with \"" +
                  CameraText(response.body) + "\" instead of ok.",
              false);
}

grpc::Status FoscamCamera::ReadVars(std::string_view cgi, Deadline deadline, std::string_view what,
                                    Vars* vars, bool quiet) {
  adapter_sdk::HttpResponse response;
  if (grpc::Status sent = Send(cgi, "", deadline, what, true, quiet, &response); !sent.ok()) {
    return sent;
  }
  const std::string action = std::string(cgi) + " (" + std::string(what) + ")";
  if (IsCameraError(response.body)) {
    return Fail(grpc::StatusCode::FAILED_PRECONDITION,
                "camera " + config_.id + " refused " + action + ": " + CameraText(response.body),
                quiet);
  }
  auto parsed = ParseVars(response.body);
  if (!parsed) {
    return Fail(grpc::StatusCode::UNAVAILABLE,
                "camera " + config_.id + ": unreadable " + std::string(cgi) +
                    " reply: " + parsed.error().message,
                quiet);
  }
  *vars = std::move(parsed).value();
  return grpc::Status::OK;
}

grpc::Status FoscamCamera::ReadInt(const Vars& vars, std::string_view cgi, std::string_view name,
                                   int64_t* value, bool quiet) const {
  auto read = IntVar(vars, name);
  if (!read) {
    return Fail(grpc::StatusCode::UNAVAILABLE,
                "camera " + config_.id + ": " + std::string(cgi) + ": " + read.error().message,
                quiet);
  }
  *value = *read;
  return grpc::Status::OK;
}

grpc::Status FoscamCamera::Decoder(Deadline deadline, uint32_t code, std::string_view what) {
  return Command("decoder_control.cgi", "command=" + std::to_string(code), deadline, what);
}

// ---------------------------------------------------------------------------------- Requests

grpc::Status FoscamCamera::DeviceInformation(Deadline deadline, v1::DeviceInformation* info) {
  Vars vars;
  if (grpc::Status read = ReadVars("get_status.cgi", deadline, "device information", &vars);
      !read.ok()) {
    return read;
  }
  auto firmware = vars.find("sys_ver");
  if (firmware == vars.end() || firmware->second.empty()) {
    return Fail(grpc::StatusCode::UNAVAILABLE,
                "camera " + config_.id + ": get_status.cgi reports no sys_ver", false);
  }
  info->set_manufacturer(config_.manufacturer);
  info->set_model(config_.model);
  info->set_firmware_version(CameraText(firmware->second));
  if (auto id = vars.find("id"); id != vars.end()) info->set_serial_number(CameraText(id->second));
  info->set_hardware_id(config_.model);
  return grpc::Status::OK;
}

grpc::Status FoscamCamera::Snapshot(Deadline deadline, std::string* jpeg) {
  adapter_sdk::HttpResponse response;
  if (grpc::Status sent =
          Send("snapshot.cgi", "resolution=32", deadline, "snapshot", true, false, &response);
      !sent.ok()) {
    return sent;
  }
  const bool jpeg_start = response.body.size() >= 2 &&
                          static_cast<unsigned char>(response.body[0]) == 0xFF &&
                          static_cast<unsigned char>(response.body[1]) == 0xD8;
  if (response.MediaType() == "image/jpeg" && jpeg_start) {
    *jpeg = std::move(response.body);
    return grpc::Status::OK;
  }
  if (IsCameraError(response.body)) {
    return Fail(grpc::StatusCode::FAILED_PRECONDITION,
                "camera " + config_.id + " refused snapshot.cgi: " + CameraText(response.body),
                false);
  }
  const std::string type = response.MediaType().empty() ? "no type" : response.MediaType();
  const std::string text =
      response.body.empty() || jpeg_start ? "" : ": \"" + CameraText(response.body) + "\"";
  return Fail(grpc::StatusCode::UNAVAILABLE,
              "camera " + config_.id + " answered snapshot.cgi with " +
                  (type == "image/jpeg" ? "image/jpeg data that is not a JPEG (no FF D8)"
                                        : type + " instead of a JPEG") +
                  text,
              false);
}

grpc::Status FoscamCamera::GetTime(Deadline deadline, CameraTime* time) {
  Vars vars;
  if (grpc::Status read = ReadVars("get_status.cgi", deadline, "read the clock", &vars);
      !read.ok()) {
    return read;
  }
  if (grpc::Status s = ReadInt(vars, "get_status.cgi", "now", &time->utc_seconds); !s.ok()) {
    return s;
  }
  return ReadInt(vars, "get_status.cgi", "tz", &time->tz);
}

grpc::Status FoscamCamera::SetTime(Deadline deadline, int64_t utc_seconds,
                                   std::optional<int64_t> tz, CameraTime* time) {
  if (!tz) {
    CameraTime now;
    if (grpc::Status read = GetTime(deadline, &now); !read.ok()) return read;
    tz = now.tz;
  }
  const std::string query =
      "now=" + std::to_string(utc_seconds) + "&tz=" + std::to_string(*tz) + "&ntp_enable=0";
  if (grpc::Status set = Command("set_datetime.cgi", query, deadline, "set the clock"); !set.ok()) {
    return set;
  }
  adapter_sdk::LogInfo("camera ", config_.id, ": clock set to ", utc_seconds, " (",
                       PosixZoneFromTz(*tz), ")");
  return GetTime(deadline, time);
}

grpc::Status FoscamCamera::Reboot(Deadline deadline) {
  grpc::Status status = Command("reboot.cgi", "", deadline, "reboot", false);
  if (status.ok()) adapter_sdk::LogInfo("camera ", config_.id, ": rebooting");
  return status;
}

grpc::Status FoscamCamera::RestoreFactory(Deadline deadline) {
  grpc::Status status =
      Command("restore_factory.cgi", "", deadline, "restore the factory settings", false);
  if (status.ok()) adapter_sdk::LogInfo("camera ", config_.id, ": factory settings restored");
  return status;
}

grpc::Status FoscamCamera::SystemLog(Deadline deadline, std::vector<std::string>* lines) {
  adapter_sdk::HttpResponse response;
  if (grpc::Status sent = Send("get_log.cgi", "", deadline, "read the log", true, false, &response);
      !sent.ok()) {
    return sent;
  }
  if (IsCameraError(response.body)) {
    return Fail(grpc::StatusCode::FAILED_PRECONDITION,
                "camera " + config_.id +
                    " refused get_log.cgi (read the log): " + CameraText(response.body),
                false);
  }
  std::vector<std::string> all;
  std::string_view body = response.body;
  while (!body.empty()) {
    const size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string clean;
    for (size_t i = 0; i < line.size() && i < kMaxLogLineLength; ++i) {
      const auto byte = static_cast<unsigned char>(line[i]);
      clean.push_back(byte < 0x20 && line[i] != '\t' ? '?' : line[i]);
    }
    all.push_back(std::move(clean));
  }
  while (!all.empty() && all.back().empty()) all.pop_back();
  // The newest lines matter most: keep the end of an overlong log.
  const size_t skip = all.size() > kMaxLogLines ? all.size() - kMaxLogLines : 0;
  lines->assign(std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(skip)),
                std::make_move_iterator(all.end()));
  return grpc::Status::OK;
}

grpc::Status FoscamCamera::Auxiliary(Deadline deadline, const std::string& command) {
  if (command == kIrOn) return Decoder(deadline, config_.ir_on_code, "switch the IR LEDs on");
  if (command == kIrOff) return Decoder(deadline, config_.IrOffCode(), "switch the IR LEDs off");
  return {grpc::StatusCode::INVALID_ARGUMENT,
          "camera " + config_.id + " has no auxiliary command \"" + CameraText(command) + "\""};
}

grpc::Status FoscamCamera::GetSensor(Deadline deadline, SensorSettings* settings) {
  Vars vars;
  if (grpc::Status read =
          ReadVars("get_camera_params.cgi", deadline, "read the imaging settings", &vars);
      !read.ok()) {
    return read;
  }
  if (grpc::Status s = ReadInt(vars, "get_camera_params.cgi", "brightness", &settings->brightness);
      !s.ok()) {
    return s;
  }
  return ReadInt(vars, "get_camera_params.cgi", "contrast", &settings->contrast);
}

grpc::Status FoscamCamera::SetSensor(Deadline deadline, uint32_t param, int64_t value,
                                     std::string_view what) {
  grpc::Status status = Command(
      "camera_control.cgi", "param=" + std::to_string(param) + "&value=" + std::to_string(value),
      deadline, "set the " + std::string(what));
  if (status.ok()) adapter_sdk::LogInfo("camera ", config_.id, ": ", what, " set to ", value);
  return status;
}

grpc::Status FoscamCamera::AlarmStatus(Deadline deadline, int64_t* status, bool quiet) {
  Vars vars;
  if (grpc::Status read =
          ReadVars("get_status.cgi", deadline, "read the alarm status", &vars, quiet);
      !read.ok()) {
    return read;
  }
  return ReadInt(vars, "get_status.cgi", "alarm_status", status, quiet);
}

// ------------------------------------------------------------------------------------- Relay

v1::RelayOutput FoscamCamera::RelayLocked() const {
  v1::RelayOutput relay;
  relay.set_relay_id(kRelayId);
  relay.set_mode(relay_settings_.monostable ? v1::RELAY_MODE_MONOSTABLE : v1::RELAY_MODE_BISTABLE);
  relay.set_delay_ms(static_cast<uint32_t>(relay_settings_.delay.count()));
  relay.set_idle_state(relay_settings_.idle_closed ? v1::RELAY_IDLE_STATE_CLOSED
                                                   : v1::RELAY_IDLE_STATE_OPEN);
  relay.set_active(switch_closed_ != relay_settings_.idle_closed);
  return relay;
}

v1::RelayOutput FoscamCamera::Relay() const {
  std::lock_guard lock(relay_mutex_);
  return RelayLocked();
}

grpc::Status FoscamCamera::DriveSwitch(Deadline deadline, bool closed) {
  grpc::Status sent = Decoder(deadline, closed ? kSwitchCloseCode : kSwitchOpenCode,
                              closed ? "close the relay" : "open the relay");
  if (sent.ok()) switch_closed_ = closed;
  return sent;
}

void FoscamCamera::CancelPulse() {
  if (pulse_.joinable()) {
    pulse_.request_stop();
    pulse_.join();
  }
}

grpc::Status FoscamCamera::SetRelaySettings(Deadline deadline, const RelaySettings& settings,
                                            v1::RelayOutput* relay) {
  std::lock_guard command(relay_command_mutex_);
  CancelPulse();
  std::lock_guard lock(relay_mutex_);
  if (grpc::Status sent = DriveSwitch(deadline, settings.idle_closed); !sent.ok()) return sent;
  relay_settings_ = settings;
  adapter_sdk::LogInfo("camera ", config_.id, ": relay ", kRelayId, " set to ",
                       settings.monostable ? "monostable " : "bistable ", settings.delay.count(),
                       " ms, idle ", settings.idle_closed ? "closed" : "open");
  *relay = RelayLocked();
  return grpc::Status::OK;
}

grpc::Status FoscamCamera::SetRelayActive(Deadline deadline, bool active, v1::RelayOutput* relay) {
  std::lock_guard command(relay_command_mutex_);
  CancelPulse();
  RelaySettings settings;
  {
    std::lock_guard lock(relay_mutex_);
    if (grpc::Status sent = DriveSwitch(deadline, active != relay_settings_.idle_closed);
        !sent.ok()) {
      return sent;
    }
    *relay = RelayLocked();
    settings = relay_settings_;
  }
  if (active && settings.monostable) {
    // The camera has no pulse of its own: the adapter drives the contact back after the delay.
    const milliseconds delay = settings.delay;
    pulse_ = std::jthread([this, delay](std::stop_token stop) {
      std::mutex wait_mutex;
      std::condition_variable_any wait;
      std::unique_lock wait_lock(wait_mutex);
      if (wait.wait_for(wait_lock, stop, delay, [] { return false; })) return;
      if (stop.stop_requested()) return;
      std::lock_guard relay_lock(relay_mutex_);
      const grpc::Status back =
          DriveSwitch(steady_clock::now() + config_.request_timeout, relay_settings_.idle_closed);
      if (!back.ok()) {
        adapter_sdk::LogWarn("camera ", config_.id, ": relay ", kRelayId,
                             " did not go back to idle after its pulse: ", back.error_message());
      }
    });
  }
  return grpc::Status::OK;
}

// --------------------------------------------------------------------------------------- PTZ

grpc::Status FoscamCamera::LockPtz(Deadline deadline,
                                   std::unique_lock<std::timed_mutex>* lock) const {
  *lock = std::unique_lock(ptz_mutex_, std::defer_lock);
  if (!lock->try_lock_until(deadline)) {
    return Fail(grpc::StatusCode::DEADLINE_EXCEEDED,
                "camera " + config_.id + ": no time left: an earlier PTZ command is still running",
                false);
  }
  return grpc::Status::OK;
}

std::vector<uint32_t> FoscamCamera::ZoomStopCodes() const {
  if (last_zoom_code_ == kZoomWideCode) return {kZoomWideStopCode};
  if (last_zoom_code_ == kZoomTeleCode) return {kZoomTeleStopCode};
  return {kZoomWideStopCode, kZoomTeleStopCode};
}

grpc::Status FoscamCamera::ContinuousMove(Deadline deadline,
                                          std::optional<std::pair<double, double>> pan_tilt,
                                          std::optional<double> zoom) {
  std::unique_lock<std::timed_mutex> lock;
  if (grpc::Status locked = LockPtz(deadline, &lock); !locked.ok()) return locked;
  if (pan_tilt && config_.ptz) {
    const std::optional<PtzDirection> direction = DirectionOf(pan_tilt->first, pan_tilt->second);
    const uint32_t code = direction ? MoveCode(*direction, config_.invert_pan) : kStopCode;
    grpc::Status sent = Decoder(deadline, code, direction ? "move" : "stop");
    pan_tilt_motion_ = !sent.ok() ? Motion::kUnknown : direction ? Motion::kMoving : Motion::kIdle;
    if (!sent.ok()) return sent;
  }
  if (zoom && config_.zoom) {
    if (std::abs(*zoom) < kVelocityDeadZone) {
      for (uint32_t code : ZoomStopCodes()) {
        grpc::Status sent = Decoder(deadline, code, "stop the zoom");
        zoom_motion_ = sent.ok() ? Motion::kIdle : Motion::kUnknown;
        if (!sent.ok()) return sent;
      }
    } else {
      const uint32_t code = *zoom > 0 ? kZoomTeleCode : kZoomWideCode;
      grpc::Status sent = Decoder(deadline, code, "zoom");
      last_zoom_code_ = code;
      zoom_motion_ = sent.ok() ? Motion::kMoving : Motion::kUnknown;
      if (!sent.ok()) return sent;
    }
  }
  return grpc::Status::OK;
}

grpc::Status FoscamCamera::Stop(Deadline deadline, bool pan_tilt, bool zoom) {
  std::unique_lock<std::timed_mutex> lock;
  if (grpc::Status locked = LockPtz(deadline, &lock); !locked.ok()) return locked;
  if (pan_tilt && config_.ptz) {
    grpc::Status sent = Decoder(deadline, kStopCode, "stop");
    pan_tilt_motion_ = sent.ok() ? Motion::kIdle : Motion::kUnknown;
    if (!sent.ok()) return sent;
  }
  if (zoom && config_.zoom) {
    for (uint32_t code : ZoomStopCodes()) {
      grpc::Status sent = Decoder(deadline, code, "stop the zoom");
      zoom_motion_ = sent.ok() ? Motion::kIdle : Motion::kUnknown;
      if (!sent.ok()) return sent;
    }
  }
  return grpc::Status::OK;
}

grpc::Status FoscamCamera::SetPreset(Deadline deadline, uint32_t slot) {
  const std::optional<uint32_t> code = SetPresetCode(slot);
  if (!code) {
    return {
        grpc::StatusCode::INVALID_ARGUMENT,
        "preset slot " + std::to_string(slot) + " is outside 1.." + std::to_string(kMaxPresets)};
  }
  std::unique_lock<std::timed_mutex> lock;
  if (grpc::Status locked = LockPtz(deadline, &lock); !locked.ok()) return locked;
  return Decoder(deadline, *code, "set preset " + std::to_string(slot));
}

grpc::Status FoscamCamera::GotoPreset(Deadline deadline, uint32_t slot) {
  const std::optional<uint32_t> code = GotoPresetCode(slot);
  if (!code) {
    return {
        grpc::StatusCode::INVALID_ARGUMENT,
        "preset slot " + std::to_string(slot) + " is outside 1.." + std::to_string(kMaxPresets)};
  }
  std::unique_lock<std::timed_mutex> lock;
  if (grpc::Status locked = LockPtz(deadline, &lock); !locked.ok()) return locked;
  grpc::Status sent = Decoder(deadline, *code, "go to preset " + std::to_string(slot));
  pan_tilt_motion_ = sent.ok() ? Motion::kGoing : Motion::kUnknown;
  return sent;
}

grpc::Status FoscamCamera::GotoHome(Deadline deadline) {
  std::unique_lock<std::timed_mutex> lock;
  if (grpc::Status locked = LockPtz(deadline, &lock); !locked.ok()) return locked;
  grpc::Status sent = Decoder(deadline, kCenterCode, "go to the center");
  pan_tilt_motion_ = sent.ok() ? Motion::kGoing : Motion::kUnknown;
  return sent;
}

grpc::Status FoscamCamera::PtzStatus(Deadline deadline, v1::PtzStatus* status) {
  // The camera tells nothing about its head; asking it at least shows whether it answers.
  Vars vars;
  if (grpc::Status read = ReadVars("get_status.cgi", deadline, "PTZ status", &vars); !read.ok()) {
    return read;
  }
  std::unique_lock<std::timed_mutex> lock;
  if (grpc::Status locked = LockPtz(deadline, &lock); !locked.ok()) return locked;
  std::string error;
  auto describe = [&error](Motion motion) {
    if (motion == Motion::kGoing && error.empty()) {
      error = "the camera reports no position: the end of a go-to (preset, home) is not known";
    } else if (motion == Motion::kUnknown && error.empty()) {
      error =
          "the camera reports no motion: no move or stop has been ordered since the adapter "
          "started or since a command failed";
    }
    return StatusOf(motion == Motion::kIdle, motion == Motion::kMoving);
  };
  if (config_.ptz) status->set_pan_tilt_status(describe(pan_tilt_motion_));
  if (config_.zoom) status->set_zoom_status(describe(zoom_motion_));
  status->set_error(error);
  return grpc::Status::OK;
}

// ------------------------------------------------------------------------------------ Events

std::vector<v1::Event> FoscamCamera::StateEvents(int64_t alarm_status, bool motion,
                                                 bool input) const {
  std::vector<v1::Event> events;
  const google::protobuf::Timestamp now = Now();
  if (motion) {
    v1::Event& event = events.emplace_back();
    event.set_camera_id(config_.id);
    *event.mutable_time() = now;
    event.mutable_motion()->set_source_id(kSourceId);
    event.mutable_motion()->set_active(alarm_status == 1);
  }
  if (input && config_.input) {
    v1::Event& event = events.emplace_back();
    event.set_camera_id(config_.id);
    *event.mutable_time() = now;
    event.mutable_digital_input()->set_input_id(kInputId);
    event.mutable_digital_input()->set_active(alarm_status == 2);
  }
  return events;
}

void FoscamCamera::Publish(int64_t alarm_status) {
  const bool first = !alarm_status_.has_value();
  const bool motion_changed = first || (*alarm_status_ == 1) != (alarm_status == 1);
  const bool input_changed = first || (*alarm_status_ == 2) != (alarm_status == 2);
  alarm_status_ = alarm_status;
  for (v1::Event& event : StateEvents(alarm_status, motion_changed, input_changed)) {
    for (const auto& listener : listeners_) listener->Push(event);
  }
}

void FoscamCamera::Subscribe(const std::shared_ptr<EventQueue>& queue) {
  std::lock_guard lock(events_mutex_);
  listeners_.push_back(queue);
  if (alarm_status_) {
    for (v1::Event& event : StateEvents(*alarm_status_, true, true)) queue->Push(std::move(event));
  }
  if (polling_ || closing_) return;
  // A poller that saw no listener left has finished (it takes the mutex no more): join it.
  if (poller_.joinable()) poller_.join();
  polling_ = true;
  poller_ = std::thread([this] { PollLoop(); });
}

void FoscamCamera::Unsubscribe(const std::shared_ptr<EventQueue>& queue) {
  {
    std::lock_guard lock(events_mutex_);
    std::erase(listeners_, queue);
  }
  events_wakeup_.notify_all();
}

void FoscamCamera::ArmAlarms(Deadline deadline) {
  Vars vars;
  if (grpc::Status read = ReadVars("get_params.cgi", deadline, "read the alarm settings", &vars);
      !read.ok()) {
    adapter_sdk::LogWarn(
        "camera ", config_.id,
        ": cannot arm its alarms (events need them armed on the camera): ", read.error_message());
    return;
  }
  std::string query;
  std::string armed;
  auto arm = [&](std::string_view name, std::string_view what) {
    int64_t on = 0;
    if (!ReadInt(vars, "get_params.cgi", "alarm_" + std::string(name), &on).ok() || on != 0) {
      return;
    }
    if (!query.empty()) query += "&";
    query += name;
    query += "=1";
    if (!armed.empty()) armed += " and ";
    armed += what;
  };
  arm("motion_armed", "motion detection");
  if (config_.input) arm("input_armed", "the alarm input");
  if (query.empty()) return;
  if (grpc::Status sent = Command("set_alarm.cgi", query, deadline, "arm the alarms"); !sent.ok()) {
    adapter_sdk::LogWarn(
        "camera ", config_.id,
        ": cannot arm its alarms (events need them armed on the camera): ", sent.error_message());
    return;
  }
  adapter_sdk::LogInfo("camera ", config_.id, ": armed ", armed, " for events");
}

void FoscamCamera::PollLoop() {
  std::unique_lock lock(events_mutex_);
  bool failing = false;
  std::optional<int64_t> odd_status;  // An alarm_status outside 0..2 already logged.
  while (!closing_ && !listeners_.empty()) {
    const steady_clock::time_point started = steady_clock::now();
    const bool arm = config_.arm_alarms && !armed_;
    armed_ = true;  // Once per adapter run: a refusal is logged, not repeated every poll.
    lock.unlock();
    if (arm) ArmAlarms(started + config_.request_timeout);
    int64_t status = 0;
    grpc::Status polled = AlarmStatus(started + config_.request_timeout, &status, true);
    lock.lock();
    if (closing_ || listeners_.empty()) break;
    if (!polled.ok()) {
      if (!failing) {
        adapter_sdk::LogWarn("camera ", config_.id,
                             ": event polling failed: ", polled.error_message(),
                             " (retrying every ", config_.events_poll.count(), " ms)");
        failing = true;
      }
    } else {
      if (failing) {
        adapter_sdk::LogInfo("camera ", config_.id, ": event polling works again");
        failing = false;
      }
      if (status >= 0 && status <= 2) {
        Publish(status);
      } else if (odd_status != status) {
        adapter_sdk::LogWarn("camera ", config_.id, ": get_status.cgi reports alarm_status ",
                             status, ", which is neither 0, 1 nor 2: ignored");
        odd_status = status;
      }
    }
    events_wakeup_.wait_until(lock, started + config_.events_poll,
                              [this] { return closing_ || listeners_.empty(); });
  }
  alarm_status_.reset();
  polling_ = false;
}

}  // namespace onvifgw::foscam
