#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "adapter/v1/adapter.pb.h"
#include "adapters/foscam/foscam_config.h"
#include "adapters/foscam/foscam_reply.h"
#include "adapters/sdk/http_client.h"

namespace onvifgw::foscam {

/// When a call must be answered by; every camera request is bounded by it and by the camera's
/// request_timeout_ms, whichever comes first.
using Deadline = std::chrono::steady_clock::time_point;

/// The camera's clock as get_status.cgi reports it.
struct CameraTime {
  int64_t utc_seconds = 0;  ///< `now`
  int64_t tz = 0;           ///< `tz`: seconds WEST of UTC
};

/// The sensor settings the camera has (get_camera_params.cgi / camera_control.cgi).
struct SensorSettings {
  int64_t brightness = 0;  ///< 0..255
  int64_t contrast = 0;    ///< 0..6
};
inline constexpr int64_t kMaxBrightness = 255;
inline constexpr int64_t kMaxContrast = 6;
inline constexpr uint32_t kBrightnessParam = 1;
inline constexpr uint32_t kContrastParam = 2;

/// How the external relay behaves; the camera keeps none of it (the adapter does).
struct RelaySettings {
  /// Monostable: back to idle after `delay` (the adapter times the pulse).
  bool monostable = false;
  std::chrono::milliseconds delay{0};
  /// The contact when inactive.
  bool idle_closed = false;
};
/// The longest monostable pulse accepted.
inline constexpr std::chrono::milliseconds kMaxRelayDelay{3600 * 1000};

/// Where one StreamEvents call collects the events of its cameras. Thread-safe.
class EventQueue {
 public:
  /// Events kept for a reader that does not keep up; older ones are dropped beyond this.
  static constexpr size_t kMaxQueued = 1000;

  void Push(adapter::v1::Event event);
  /// Waits up to `timeout` for events and takes them all (possibly none); false once closed.
  bool Wait(std::chrono::milliseconds timeout, std::vector<adapter::v1::Event>* events);
  /// Ends every Wait (false).
  void Close();

 private:
  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::deque<adapter::v1::Event> events_;
  bool closed_ = false;
};

/// One classic Foscam MJPEG camera over its own HttpClient (Basic sent at once, one connection
/// per request: the camera answers 401 without a challenge and closes after every reply). Every
/// reply is checked (`ok.` / `error: illegal params.` with HTTP 200, `var` lines); failures come
/// back as grpc::Status and are logged without the password. The camera's server handles one
/// request at a time, so the adapter sends them one at a time too. All methods are thread-safe.
class FoscamCamera {
 public:
  static constexpr const char* kSourceId = "0";
  static constexpr const char* kStreamId = "mjpeg";
  static constexpr const char* kPtzNodeId = "0";
  static constexpr const char* kInputId = "input-1";
  static constexpr const char* kRelayId = "relay-1";
  static constexpr const char* kIrOn = "tt:IRLamp|On";
  static constexpr const char* kIrOff = "tt:IRLamp|Off";
  static constexpr uint32_t kWidth = 640;
  static constexpr uint32_t kHeight = 480;
  /// What an FI8918W delivers at VGA with rate=0 (full speed).
  static constexpr float kFramerate = 15;
  static constexpr uint32_t kRebootDowntimeSeconds = 45;

  explicit FoscamCamera(CameraConfig config);
  /// Closes the client and stops the event poller.
  ~FoscamCamera();
  FoscamCamera(const FoscamCamera&) = delete;
  FoscamCamera& operator=(const FoscamCamera&) = delete;

  const CameraConfig& config() const { return config_; }

  /// Fails requests in flight and later ones (UNAVAILABLE) and ends the event poller; for
  /// shutdown.
  void Close();

  // ------------------------------------------------------------------------ Facts (no I/O)

  /// http://user:pass@host:port/videostream.cgi?resolution=32&rate=0 (credentials
  /// percent-encoded; also as user/pwd query parameters with credentials_in_query).
  std::string StreamUri() const;
  /// Source "0", 640x480, with the one MJPEG stream "mjpeg".
  void FillVideoSources(adapter::v1::VideoSourceList* sources) const;
  /// "tt:IRLamp|On", "tt:IRLamp|Off".
  static std::vector<std::string> AuxiliaryCommands();

  // ------------------------------------------------------------------------------ Requests

  /// get_status.cgi: manufacturer and model from the config, firmware = sys_ver, serial = id,
  /// hardware id = the model.
  grpc::Status DeviceInformation(Deadline deadline, adapter::v1::DeviceInformation* info);
  /// snapshot.cgi?resolution=32: an image/jpeg reply starting FF D8, else an error with the
  /// camera's text.
  grpc::Status Snapshot(Deadline deadline, std::string* jpeg);
  /// get_status.cgi now and tz.
  grpc::Status GetTime(Deadline deadline, CameraTime* time);
  /// set_datetime.cgi?now=..&tz=..&ntp_enable=0, `tz` (seconds west) or the camera's current
  /// one; then the clock as the camera has it.
  grpc::Status SetTime(Deadline deadline, int64_t utc_seconds, std::optional<int64_t> tz,
                       CameraTime* time);
  /// reboot.cgi (sent once).
  grpc::Status Reboot(Deadline deadline);
  /// restore_factory.cgi (sent once); the caller checks allow_factory_default.
  grpc::Status RestoreFactory(Deadline deadline);
  /// get_log.cgi, one entry per line, in the camera's order.
  grpc::Status SystemLog(Deadline deadline, std::vector<std::string>* lines);
  /// The IR lamp through decoder_control (ir_on_code / the other code); INVALID_ARGUMENT for a
  /// command not in AuxiliaryCommands().
  grpc::Status Auxiliary(Deadline deadline, const std::string& command);

  /// get_camera_params.cgi brightness and contrast.
  grpc::Status GetSensor(Deadline deadline, SensorSettings* settings);
  /// camera_control.cgi?param=..&value=..; `what` names the setting in messages.
  grpc::Status SetSensor(Deadline deadline, uint32_t param, int64_t value, std::string_view what);
  /// get_status.cgi alarm_status (0 none, 1 motion, 2 input). `quiet`: failures not logged.
  grpc::Status AlarmStatus(Deadline deadline, int64_t* status, bool quiet = false);

  // ---------------------------------------------------------------------------------- Relay

  /// The relay "relay-1" (with `relay`) as the adapter last drove it: the camera reports neither
  /// the contact nor any setting, so until the first command it is taken to be idle.
  adapter::v1::RelayOutput Relay() const;
  /// New settings; the relay is driven to its (new) idle contact at once.
  grpc::Status SetRelaySettings(Deadline deadline, const RelaySettings& settings,
                                adapter::v1::RelayOutput* relay);
  /// Drives the contact (22 closes, 23 opens); a monostable activation goes back to idle after
  /// its delay (a later command cancels the pending return).
  grpc::Status SetRelayActive(Deadline deadline, bool active, adapter::v1::RelayOutput* relay);

  // ----------------------------------------------------------------------------------- PTZ

  /// Pan/tilt: the dominant direction of the velocity, or command=1 in the dead zone; zoom
  /// (when configured): 18 tele / 16 wide, or their stop. An absent group is left alone.
  grpc::Status ContinuousMove(Deadline deadline, std::optional<std::pair<double, double>> pan_tilt,
                              std::optional<double> zoom);
  /// command=1 for pan/tilt; 17 / 19 for the zoom (the stop of its last direction, both when
  /// unknown). Axes the node lacks are ignored.
  grpc::Status Stop(Deadline deadline, bool pan_tilt, bool zoom);
  /// 30 + 2(n-1) / 31 + 2(n-1); the caller checks the slot against `presets`.
  grpc::Status SetPreset(Deadline deadline, uint32_t slot);
  grpc::Status GotoPreset(Deadline deadline, uint32_t slot);
  /// command=25 (center).
  grpc::Status GotoHome(Deadline deadline);
  /// Asks get_status.cgi whether the camera answers, then what the adapter knows of the motion:
  /// MOVING after a continuous move, IDLE after a stop, UNKNOWN (with `error`) otherwise.
  grpc::Status PtzStatus(Deadline deadline, adapter::v1::PtzStatus* status);

  // -------------------------------------------------------------------------------- Events

  /// Adds a StreamEvents call. While at least one is subscribed, a thread polls get_status.cgi
  /// every events_poll_ms and turns alarm_status changes into MotionEvents (source "0") and,
  /// with `input`, DigitalInputEvents ("input-1"); the first poll reports the current state,
  /// and a call that joins later gets the state known so far at once.
  void Subscribe(const std::shared_ptr<EventQueue>& queue);
  /// Removes a call; the poller stops when none is left.
  void Unsubscribe(const std::shared_ptr<EventQueue>& queue);

 private:
  enum class Motion { kUnknown, kIdle, kMoving, kGoing };

  // The request target: /cgi?query, plus user=&pwd= with credentials_in_query. Never logged.
  std::string Target(std::string_view cgi, std::string_view query) const;
  // Logs `message` (unless quiet) and returns it with `code`.
  grpc::Status Fail(grpc::StatusCode code, const std::string& message, bool quiet) const;
  // One GET, one at a time per camera; transport failures and HTTP statuses other than 200
  // mapped to a status.
  grpc::Status Send(std::string_view cgi, std::string_view query, Deadline deadline,
                    std::string_view what, bool idempotent, bool quiet,
                    adapter_sdk::HttpResponse* response);
  // A CGI that answers `ok.`.
  grpc::Status Command(std::string_view cgi, std::string_view query, Deadline deadline,
                       std::string_view what, bool idempotent = true);
  // A CGI that answers `var` lines.
  grpc::Status ReadVars(std::string_view cgi, Deadline deadline, std::string_view what, Vars* vars,
                        bool quiet = false);
  // An integer of a `var` reply, UNAVAILABLE when missing.
  grpc::Status ReadInt(const Vars& vars, std::string_view cgi, std::string_view name,
                       int64_t* value, bool quiet = false) const;
  grpc::Status Decoder(Deadline deadline, uint32_t code, std::string_view what);
  // Takes ptz_mutex_ by the deadline.
  grpc::Status LockPtz(Deadline deadline, std::unique_lock<std::timed_mutex>* lock) const;
  std::vector<uint32_t> ZoomStopCodes() const;

  // Drives the switch to `closed`, under relay_mutex_.
  grpc::Status DriveSwitch(Deadline deadline, bool closed);
  adapter::v1::RelayOutput RelayLocked() const;
  // Ends a pending monostable return; under relay_command_mutex_, not relay_mutex_.
  void CancelPulse();

  // set_alarm.cgi motion_armed=1 (and input_armed=1 with `input`) for the causes get_params.cgi
  // shows disarmed; logs what it did or why it could not.
  void ArmAlarms(Deadline deadline);
  void PollLoop();
  // Under events_mutex_: the events of a new alarm_status for every listener.
  void Publish(int64_t alarm_status);
  std::vector<adapter::v1::Event> StateEvents(int64_t alarm_status, bool motion, bool input) const;

  const CameraConfig config_;
  std::unique_ptr<adapter_sdk::HttpClient> client_;
  std::string client_error_;  // Why there is no client (bad settings).

  // One request at a time: the camera's server is single-threaded.
  mutable std::timed_mutex request_mutex_;

  // Held across a PTZ command and the knowledge it changes, so both stay in order.
  mutable std::timed_mutex ptz_mutex_;
  Motion pan_tilt_motion_ = Motion::kUnknown;  // Guarded by ptz_mutex_.
  Motion zoom_motion_ = Motion::kUnknown;      // Guarded by ptz_mutex_.
  uint32_t last_zoom_code_ = 0;                // Guarded by ptz_mutex_: 16, 18 or 0 (none yet).

  mutable std::mutex relay_mutex_;
  RelaySettings relay_settings_;  // Guarded by relay_mutex_.
  bool switch_closed_ = false;    // Guarded by relay_mutex_: the contact as last driven.
  // One relay command at a time; guards pulse_. Taken before relay_mutex_, never by the pulse.
  std::mutex relay_command_mutex_;
  std::jthread pulse_;  // The pending monostable return, if any.

  std::mutex events_mutex_;
  std::condition_variable events_wakeup_;
  std::vector<std::shared_ptr<EventQueue>> listeners_;  // Guarded by events_mutex_.
  std::optional<int64_t> alarm_status_;  // Guarded by events_mutex_: last polled, while polling.
  bool polling_ = false;                 // Guarded by events_mutex_.
  bool closing_ = false;                 // Guarded by events_mutex_.
  bool armed_ = false;                   // Guarded by events_mutex_: ArmAlarms done.
  std::thread poller_;
};

}  // namespace onvifgw::foscam
