#include "adapters/vapix/vapix_camera.h"

#include <algorithm>
#include <charconv>
#include <random>

#include "adapters/sdk/http_auth.h"
#include "adapters/sdk/logger.h"

namespace onvifgw::vapix {
namespace {

using adapter_sdk::HttpErrorKind;
using adapter_sdk::HttpRequest;
using adapter_sdk::HttpResponse;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Connection setup gets at most this much of a request's time.
constexpr milliseconds kMaxConnectTimeout{2000};
// After a restart the camera ordered, a successful read this long after it counts as "back" even
// if no failed request saw the camera go down.
constexpr std::chrono::seconds kRestartGrace{120};
// The adapter API forwards the camera's log; the newest lines matter most.
constexpr size_t kMaxLogLines = 10000;
// An upload has its own, longer bound (the gateway gives UpgradeFirmware 5 minutes).
constexpr milliseconds kMaxUploadTime{280'000};
// motiondata.cgi sends several records a second: one silent this long is broken.
constexpr milliseconds kMotionStall{5000};

bool ParseUnsigned(std::string_view text, uint32_t* value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The HttpClient's message without its kind tag and camera URL (the message names the camera).
std::string Detail(const adapter_sdk::Error& error, const CameraConfig& config) {
  const std::string where = "http://" + config.host + ":" + std::to_string(config.port) + ": ";
  const size_t at = error.message.find(where);
  return at == std::string::npos ? error.message : error.message.substr(at + where.size());
}

// A connection the camera closed after the whole request was sent, before answering: the
// client had reached the response, so nothing of the request was lost.
bool DroppedAfterRequest(const adapter_sdk::Error& error) {
  return adapter_sdk::HttpErrorKindOf(error) == HttpErrorKind::kConnect &&
         error.message.find("end of stream") != std::string::npos;
}

std::string NewBoundary() {
  std::random_device random;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string boundary = "onvifgw-";
  for (int i = 0; i < 24; ++i) boundary.push_back(kHex[random() % 16]);
  return boundary;
}

}  // namespace

VapixCamera::VapixCamera(CameraConfig config) : config_(std::move(config)) {
  adapter_sdk::HttpClientSettings settings;
  settings.host = config_.host;
  settings.port = config_.port;
  settings.credentials = adapter_sdk::HttpCredentials{config_.user, config_.password};
  settings.forbid_basic = !config_.basic_auth;
  settings.request_timeout = config_.request_timeout;
  settings.connect_timeout = std::min(kMaxConnectTimeout, config_.request_timeout);
  settings.max_attempts = config_.attempts;
  auto client = adapter_sdk::HttpClient::Create(std::move(settings));
  if (client) {
    http_ = std::move(client).value();
  } else {
    client_error_ = client.error().message;
    adapter_sdk::LogError("camera ", config_.id, ": ", client_error_);
  }
}

VapixCamera::~VapixCamera() { Close(); }

void VapixCamera::Close() {
  if (http_) http_->Close();
}

// ------------------------------------------------------------------------------ Transport

grpc::Status VapixCamera::Failed(grpc::Status status, bool unreachable) {
  std::lock_guard lock(mutex_);
  if (status.error_message() != last_failure_) {
    adapter_sdk::LogWarn(status.error_message());
    last_failure_ = status.error_message();
  }
  unreachable_ = unreachable;
  return status;
}

void VapixCamera::Answered() {
  std::lock_guard lock(mutex_);
  if (unreachable_) {
    adapter_sdk::LogInfo("camera ", config_.id, " answers again");
    last_failure_.clear();
    unreachable_ = false;
  }
}

grpc::Status VapixCamera::Send(HttpRequest request, Deadline deadline, std::string_view what,
                               HttpResponse* response, bool* dropped_after_request) {
  const std::string camera = "camera " + config_.id;
  if (!http_) return Failed({grpc::StatusCode::INTERNAL, camera + ": " + client_error_});
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
  const milliseconds timeout = std::min(request.timeout.value_or(config_.request_timeout), left);
  if (timeout <= milliseconds(0)) {
    return {grpc::StatusCode::DEADLINE_EXCEEDED,
            camera + ": no time left in the call for " + std::string(what)};
  }
  request.timeout = timeout;
  auto result = http_->Send(std::move(request));
  if (result) {
    *response = std::move(result).value();
    if (response->status == 503) {
      std::lock_guard lock(mutex_);
      restart_seen_down_ = true;
    }
    return grpc::Status::OK;
  }
  {
    // Whatever the camera is now, the facts are worth reading again.
    std::lock_guard lock(mutex_);
    stale_ = true;
    restart_seen_down_ = true;
  }
  const std::string detail = Detail(result.error(), config_);
  const std::string doing = " (" + std::string(what) + ")";
  if (dropped_after_request != nullptr && DroppedAfterRequest(result.error())) {
    *dropped_after_request = true;
    return {grpc::StatusCode::UNAVAILABLE, camera + " closed the connection" + doing};
  }
  switch (adapter_sdk::HttpErrorKindOf(result.error())) {
    case HttpErrorKind::kTimeout:
      return Failed({grpc::StatusCode::DEADLINE_EXCEEDED, camera + " did not answer within " +
                                                              std::to_string(timeout.count()) +
                                                              " ms" + doing + ": " + detail},
                    true);
    case HttpErrorKind::kAuth:
      if (detail.find("refused the credentials") != std::string::npos) {
        return Failed({grpc::StatusCode::FAILED_PRECONDITION,
                       camera + " refused the credentials of user '" + config_.user + "'" + doing +
                           ": check user and password in the adapter's config"});
      }
      return Failed({grpc::StatusCode::FAILED_PRECONDITION, camera + doing + ": " + detail});
    case HttpErrorKind::kTooLarge:
      return Failed({grpc::StatusCode::RESOURCE_EXHAUSTED, camera + doing + ": " + detail});
    case HttpErrorKind::kClosed:
      return {grpc::StatusCode::UNAVAILABLE, camera + ": the adapter is shutting down"};
    case HttpErrorKind::kProtocol:
      return Failed({grpc::StatusCode::UNAVAILABLE,
                     camera + " gave an answer that is not readable HTTP" + doing + ": " + detail},
                    true);
    case HttpErrorKind::kConnect:
      break;
  }
  return Failed(
      {grpc::StatusCode::UNAVAILABLE, camera + " is not reachable" + doing + ": " + detail}, true);
}

grpc::Status VapixCamera::Exchange(HttpRequest request, Deadline deadline, std::string_view what,
                                   HttpResponse* response, bool* dropped_after_request) {
  const std::string target = request.target.substr(0, request.target.find('?'));
  if (grpc::Status status =
          Send(std::move(request), deadline, what, response, dropped_after_request);
      !status.ok()) {
    return status;
  }
  return CheckHttpStatus(*response, target, what);
}

grpc::Status VapixCamera::CheckHttpStatus(const HttpResponse& response, std::string_view target,
                                          std::string_view what) {
  const unsigned code = response.status;
  if (code >= 200 && code < 300) {
    Answered();
    return grpc::Status::OK;
  }
  const std::string camera = "camera " + config_.id;
  const std::string text = CameraText(response.body);
  const std::string said =
      " (HTTP " + std::to_string(code) + (text.empty() ? "" : ": " + text) + ")";
  if (code == 404) {
    return Failed({grpc::StatusCode::UNIMPLEMENTED, camera + " has no " + std::string(target) +
                                                        " (HTTP 404: not on this model or "
                                                        "firmware)"});
  }
  if (code == 403) {
    return Failed({grpc::StatusCode::FAILED_PRECONDITION,
                   camera + " refused user '" + config_.user + "' access to " +
                       std::string(target) + said + ": the account's level is too low"});
  }
  if (code == 400) {
    return Failed({grpc::StatusCode::INVALID_ARGUMENT,
                   camera + " refused the request (" + std::string(what) + ")" + said});
  }
  return Failed(
      {grpc::StatusCode::UNAVAILABLE, camera + " could not answer " + std::string(what) + said},
      code >= 500);
}

grpc::Status VapixCamera::CameraRefused(std::string_view what, const std::string& text,
                                        grpc::StatusCode code) {
  return Failed({code, "camera " + config_.id + " refused " + std::string(what) + ": " + text});
}

grpc::Status VapixCamera::Control(Deadline deadline, std::string target, std::string_view what) {
  HttpRequest request;
  request.target = std::move(target);
  HttpResponse response;
  if (grpc::Status status = Exchange(std::move(request), deadline, what, &response); !status.ok()) {
    return status;
  }
  if (auto checked = CheckControlReply(response.status, response.body); !checked) {
    return CameraRefused(what, checked.error().message);
  }
  return grpc::Status::OK;
}

std::string VapixCamera::PathOf(Cgi cgi) const {
  std::lock_guard lock(mutex_);
  return std::string(CgiPath(cgi, facts_ ? facts_->vapix3 : true));
}

// ---------------------------------------------------------------------------------- Facts

grpc::Status VapixCamera::ReadFacts(Deadline deadline, CameraFacts* facts) {
  std::vector<bool> styles = {true, false};
  {
    std::lock_guard lock(mutex_);
    if (facts_ && !facts_->vapix3) styles = {false, true};
  }
  const std::string channel = std::to_string(config_.channel - 1);
  std::string query = "?action=list&group=Brand,Properties,IOPort,Image.I";
  query.append(channel)
      .append(".Stream.FPS,PTZ.Preset.P0.HomePosition,ImageSource.I")
      .append(channel);
  HttpResponse response;
  std::string path;
  for (size_t i = 0; i < styles.size(); ++i) {
    path = std::string(CgiPath(Cgi::kParam, styles[i]));
    HttpRequest request;
    request.target = path + query;
    if (grpc::Status status = Send(std::move(request), deadline, "param.cgi list", &response);
        !status.ok()) {
      return status;
    }
    // The generation is probed: a 404 on one path style is the answer, not a failure.
    if (response.status != 404) break;
  }
  if (grpc::Status status = CheckHttpStatus(response, path, "param.cgi list"); !status.ok()) {
    return status;
  }
  const ParamList list = ParseParamList(response.body);
  if (!list.HasGroup("Properties")) {
    if (const ParamError* error = list.ErrorFor("Properties")) {
      return CameraRefused("to list the Properties group", CameraText(error->text));
    }
    return Failed({grpc::StatusCode::UNAVAILABLE,
                   "camera " + config_.id + " answered param.cgi with no parameter list: \"" +
                       CameraText(response.body) + "\""});
  }
  uint32_t version = 0;
  facts->vapix3 =
      ParseUnsigned(list.Get("Properties.API.HTTP.Version"), &version) ? version >= 3 : false;
  facts->brand = list.Get("Brand.Brand");
  facts->product_number = list.Get("Brand.ProdNbr");
  facts->product_full_name = list.Get("Brand.ProdFullName");
  facts->product_short_name = list.Get("Brand.ProdShortName");
  facts->firmware_version = list.Get("Properties.Firmware.Version");
  facts->serial_number = list.Get("Properties.System.SerialNumber");
  facts->hardware_id = list.Get("Properties.System.HardwareID");
  facts->resolutions = ParseResolutions(list.Get("Properties.Image.Resolution"));
  facts->h264 = ListContains(list.Get("Properties.Image.Format"), "h264");
  const std::string ptz = Lower(list.Get("Properties.PTZ.PTZ"));
  facts->ptz_property = ptz == "yes" || ptz == "true";
  uint32_t fps = 0;
  facts->stream_fps =
      ParseUnsigned(list.Get("Image.I" + std::to_string(config_.channel - 1) + ".Stream.FPS"), &fps)
          ? fps
          : 0;
  facts->ports = IoPortsFromParams(list);
  uint32_t home = 0;
  if (ParseUnsigned(list.Get("PTZ.Preset.P0.HomePosition"), &home) && home > 0) {
    facts->home_preset = home;
  }
  // A camera without the group answers an error line for it among the others.
  const std::string sensor = SensorPrefix();
  facts->image_source = list.HasGroup(sensor.substr(0, sensor.size() - 1));
  facts->sensor.brightness = list.Find(sensor + "Sensor.Brightness") != nullptr;
  facts->sensor.color_level = list.Find(sensor + "Sensor.ColorLevel") != nullptr;
  facts->sensor.contrast = list.Find(sensor + "Sensor.Contrast") != nullptr;
  facts->sensor.sharpness = list.Find(sensor + "Sensor.Sharpness") != nullptr;
  facts->sensor.ir_cut_filter = list.Find(sensor + "DayNight.IrCutFilter") != nullptr;
  if (PtzOn(*facts)) return ReadPtzLimits(deadline, facts);
  return grpc::Status::OK;
}

grpc::Status VapixCamera::ReadPtzLimits(Deadline deadline, CameraFacts* facts) {
  HttpRequest request;
  request.target = std::string(CgiPath(Cgi::kPtz, facts->vapix3)) +
                   "?camera=" + std::to_string(config_.channel) + "&query=limits";
  HttpResponse response;
  if (grpc::Status status = Send(request, deadline, "ptz.cgi query=limits", &response);
      !status.ok()) {
    return status;
  }
  // A head without limits still takes continuous moves: the node then offers only those.
  auto limits = response.status == 200 ? ParsePtzLimits(response.body)
                                       : adapter_sdk::Result<PtzLimits>(adapter_sdk::Error{
                                             "HTTP " + std::to_string(response.status)});
  if (!limits) {
    adapter_sdk::LogInfo("camera ", config_.id, ": no PTZ limits (", limits.error().message,
                         "): continuous moves only");
    return grpc::Status::OK;
  }
  if (limits->pan || limits->tilt || limits->zoom) facts->ptz_limits = *limits;
  facts->focus_limits = ParseFocusLimits(response.body);
  return grpc::Status::OK;
}

grpc::Status VapixCamera::Facts(Deadline deadline, bool refresh, CameraFacts* facts) {
  {
    std::lock_guard lock(mutex_);
    if (facts_ && !(refresh && stale_)) {
      *facts = *facts_;
      return grpc::Status::OK;
    }
  }
  CameraFacts fresh;
  grpc::Status status = ReadFacts(deadline, &fresh);
  std::lock_guard lock(mutex_);
  if (!status.ok()) {
    if (!facts_) return status;
    *facts = *facts_;  // Facts outlive a camera that is down for a while.
    return grpc::Status::OK;
  }
  bool changed = !facts_ || *facts_ != fresh;
  bool back = true;
  if (restart_since_) {
    back = restart_seen_down_ || steady_clock::now() - *restart_since_ > kRestartGrace;
    if (back) {
      changed = true;  // The camera restarted into what may be new firmware or settings.
      restart_since_.reset();
    }
  }
  facts_ = fresh;
  stale_ = !back;
  if (changed) ++generation_;
  *facts = fresh;
  return grpc::Status::OK;
}

std::optional<CameraFacts> VapixCamera::KnownFacts() const {
  std::lock_guard lock(mutex_);
  return facts_;
}

bool VapixCamera::FactsOutdated() const {
  std::lock_guard lock(mutex_);
  return !facts_ || stale_;
}

bool VapixCamera::PtzOn(const CameraFacts& facts) const {
  return config_.ptz == Detect::kYes || (config_.ptz == Detect::kAuto && facts.ptz_property);
}

bool VapixCamera::RtspOn(const CameraFacts& facts) const {
  return config_.rtsp == Detect::kYes || (config_.rtsp == Detect::kAuto && facts.h264);
}

std::vector<uint32_t> VapixCamera::PresetSlots(const CameraFacts& facts) const {
  // Axis keeps the home position in server preset 1 ("Home") unless the camera says otherwise.
  const uint32_t home = facts.home_preset.value_or(1);
  std::vector<uint32_t> slots;
  for (uint32_t slot = 1; slot <= config_.presets; ++slot) {
    if (slot != home) slots.push_back(slot);
  }
  return slots;
}

void VapixCamera::ExpectRestart(bool facts_may_change) {
  std::lock_guard lock(mutex_);
  stale_ = true;
  if (facts_may_change) {
    restart_since_ = steady_clock::now();
    restart_seen_down_ = false;
  }
}

// ----------------------------------------------------------------------------- Operations

grpc::Status VapixCamera::Snapshot(Deadline deadline, std::string* jpeg) {
  HttpRequest request;
  request.target =
      std::string(CgiPath(Cgi::kSnapshot, true)) + "?camera=" + std::to_string(config_.channel);
  HttpResponse response;
  if (grpc::Status status = Exchange(std::move(request), deadline, "snapshot", &response);
      !status.ok()) {
    return status;
  }
  const std::string& body = response.body;
  if (response.MediaType() == "image/jpeg" && body.size() >= 2 &&
      static_cast<unsigned char>(body[0]) == 0xFF && static_cast<unsigned char>(body[1]) == 0xD8) {
    *jpeg = body;
    return grpc::Status::OK;
  }
  if (response.MediaType().starts_with("text/") || response.MediaType().empty()) {
    return CameraRefused("the snapshot", CameraText(body));
  }
  return Failed({grpc::StatusCode::UNAVAILABLE, "camera " + config_.id +
                                                    " answered the snapshot with " +
                                                    response.MediaType() + ", not a JPEG"});
}

grpc::Status VapixCamera::GetTime(Deadline deadline, CameraTime* time) {
  CameraFacts facts;
  if (grpc::Status status = Facts(deadline, false, &facts); !status.ok()) return status;
  HttpRequest params;
  params.target = PathOf(Cgi::kParam) + "?action=list&group=Time";
  HttpResponse response;
  if (grpc::Status status = Exchange(std::move(params), deadline, "param.cgi list Time", &response);
      !status.ok()) {
    return status;
  }
  const ParamList list = ParseParamList(response.body);
  if (const ParamError* error = list.ErrorFor("Time"); error != nullptr || !list.HasGroup("Time")) {
    return CameraRefused("to list the Time group",
                         error != nullptr ? CameraText(error->text) : CameraText(response.body));
  }
  time->posix_timezone = list.Get("Time.POSIXTimeZone");
  time->ntp = Lower(list.Get("Time.SyncSource")) == "ntp";
  auto offset = PosixZoneOffset(time->posix_timezone);
  if (!offset) {
    return Failed(
        {grpc::StatusCode::FAILED_PRECONDITION,
         "camera " + config_.id + ": cannot convert its clock to UTC: " + offset.error().message});
  }
  HttpRequest date;
  date.target = PathOf(Cgi::kDate) + "?action=get";
  if (grpc::Status status = Exchange(std::move(date), deadline, "date.cgi get", &response);
      !status.ok()) {
    return status;
  }
  auto local = ParseCameraDate(response.body);
  if (!local) return CameraRefused("to tell the date", local.error().message);
  time->utc_seconds = CivilToEpoch(*local) - *offset;
  return grpc::Status::OK;
}

grpc::Status VapixCamera::SetTime(Deadline deadline, int64_t utc_seconds, const std::string& zone,
                                  CameraTime* time) {
  CameraFacts facts;
  if (grpc::Status status = Facts(deadline, false, &facts); !status.ok()) return status;
  HttpRequest params;
  params.target = PathOf(Cgi::kParam) + "?action=list&group=Time";
  HttpResponse response;
  if (grpc::Status status = Exchange(std::move(params), deadline, "param.cgi list Time", &response);
      !status.ok()) {
    return status;
  }
  const ParamList list = ParseParamList(response.body);
  time->ntp = Lower(list.Get("Time.SyncSource")) == "ntp";
  time->posix_timezone = zone.empty() ? list.Get("Time.POSIXTimeZone") : zone;
  auto offset = PosixZoneOffset(time->posix_timezone);
  if (!offset) {
    return {
        zone.empty() ? grpc::StatusCode::FAILED_PRECONDITION : grpc::StatusCode::INVALID_ARGUMENT,
        "camera " + config_.id + ": " + offset.error().message};
  }
  const CivilTime local = EpochToCivil(utc_seconds + *offset);
  std::string target = PathOf(Cgi::kDate) + "?action=set&year=" + std::to_string(local.year) +
                       "&month=" + std::to_string(local.month) +
                       "&day=" + std::to_string(local.day) + "&hour=" + std::to_string(local.hour) +
                       "&minute=" + std::to_string(local.minute) +
                       "&second=" + std::to_string(local.second);
  if (!zone.empty()) target += "&timezone=" + adapter_sdk::UrlEncode(zone);
  HttpRequest set;
  set.target = std::move(target);
  if (grpc::Status status = Exchange(std::move(set), deadline, "date.cgi set", &response);
      !status.ok()) {
    return status;
  }
  if (auto checked = CheckControlReply(response.status, response.body); !checked) {
    return CameraRefused("the new date", checked.error().message,
                         grpc::StatusCode::INVALID_ARGUMENT);
  }
  time->utc_seconds = utc_seconds;
  adapter_sdk::LogInfo("camera ", config_.id, ": clock set (", time->posix_timezone, ")");
  return grpc::Status::OK;
}

grpc::Status VapixCamera::Reboot(Deadline deadline) {
  CameraFacts facts;
  if (grpc::Status status = Facts(deadline, false, &facts); !status.ok()) return status;
  HttpRequest request;
  request.target = PathOf(Cgi::kRestart);
  request.idempotent = false;  // Never restart twice.
  HttpResponse response;
  bool dropped = false;  // The camera may go down before it answers.
  if (grpc::Status status =
          Exchange(std::move(request), deadline, "restart.cgi", &response, &dropped);
      !status.ok() && !dropped) {
    return status;
  }
  if (auto checked = CheckNoErrorReply(response.body); !checked) {
    return CameraRefused("to restart", checked.error().message);
  }
  adapter_sdk::LogInfo("camera ", config_.id, ": restarting");
  ExpectRestart(false);
  return grpc::Status::OK;
}

grpc::Status VapixCamera::FactoryDefault(Deadline deadline, bool hard) {
  if (hard && !config_.hard_factory_default) {
    return {grpc::StatusCode::FAILED_PRECONDITION,
            "camera " + config_.id +
                ": a hard factory default is not allowed (hardfactorydefault.cgi also resets "
                "the camera's IP address and its root password); set hard_factory_default: true "
                "in the adapter's config to allow it"};
  }
  CameraFacts facts;
  if (grpc::Status status = Facts(deadline, false, &facts); !status.ok()) return status;
  HttpRequest request;
  request.target = PathOf(hard ? Cgi::kHardFactoryDefault : Cgi::kFactoryDefault);
  request.idempotent = false;
  const std::string what = hard ? "hardfactorydefault.cgi" : "factorydefault.cgi";
  HttpResponse response;
  bool dropped = false;  // The camera may go down before it answers.
  if (grpc::Status status = Exchange(std::move(request), deadline, what, &response, &dropped);
      !status.ok() && !dropped) {
    return status;
  }
  if (auto checked = CheckNoErrorReply(response.body); !checked) {
    return CameraRefused("the factory default", checked.error().message);
  }
  adapter_sdk::LogWarn("camera ", config_.id, ": ", hard ? "hard" : "soft",
                       " factory default ordered; the camera restarts");
  ExpectRestart(true);
  return grpc::Status::OK;
}

grpc::Status VapixCamera::SystemLog(Deadline deadline, std::vector<std::string>* lines) {
  CameraFacts facts;
  if (grpc::Status status = Facts(deadline, false, &facts); !status.ok()) return status;
  HttpRequest request;
  request.target = PathOf(Cgi::kSystemLog);
  HttpResponse response;
  if (grpc::Status status = Exchange(std::move(request), deadline, "systemlog.cgi", &response);
      !status.ok()) {
    return status;
  }
  std::vector<std::string_view> all = Lines(response.body);
  while (!all.empty() && all.back().empty()) all.pop_back();
  if (!all.empty() && IsErrorLine(all.front())) {
    return CameraRefused("its system log", CameraText(all.front()));
  }
  const size_t first = all.size() > kMaxLogLines ? all.size() - kMaxLogLines : 0;
  for (size_t i = first; i < all.size(); ++i) lines->emplace_back(all[i]);
  return grpc::Status::OK;
}

grpc::Status VapixCamera::UpgradeFirmware(Deadline deadline, const std::string& image) {
  std::string boundary = NewBoundary();
  while (image.find(boundary) != std::string::npos) boundary = NewBoundary();
  HttpRequest request;
  request.method = "POST";
  request.target = std::string(CgiPath(Cgi::kFirmwareUpgrade, true)) + "?type=normal";
  request.content_type = "multipart/form-data; boundary=" + boundary;
  request.body.reserve(image.size() + 256);
  request.body.append("--")
      .append(boundary)
      .append(
          "\r\nContent-Disposition: form-data; name=\"fileData\"; filename=\"firmware.bin\"\r\n"
          "Content-Type: application/octet-stream\r\n\r\n")
      .append(image)
      .append("\r\n--")
      .append(boundary)
      .append("--\r\n");
  request.idempotent = false;  // Flashing twice is never what anyone wants.
  request.timeout = kMaxUploadTime;
  HttpResponse response;
  const std::string camera = "camera " + config_.id;
  bool dropped = false;
  grpc::Status status = Send(request, deadline, "firmware upload", &response, &dropped);
  if (!status.ok()) {
    // Older cameras cut the connection as soon as flashing starts.
    if (dropped) {
      adapter_sdk::LogWarn(camera, ": firmware uploaded (", image.size(),
                           " bytes); the camera closed the connection to flash it");
      ExpectRestart(true);
      return grpc::Status::OK;
    }
    return status;
  }
  if (response.status < 200 || response.status >= 300) {
    return Failed(
        {response.status == 404 ? grpc::StatusCode::UNIMPLEMENTED : grpc::StatusCode::UNAVAILABLE,
         camera + " answered the firmware upload with HTTP " + std::to_string(response.status) +
             ": " + CameraText(response.body)});
  }
  Answered();
  if (auto checked = CheckControlReply(response.status, response.body); !checked) {
    // The camera checks the image before it flashes anything.
    return CameraRefused("the firmware image", checked.error().message,
                         grpc::StatusCode::INVALID_ARGUMENT);
  }
  adapter_sdk::LogWarn(camera, ": firmware uploaded (", image.size(),
                       " bytes); the camera flashes it and restarts");
  ExpectRestart(true);
  return grpc::Status::OK;
}

// -------------------------------------------------------------------------------- I/O ports

grpc::Status VapixCamera::CheckActive(Deadline deadline, const std::vector<uint32_t>& ports,
                                      std::map<uint32_t, bool>* active) {
  std::string list;
  for (uint32_t port : ports) {
    if (!list.empty()) list += ",";
    list += std::to_string(port);
  }
  HttpRequest request;
  request.target = std::string(CgiPath(Cgi::kPort, true)) + "?checkactive=" + list;
  HttpResponse response;
  if (grpc::Status status =
          Exchange(std::move(request), deadline, "port.cgi checkactive", &response);
      !status.ok()) {
    return status;
  }
  auto states = ParsePortActive(response.body);
  if (!states) return CameraRefused("to tell its port states", states.error().message);
  for (uint32_t port : ports) {
    if (!states->contains(port)) {
      return CameraRefused("to tell its port states", "no state for port " + std::to_string(port));
    }
  }
  *active = std::move(states).value();
  return grpc::Status::OK;
}

grpc::Status VapixCamera::SetOutput(Deadline deadline, uint32_t port, bool active,
                                    const RelayMode& mode) {
  std::string action = std::to_string(port) + (active ? ":/" : ":\\");
  if (active && mode.monostable) action += std::to_string(mode.delay.count()) + "\\";
  return Control(
      deadline,
      std::string(CgiPath(Cgi::kPort, true)) + "?action=" + adapter_sdk::UrlEncode(action),
      "port.cgi action " + action);
}

grpc::Status VapixCamera::SetPortActiveState(Deadline deadline, const IoPort& port, bool closed) {
  const std::string name = "IOPort.I" + std::to_string(port.number - 1) +
                           (port.output ? ".Output.Active" : ".Input.Trig");
  if (grpc::Status status = UpdateParams(deadline, {{name, closed ? "closed" : "open"}});
      !status.ok()) {
    return status;
  }
  // A change the adapter made: the cache follows without announcing it.
  std::lock_guard lock(mutex_);
  if (facts_) {
    for (IoPort& io : facts_->ports) {
      if (io.number == port.number) io.active_closed = closed;
    }
  }
  return grpc::Status::OK;
}

RelayMode VapixCamera::RelayModeOf(uint32_t port) const {
  std::lock_guard lock(mutex_);
  auto it = relay_modes_.find(port);
  return it == relay_modes_.end() ? RelayMode{} : it->second;
}

void VapixCamera::SetRelayMode(uint32_t port, const RelayMode& mode) {
  std::lock_guard lock(mutex_);
  relay_modes_[port] = mode;
}

// ---------------------------------------------------------------------------------- Imaging

std::string VapixCamera::SensorPrefix() const {
  return "ImageSource.I" + std::to_string(config_.channel - 1) + ".";
}

grpc::Status VapixCamera::ReadSensor(Deadline deadline, ParamList* list) {
  CameraFacts facts;
  if (grpc::Status status = Facts(deadline, false, &facts); !status.ok()) return status;
  const std::string group = SensorPrefix().substr(0, SensorPrefix().size() - 1);
  HttpRequest request;
  request.target = PathOf(Cgi::kParam) + "?action=list&group=" + group;
  HttpResponse response;
  const std::string what = "param.cgi list " + group;
  if (grpc::Status status = Exchange(std::move(request), deadline, what, &response); !status.ok()) {
    return status;
  }
  *list = ParseParamList(response.body);
  if (const ParamError* error = list->ErrorFor(group); error != nullptr || !list->HasGroup(group)) {
    return CameraRefused("to list the " + group + " group",
                         error != nullptr ? CameraText(error->text) : CameraText(response.body));
  }
  return grpc::Status::OK;
}

grpc::Status VapixCamera::UpdateParams(
    Deadline deadline, const std::vector<std::pair<std::string, std::string>>& pairs) {
  CameraFacts facts;
  if (grpc::Status status = Facts(deadline, false, &facts); !status.ok()) return status;
  std::string target = PathOf(Cgi::kParam) + "?action=update";
  std::string what;
  for (const auto& [name, value] : pairs) {
    target.append("&").append(name).append("=").append(adapter_sdk::UrlEncode(value));
    if (!what.empty()) what += ", ";
    what.append(name).append("=").append(value);
  }
  HttpRequest request;
  request.target = std::move(target);
  HttpResponse response;
  if (grpc::Status status = Exchange(std::move(request), deadline, "param.cgi update", &response);
      !status.ok()) {
    return status;
  }
  if (auto checked = CheckControlReply(response.status, response.body); !checked) {
    return CameraRefused(what, checked.error().message, grpc::StatusCode::INVALID_ARGUMENT);
  }
  return grpc::Status::OK;
}

void VapixCamera::NoteFocus(const FocusMotion& motion) {
  std::lock_guard lock(mutex_);
  focus_motion_ = motion;
}

FocusMotion VapixCamera::Focus() const {
  std::lock_guard lock(mutex_);
  return focus_motion_;
}

// ----------------------------------------------------------------------------------- Motion

grpc::Status VapixCamera::ReadMotion(std::stop_token stop,
                                     const std::function<void(const MotionRecord&)>& on_record) {
  const std::string camera = "camera " + config_.id;
  if (!http_) return Failed({grpc::StatusCode::INTERNAL, camera + ": " + client_error_});
  // Axis sends a record several times a second; a stream silent for this long is broken.
  const milliseconds stall = std::max(kMotionStall, config_.request_timeout);
  std::optional<std::string> refused;
  bool answered = false;
  auto read = http_->ReadLines(
      std::string(CgiPath(Cgi::kMotionData, true)) + "?group=0",
      [&](std::string_view line) {
        if (line.empty()) return true;
        if (auto record = ParseMotionRecord(line)) {
          answered = true;
          on_record(*record);
          return true;
        }
        if (IsErrorLine(line)) {
          refused = CameraText(line);
          return false;
        }
        return true;  // Something else: not ours to judge.
      },
      stall, stop);
  if (answered) Answered();
  if (refused) return CameraRefused("its motion data (motiondata.cgi)", *refused);
  if (read) return grpc::Status::OK;
  const std::string detail = Detail(read.error(), config_);
  switch (adapter_sdk::HttpErrorKindOf(read.error())) {
    case HttpErrorKind::kClosed:
      return {grpc::StatusCode::UNAVAILABLE, camera + ": the adapter is shutting down"};
    case HttpErrorKind::kProtocol:
      if (detail.find("answered HTTP 404") != std::string::npos) {
        return Failed({grpc::StatusCode::UNIMPLEMENTED,
                       camera + " has no motion/motiondata.cgi (HTTP 404: not on this model or "
                                "firmware)"});
      }
      return Failed({grpc::StatusCode::UNAVAILABLE, camera + " motion data: " + detail});
    case HttpErrorKind::kAuth:
      return Failed({grpc::StatusCode::FAILED_PRECONDITION, camera + " motion data: " + detail});
    case HttpErrorKind::kTooLarge:
      return Failed({grpc::StatusCode::RESOURCE_EXHAUSTED, camera + " motion data: " + detail});
    case HttpErrorKind::kTimeout:
    case HttpErrorKind::kConnect:
      break;
  }
  {
    // The camera went away: its facts are worth reading again.
    std::lock_guard lock(mutex_);
    stale_ = true;
    restart_seen_down_ = true;
  }
  return Failed({grpc::StatusCode::UNAVAILABLE, camera + " motion data: " + detail}, true);
}

// -------------------------------------------------------------------------------------- PTZ

grpc::Status VapixCamera::PtzCommand(Deadline deadline, const PtzParams& params,
                                     std::string_view what) {
  HttpRequest request;
  request.target =
      std::string(CgiPath(Cgi::kPtz, true)) + "?" + PtzQueryString(config_.channel, params);
  HttpResponse response;
  if (grpc::Status status = Exchange(std::move(request), deadline, what, &response); !status.ok()) {
    return status;
  }
  if (auto checked = CheckControlReply(response.status, response.body); !checked) {
    return CameraRefused(what, checked.error().message, grpc::StatusCode::INVALID_ARGUMENT);
  }
  return grpc::Status::OK;
}

grpc::Status VapixCamera::PtzQuery(Deadline deadline, std::string_view query, std::string* body) {
  HttpRequest request;
  request.target = std::string(CgiPath(Cgi::kPtz, true)) +
                   "?camera=" + std::to_string(config_.channel) + "&query=" + std::string(query);
  HttpResponse response;
  const std::string what = "ptz.cgi query=" + std::string(query);
  if (grpc::Status status = Exchange(std::move(request), deadline, what, &response); !status.ok()) {
    return status;
  }
  if (auto checked = CheckNoErrorReply(response.body); !checked) {
    return CameraRefused(what, checked.error().message);
  }
  *body = std::move(response.body);
  return grpc::Status::OK;
}

void VapixCamera::NoteMotion(std::optional<MotionKnowledge> pan_tilt,
                             std::optional<MotionKnowledge> zoom) {
  std::lock_guard lock(mutex_);
  if (pan_tilt) pan_tilt_motion_ = *pan_tilt;
  if (zoom) zoom_motion_ = *zoom;
}

std::pair<MotionKnowledge, MotionKnowledge> VapixCamera::Motion() const {
  std::lock_guard lock(mutex_);
  return {pan_tilt_motion_, zoom_motion_};
}

}  // namespace onvifgw::vapix
