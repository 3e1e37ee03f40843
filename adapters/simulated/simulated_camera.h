#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapter/v1/adapter.pb.h"
#include "adapters/sdk/result.h"
#include "adapters/simulated/camera_configuration.h"
#include "adapters/simulated/clock.h"
#include "adapters/simulated/simulated_config.h"
#include "adapters/simulated/simulated_imaging.h"
#include "adapters/simulated/simulated_ptz_head.h"

namespace onvifgw::simulated {

/// The state of one simulated camera: its clock (real UTC plus an offset that SetTime changes),
/// its time zone, its relay outputs, its video streams' encoder settings, its PTZ head (with
/// `ptz: true`), its sensor's imaging settings and focus lens, its digital inputs' idle states,
/// and whether it is rebooting. Everything lives in memory: a new camera starts from
/// the defaults. Thread-safe.
class SimulatedCamera {
 public:
  /// The state of the camera's clock at one instant.
  struct TimeState {
    std::chrono::system_clock::time_point utc;
    std::string posix_timezone;
    bool ntp_synchronized = true;
  };

  /// `clock` must outlive the camera.
  SimulatedCamera(CameraConfig config, const Clock& clock);

  const CameraConfig& config() const { return config_; }

  /// The camera's clock now. Starts equal to the system clock, "NTP synchronized", in "UTC0".
  TimeState Time() const;

  /// Sets the clock (no longer NTP synchronized); an empty `posix_timezone` keeps the current one.
  void SetTime(std::chrono::system_clock::time_point utc, const std::string& posix_timezone);

  /// The auxiliary commands the camera takes: an IR lamp and a wiper, in ONVIF's reserved forms.
  static const std::vector<std::string>& AuxiliaryCommands();
  /// Runs one of AuxiliaryCommands() and returns the state it leaves ("IRLamp=On"); nullopt for
  /// any other command. The IR lamp starts Auto, the wiper Off.
  std::optional<std::string> RunAuxiliaryCommand(const std::string& command);

  /// Puts the clock, the time zone, the relays, the stream encodings, the IR lamp and wiper, the
  /// imaging settings and the inputs' idle states back as a new camera has them (a factory
  /// default); a `hard` one also forgets the PTZ head's presets and home position. The head and
  /// the focus lens stay where they are.
  void RestoreDefaults(bool hard = false);

  /// The PTZ head on video source "0"; nullptr for a camera without PTZ.
  SimulatedPtzHead* Ptz() const { return ptz_.get(); }

  /// The focus lens of the sensor of video source "0" (every camera has one).
  SimulatedFocusLens& Focus() const { return *focus_; }
  /// The imaging settings of video source "0", every field present; they start as
  /// DefaultImagingSettings().
  onvifgw::adapter::v1::ImagingSettings Imaging() const;
  /// Changes the fields `change` has (MergeImagingSettings) and returns the settings now; an
  /// Error, and no change, for a value outside the options. Checked and stored under one lock.
  adapter_sdk::Result<onvifgw::adapter::v1::ImagingSettings> SetImaging(
      const onvifgw::adapter::v1::ImagingSettings& change);

  /// The idle state of each digital input, "input-1" first (config `digital_inputs` of them);
  /// they start closed.
  std::vector<onvifgw::adapter::v1::RelayIdleState> InputIdleStates() const;
  /// The 1-based number of input `input_id` ("input-<n>"), or 0 if there is no such input.
  uint32_t InputNumber(const std::string& input_id) const;
  /// Sets input `number`'s (1..digital_inputs) idle state; the caller has validated it.
  void SetInputIdleState(uint32_t number, onvifgw::adapter::v1::RelayIdleState idle_state);

  /// What its configuration file keeps (ExportConfiguration).
  CameraSettings Settings() const;
  /// Puts back what Settings() gave (ImportConfiguration); an Error, and no
  /// change, when they name a relay or stream the camera does not have, or
  /// carry PTZ presets for a camera without PTZ, imaging settings outside the
  /// options or other inputs than the camera's. Settings without PTZ, imaging
  /// or inputs (a file from before them) leave those as they are.
  adapter_sdk::Result<void> ApplySettings(const CameraSettings& settings);

  /// The firmware the camera runs: the config's until an upgrade installs
  /// another (a factory default keeps it).
  std::string Firmware() const;
  /// Installs `version`; the facts the gateway cached change with it.
  void InstallFirmware(const std::string& version);
  /// Counts the changes of what the gateway caches (firmware so far): an
  /// event stream sends FactsChanged when it sees a new value.
  uint64_t FactsGeneration() const;

  /// The camera's own log (GetSystemLog): what happened to it, oldest first,
  /// each line stamped with the camera's clock; the last kMaxLogLines.
  static constexpr std::size_t kMaxLogLines = 256;
  void Log(const std::string& line);
  std::vector<std::string> LogLines() const;

  /// Starts a reboot that lasts `downtime` from now.
  void BeginReboot(std::chrono::steady_clock::duration downtime);

  /// When the current reboot ends; a time in the past when the camera is up.
  std::chrono::steady_clock::time_point RebootingUntil() const;
  bool IsRebooting() const { return clock_.SteadyNow() < RebootingUntil(); }

  /// Longest monostable hold time a relay accepts.
  static constexpr std::chrono::milliseconds kMaxRelayDelay{3'600'000};

  /// Every relay with its state now (a monostable relay whose hold time has
  /// passed reads inactive). Relays start bistable, idle open, inactive.
  std::vector<onvifgw::adapter::v1::RelayOutput> Relays() const;
  /// One relay as it is now; nullopt if there is no such relay.
  std::optional<onvifgw::adapter::v1::RelayOutput> Relay(const std::string& relay_id) const;
  /// Replaces a relay's mode, delay and idle state; the caller has validated them. The
  /// logical state is kept (a monostable relay's hold time starts at its next activation).
  bool ConfigureRelay(const std::string& relay_id, onvifgw::adapter::v1::RelayMode mode,
                      std::chrono::milliseconds delay,
                      onvifgw::adapter::v1::RelayIdleState idle_state);
  /// Activates or deactivates a relay; false if there is no such relay.
  bool SetRelayActive(const std::string& relay_id, bool active);

  /// The streams of video source "0" as they are encoded now, "main" then "sub"; they start as
  /// DefaultVideoStreams(config).
  std::vector<onvifgw::adapter::v1::VideoStream> VideoStreams() const;
  /// Whether source "0" has this stream (the set of streams never changes).
  bool HasVideoStream(const std::string& stream_id) const;
  /// Re-encodes the stream `request.stream_id()` (see ApplyEncoderRequest) and returns it as it is
  /// now; an Error, and no change, for an unknown stream or values outside its options. Checked
  /// and stored under one lock so that concurrent changes cannot interleave.
  adapter_sdk::Result<onvifgw::adapter::v1::VideoStream> ApplyVideoEncoder(
      const onvifgw::adapter::v1::ApplyVideoEncoderConfigurationRequest& request);

 private:
  const CameraConfig config_;
  const Clock& clock_;
  const std::unique_ptr<SimulatedPtzHead> ptz_;      // Thread-safe itself.
  const std::unique_ptr<SimulatedFocusLens> focus_;  // Thread-safe itself.
  mutable std::mutex mutex_;
  std::chrono::system_clock::duration offset_{0};
  std::string posix_timezone_ = "UTC0";
  bool ntp_synchronized_ = true;
  std::chrono::steady_clock::time_point rebooting_until_{};
  std::string ir_lamp_;            // Guarded by mutex_: "On", "Off" or "Auto".
  std::string wiper_;              // Guarded by mutex_: "On" or "Off".
  std::string firmware_;           // Guarded by mutex_.
  uint64_t facts_generation_ = 0;  // Guarded by mutex_.
  std::deque<std::string> log_;    // Guarded by mutex_.

  // Guarded by mutex_: the sensor's settings, and each input's idle state ("input-1" first).
  onvifgw::adapter::v1::ImagingSettings imaging_;
  std::vector<onvifgw::adapter::v1::RelayIdleState> input_idle_;

  struct RelayState {
    onvifgw::adapter::v1::RelayOutput settings;            // `active` unused: derived below
    bool active = false;                                   // bistable state
    std::chrono::steady_clock::time_point active_until{};  // monostable state
  };
  RelayState* FindRelayLocked(const std::string& relay_id);
  onvifgw::adapter::v1::RelayOutput ViewLocked(const RelayState& relay) const;
  std::vector<RelayState> relays_;                                // Guarded by mutex_.
  std::vector<onvifgw::adapter::v1::VideoStream> video_streams_;  // Guarded by mutex_.
};

}  // namespace onvifgw::simulated
