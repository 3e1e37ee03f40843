#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sdk/http_client.h"
#include "adapters/vapix/vapix_config.h"
#include "adapters/vapix/vapix_params.h"
#include "adapters/vapix/vapix_ptz.h"

namespace onvifgw::vapix {

/// When a call must be answered by; every camera request is bounded by it and by the camera's
/// request_timeout_ms, whichever comes first.
using Deadline = std::chrono::steady_clock::time_point;

/// The imaging settings ImageSource.I<channel-1> lists (each on the camera's 0..100 scale but the
/// IR cut filter).
struct SensorFacts {
  bool brightness = false;     ///< Sensor.Brightness
  bool color_level = false;    ///< Sensor.ColorLevel (ONVIF color saturation)
  bool contrast = false;       ///< Sensor.Contrast
  bool sharpness = false;      ///< Sensor.Sharpness
  bool ir_cut_filter = false;  ///< DayNight.IrCutFilter=yes|no|auto
  bool Any() const { return brightness || color_level || contrast || sharpness || ir_cut_filter; }
  bool operator==(const SensorFacts&) const = default;
};

/// What the adapter reads from a camera once and caches: the Brand, Properties and IOPort groups
/// (plus the stream frame-rate cap, the home preset and the image source), and for a PTZ camera
/// query=limits.
struct CameraFacts {
  bool vapix3 = false;                  ///< Properties.API.HTTP.Version=3: v3 CGI paths.
  std::string brand;                    ///< Brand.Brand
  std::string product_number;           ///< Brand.ProdNbr
  std::string product_full_name;        ///< Brand.ProdFullName
  std::string product_short_name;       ///< Brand.ProdShortName
  std::string firmware_version;         ///< Properties.Firmware.Version
  std::string serial_number;            ///< Properties.System.SerialNumber
  std::string hardware_id;              ///< Properties.System.HardwareID
  std::vector<Resolution> resolutions;  ///< Properties.Image.Resolution (WxH ones)
  bool h264 = false;                    ///< Properties.Image.Format lists h264.
  bool ptz_property = false;            ///< Properties.PTZ.PTZ=yes
  uint32_t stream_fps = 0;              ///< Image.I<channel-1>.Stream.FPS; 0: the camera's max.
  std::vector<IoPort> ports;            ///< IOPort.I#
  /// query=limits, when PTZ is on and the camera answered it (else: continuous moves only).
  std::optional<PtzLimits> ptz_limits;
  /// PTZ.Preset.P0.HomePosition: the server preset that is the home position.
  std::optional<uint32_t> home_preset;
  /// ImageSource.I<channel-1> is listed: the channel has a sensor, hence motion data
  /// (motion/motiondata.cgi).
  bool image_source = false;
  SensorFacts sensor;
  /// MinFocus/MaxFocus of query=limits, when PTZ is on: a lens whose focus ptz.cgi moves.
  std::optional<Range> focus_limits;
  bool operator==(const CameraFacts&) const = default;
};

/// The camera's clock as the adapter API wants it.
struct CameraTime {
  int64_t utc_seconds = 0;
  std::string posix_timezone;
  bool ntp = false;
};

/// What the adapter knows about a PTZ axis group's motion (without position feedback of motion,
/// only what it ordered itself).
enum class MotionKnowledge { kUnknown, kIdle, kMoving };

/// What the adapter ordered the focus lens last (Axis does not report lens motion).
struct FocusMotion {
  enum class Kind { kUnknown, kStopped, kToward, kContinuous };
  Kind kind = Kind::kUnknown;
  double target = 0;  ///< kToward: the position it heads for.
  int direction = 0;  ///< kContinuous: +1 towards far, -1 towards near.
};

/// A relay's settings that VAPIX has no parameter for: kept in memory (bistable at start).
struct RelayMode {
  bool monostable = false;
  std::chrono::milliseconds delay{0};
};

/// One Axis camera channel over its own HttpClient. Every reply is checked (VAPIX reports errors
/// with HTTP 200); failures come back as grpc::Status, each distinct failure logged once (never
/// with the password) until the camera answers again. All methods are thread-safe.
class VapixCamera {
 public:
  explicit VapixCamera(CameraConfig config);
  ~VapixCamera();
  VapixCamera(const VapixCamera&) = delete;
  VapixCamera& operator=(const VapixCamera&) = delete;

  const CameraConfig& config() const { return config_; }

  /// Fails requests in flight and later ones (UNAVAILABLE); for shutdown.
  void Close();

  // ---------------------------------------------------------------------------------- Facts

  /// The cached facts; read first when there are none, and when `refresh` and they are stale (a
  /// request failed since, or the camera restarted). A failed refresh keeps the cached facts.
  grpc::Status Facts(Deadline deadline, bool refresh, CameraFacts* facts);
  /// The cached facts without any request (stale or not); nullopt before the first read.
  std::optional<CameraFacts> KnownFacts() const;
  /// Whether the facts are unknown or stale.
  bool FactsOutdated() const;
  /// Counts the times the facts became known or changed (a restart that may change them counts
  /// once the camera is back), so event streams can announce FactsChanged.
  uint64_t FactsGeneration() const { return generation_; }
  /// The generation the last Describe answered with.
  uint64_t DescribedGeneration() const { return described_generation_; }
  void SetDescribedGeneration(uint64_t generation) { described_generation_ = generation; }

  /// What the config and the facts decide.
  bool PtzOn(const CameraFacts& facts) const;
  bool RtspOn(const CameraFacts& facts) const;
  /// Server presets 1..presets without the home preset (1 unless the camera names another).
  std::vector<uint32_t> PresetSlots(const CameraFacts& facts) const;

  // ----------------------------------------------------------------------------- Operations

  /// jpg/image.cgi: a JPEG (image/jpeg, starting FF D8), else the camera's text.
  grpc::Status Snapshot(Deadline deadline, std::string* jpeg);
  /// date.cgi action=get and the Time group, converted to UTC.
  grpc::Status GetTime(Deadline deadline, CameraTime* time);
  /// date.cgi action=set with the local time of `zone` (empty: the camera's own zone).
  grpc::Status SetTime(Deadline deadline, int64_t utc_seconds, const std::string& zone,
                       CameraTime* time);
  /// restart.cgi.
  grpc::Status Reboot(Deadline deadline);
  /// factorydefault.cgi, or hardfactorydefault.cgi when `hard` (FAILED_PRECONDITION unless the
  /// config allows it).
  grpc::Status FactoryDefault(Deadline deadline, bool hard);
  /// systemlog.cgi, oldest line first.
  grpc::Status SystemLog(Deadline deadline, std::vector<std::string>* lines);
  /// firmwareupgrade.cgi?type=normal (multipart POST, sent once). OK once the camera took the
  /// image: it answered OK, or dropped the connection after the whole upload (flashing started).
  grpc::Status UpgradeFirmware(Deadline deadline, const std::string& image);

  /// port.cgi?checkactive=...: port number -> active.
  grpc::Status CheckActive(Deadline deadline, const std::vector<uint32_t>& ports,
                           std::map<uint32_t, bool>* active);
  /// port.cgi?action=N:/ (active) or N:\ (inactive); a monostable activation is the pulse
  /// N:/<delay>\ .
  grpc::Status SetOutput(Deadline deadline, uint32_t port, bool active, const RelayMode& mode);
  /// IOPort.I<N-1>.Output.Active (an output) or .Input.Trig (an input) = closed|open: the
  /// circuit's state when active. The camera's refusal is INVALID_ARGUMENT.
  grpc::Status SetPortActiveState(Deadline deadline, const IoPort& port, bool closed);
  RelayMode RelayModeOf(uint32_t port) const;
  void SetRelayMode(uint32_t port, const RelayMode& mode);

  // ---------------------------------------------------------------------------- Imaging

  /// "ImageSource.I<channel-1>."
  std::string SensorPrefix() const;
  /// param.cgi list of ImageSource.I<channel-1>.
  grpc::Status ReadSensor(Deadline deadline, ParamList* list);
  /// One param.cgi update of every pair (full names, values unencoded): the camera takes all of
  /// them or none. Its refusal is INVALID_ARGUMENT with its words.
  grpc::Status UpdateParams(Deadline deadline,
                            const std::vector<std::pair<std::string, std::string>>& pairs);
  void NoteFocus(const FocusMotion& motion);
  FocusMotion Focus() const;

  // ----------------------------------------------------------------------------- Motion

  /// Reads motion/motiondata.cgi?group=0 until `stop` is requested (OK), the camera ends the
  /// stream (OK) or it fails (the status: UNIMPLEMENTED for a camera without it); `on_record` is
  /// called with each record, on the HTTP client's thread.
  grpc::Status ReadMotion(std::stop_token stop,
                          const std::function<void(const MotionRecord&)>& on_record);

  /// ptz.cgi with `params` (a command: 204, empty or OK); `what` names it in messages.
  grpc::Status PtzCommand(Deadline deadline, const PtzParams& params, std::string_view what);
  /// ptz.cgi?query=`query`: the reply body, error lines refused.
  grpc::Status PtzQuery(Deadline deadline, std::string_view query, std::string* body);
  /// What the adapter ordered last, per axis group.
  void NoteMotion(std::optional<MotionKnowledge> pan_tilt, std::optional<MotionKnowledge> zoom);
  std::pair<MotionKnowledge, MotionKnowledge> Motion() const;

 private:
  // One request: transport failures mapped to a status (and the facts marked stale); any HTTP
  // status is returned in `response`. With `dropped_after_request`, a connection the camera
  // closed once the whole request was sent sets it and is not logged (the caller decides).
  grpc::Status Send(adapter_sdk::HttpRequest request, Deadline deadline, std::string_view what,
                    adapter_sdk::HttpResponse* response, bool* dropped_after_request = nullptr);
  // An HTTP status other than 2xx mapped to a status with the camera's text.
  grpc::Status CheckHttpStatus(const adapter_sdk::HttpResponse& response, std::string_view target,
                               std::string_view what);
  // Send, then CheckHttpStatus.
  grpc::Status Exchange(adapter_sdk::HttpRequest request, Deadline deadline, std::string_view what,
                        adapter_sdk::HttpResponse* response, bool* dropped_after_request = nullptr);
  // A GET of `path?query`, checked as a control reply.
  grpc::Status Control(Deadline deadline, std::string target, std::string_view what);
  // The path of `cgi` for this camera's VAPIX generation (v3 until known otherwise).
  std::string PathOf(Cgi cgi) const;
  // Reads every fact (the probe of the VAPIX generation included).
  grpc::Status ReadFacts(Deadline deadline, CameraFacts* facts);
  grpc::Status ReadPtzLimits(Deadline deadline, CameraFacts* facts);
  // A camera's error text for `what`: FAILED_PRECONDITION by default.
  grpc::Status CameraRefused(std::string_view what, const std::string& text,
                             grpc::StatusCode code = grpc::StatusCode::FAILED_PRECONDITION);
  // Logs `status` unless it repeats the last failure, and returns it. `unreachable`: the camera
  // did not answer (or answered 5xx) rather than refusing a request.
  grpc::Status Failed(grpc::Status status, bool unreachable = false);
  // The camera answered: after it was unreachable, say so once.
  void Answered();
  // After a restart the camera ordered: facts are re-read once it is back.
  void ExpectRestart(bool facts_may_change);

  const CameraConfig config_;
  std::unique_ptr<adapter_sdk::HttpClient> http_;
  std::string client_error_;  // why http_ could not be made

  mutable std::mutex mutex_;
  std::optional<CameraFacts> facts_;  // Guarded by mutex_.
  bool stale_ = false;                // Guarded by mutex_.
  // A restart was ordered: the next successful read after the camera was seen down (or after
  // kRestartGrace) counts as a change.
  std::optional<std::chrono::steady_clock::time_point> restart_since_;  // Guarded by mutex_.
  bool restart_seen_down_ = false;                                      // Guarded by mutex_.
  std::string last_failure_;                                            // Guarded by mutex_.
  bool unreachable_ = false;                                            // Guarded by mutex_.
  std::map<uint32_t, RelayMode> relay_modes_;                           // Guarded by mutex_.
  MotionKnowledge pan_tilt_motion_ = MotionKnowledge::kUnknown;         // Guarded by mutex_.
  MotionKnowledge zoom_motion_ = MotionKnowledge::kUnknown;             // Guarded by mutex_.
  FocusMotion focus_motion_;                                            // Guarded by mutex_.
  std::atomic<uint64_t> generation_{0};
  std::atomic<uint64_t> described_generation_{0};
};

}  // namespace onvifgw::vapix
