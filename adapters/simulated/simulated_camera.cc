#include "adapters/simulated/simulated_camera.h"

#include <algorithm>
#include <ctime>

#include "adapters/simulated/video_streams.h"

namespace onvifgw::simulated {

namespace v1 = onvifgw::adapter::v1;

SimulatedCamera::SimulatedCamera(CameraConfig config, const Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      ptz_(config_.ptz ? std::make_unique<SimulatedPtzHead>(clock) : nullptr),
      focus_(std::make_unique<SimulatedFocusLens>(clock)),
      firmware_(config_.firmware) {
  RestoreDefaults();
}

void SimulatedCamera::RestoreDefaults(bool hard) {
  if (hard && ptz_) ptz_->SetMemory({});
  std::lock_guard<std::mutex> lock(mutex_);
  offset_ = {};
  posix_timezone_ = "UTC0";
  ntp_synchronized_ = true;
  video_streams_ = DefaultVideoStreams(config_);
  ir_lamp_ = "Auto";
  wiper_ = "Off";
  imaging_ = DefaultImagingSettings();
  input_idle_.assign(config_.digital_inputs, v1::RELAY_IDLE_STATE_CLOSED);
  relays_.clear();
  for (uint32_t i = 1; i <= config_.relay_outputs; ++i) {
    RelayState relay;
    relay.settings.set_relay_id("relay-" + std::to_string(i));
    relay.settings.set_mode(v1::RELAY_MODE_BISTABLE);
    relay.settings.set_delay_ms(1000);
    relay.settings.set_idle_state(v1::RELAY_IDLE_STATE_OPEN);
    relays_.push_back(std::move(relay));
  }
}

CameraSettings SimulatedCamera::Settings() const {
  std::lock_guard<std::mutex> lock(mutex_);
  CameraSettings s;
  s.posix_timezone = posix_timezone_;
  s.ir_lamp = ir_lamp_;
  s.wiper = wiper_;
  for (const RelayState& relay : relays_) {
    v1::RelayOutput r = relay.settings;
    r.clear_active();
    s.relays.push_back(std::move(r));
  }
  s.streams = video_streams_;
  if (ptz_) s.ptz = ptz_->Memory();
  s.imaging = imaging_;
  for (std::size_t i = 0; i < input_idle_.size(); ++i) {
    v1::DigitalInput input;
    input.set_input_id("input-" + std::to_string(i + 1));
    input.set_idle_state(input_idle_[i]);
    s.inputs.push_back(std::move(input));
  }
  return s;
}

adapter_sdk::Result<void> SimulatedCamera::ApplySettings(const CameraSettings& settings) {
  std::lock_guard<std::mutex> lock(mutex_);
  // The same relays and streams as the camera has, each once: a file of this
  // camera, not of one configured differently.
  if (settings.relays.size() != relays_.size()) {
    return adapter_sdk::Error{"the configuration has " + std::to_string(settings.relays.size()) +
                              " relays, the camera " + std::to_string(relays_.size())};
  }
  for (std::size_t i = 0; i < relays_.size(); ++i) {
    if (settings.relays[i].relay_id() != relays_[i].settings.relay_id()) {
      return adapter_sdk::Error{"the configuration names relays the camera does not have"};
    }
  }
  if (settings.streams.size() != video_streams_.size()) {
    return adapter_sdk::Error{"the configuration names streams the camera does not have"};
  }
  for (std::size_t i = 0; i < video_streams_.size(); ++i) {
    if (settings.streams[i].stream_id() != video_streams_[i].stream_id()) {
      return adapter_sdk::Error{"the configuration names streams the camera does not have"};
    }
  }
  const auto& commands = AuxiliaryCommands();
  auto known = [&](const std::string& device, const std::string& value) {
    return std::find(commands.begin(), commands.end(), "tt:" + device + "|" + value) !=
           commands.end();
  };
  if (!known("IRLamp", settings.ir_lamp) || !known("Wiper", settings.wiper) ||
      settings.posix_timezone.empty()) {
    return adapter_sdk::Error{"the configuration's values are not the camera's"};
  }
  std::optional<v1::ImagingSettings> imaging;
  if (settings.imaging) {
    auto merged = MergeImagingSettings(imaging_, *settings.imaging);
    if (!merged) {
      return adapter_sdk::Error{"the configuration's imaging settings are not the camera's: " +
                                merged.error().message};
    }
    imaging = std::move(merged).value();
  }
  if (!settings.inputs.empty()) {
    bool same = settings.inputs.size() == input_idle_.size();
    for (std::size_t i = 0; same && i < settings.inputs.size(); ++i) {
      const v1::RelayIdleState idle = settings.inputs[i].idle_state();
      same = settings.inputs[i].input_id() == "input-" + std::to_string(i + 1) &&
             (idle == v1::RELAY_IDLE_STATE_OPEN || idle == v1::RELAY_IDLE_STATE_CLOSED);
    }
    if (!same) return adapter_sdk::Error{"the configuration names inputs the camera does not have"};
  }
  if (settings.ptz) {
    if (!ptz_) {
      return adapter_sdk::Error{"the configuration has PTZ presets; the camera has no PTZ head"};
    }
    const bool valid = IsValidPtzPosition(settings.ptz->home) &&
                       std::all_of(settings.ptz->presets.begin(), settings.ptz->presets.end(),
                                   [](const auto& preset) {
                                     return SimulatedPtzHead::IsPresetSlot(preset.first) &&
                                            IsValidPtzPosition(preset.second);
                                   });
    if (!valid) return adapter_sdk::Error{"the configuration's PTZ presets are not the camera's"};
    ptz_->SetMemory(*settings.ptz);
  }
  posix_timezone_ = settings.posix_timezone;
  ir_lamp_ = settings.ir_lamp;
  wiper_ = settings.wiper;
  for (std::size_t i = 0; i < relays_.size(); ++i) {
    relays_[i].settings.set_mode(settings.relays[i].mode());
    relays_[i].settings.set_delay_ms(settings.relays[i].delay_ms());
    relays_[i].settings.set_idle_state(settings.relays[i].idle_state());
  }
  video_streams_ = settings.streams;
  if (imaging) imaging_ = std::move(*imaging);
  for (std::size_t i = 0; i < settings.inputs.size(); ++i) {
    input_idle_[i] = settings.inputs[i].idle_state();
  }
  // The gateway caches streams and relays: tell it they changed.
  ++facts_generation_;
  return {};
}

v1::ImagingSettings SimulatedCamera::Imaging() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return imaging_;
}

adapter_sdk::Result<v1::ImagingSettings> SimulatedCamera::SetImaging(
    const v1::ImagingSettings& change) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto merged = MergeImagingSettings(imaging_, change);
  if (merged) imaging_ = merged.value();
  return merged;
}

std::vector<v1::RelayIdleState> SimulatedCamera::InputIdleStates() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return input_idle_;
}

uint32_t SimulatedCamera::InputNumber(const std::string& input_id) const {
  for (uint32_t n = 1; n <= config_.digital_inputs; ++n) {
    if (input_id == "input-" + std::to_string(n)) return n;
  }
  return 0;
}

void SimulatedCamera::SetInputIdleState(uint32_t number, v1::RelayIdleState idle_state) {
  std::lock_guard<std::mutex> lock(mutex_);
  input_idle_.at(number - 1) = idle_state;
}

const std::vector<std::string>& SimulatedCamera::AuxiliaryCommands() {
  static const std::vector<std::string> kCommands = {
      "tt:IRLamp|On", "tt:IRLamp|Off", "tt:IRLamp|Auto", "tt:Wiper|On", "tt:Wiper|Off"};
  return kCommands;
}

std::optional<std::string> SimulatedCamera::RunAuxiliaryCommand(const std::string& command) {
  const auto& known = AuxiliaryCommands();
  if (std::find(known.begin(), known.end(), command) == known.end()) return std::nullopt;
  const std::size_t bar = command.find('|');
  const std::string device = command.substr(3, bar - 3);  // after "tt:"
  const std::string value = command.substr(bar + 1);
  std::lock_guard<std::mutex> lock(mutex_);
  (device == "IRLamp" ? ir_lamp_ : wiper_) = value;
  return device + "=" + value;
}

SimulatedCamera::TimeState SimulatedCamera::Time() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {clock_.SystemNow() + offset_, posix_timezone_, ntp_synchronized_};
}

void SimulatedCamera::SetTime(std::chrono::system_clock::time_point utc,
                              const std::string& posix_timezone) {
  std::lock_guard<std::mutex> lock(mutex_);
  offset_ = utc - clock_.SystemNow();
  ntp_synchronized_ = false;
  if (!posix_timezone.empty()) {
    posix_timezone_ = posix_timezone;
  }
}

std::string SimulatedCamera::Firmware() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return firmware_;
}

void SimulatedCamera::InstallFirmware(const std::string& version) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    firmware_ = version;
    ++facts_generation_;
  }
  Log("firmware " + version + " installed");
}

uint64_t SimulatedCamera::FactsGeneration() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return facts_generation_;
}

void SimulatedCamera::Log(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Stamped with the camera's own clock, read under the same lock.
  const std::time_t t = std::chrono::system_clock::to_time_t(clock_.SystemNow() + offset_);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ ", &tm);
  log_.push_back(stamp + line);
  while (log_.size() > kMaxLogLines) log_.pop_front();
}

std::vector<std::string> SimulatedCamera::LogLines() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {log_.begin(), log_.end()};
}

void SimulatedCamera::BeginReboot(std::chrono::steady_clock::duration downtime) {
  std::lock_guard<std::mutex> lock(mutex_);
  rebooting_until_ = clock_.SteadyNow() + downtime;
}

std::chrono::steady_clock::time_point SimulatedCamera::RebootingUntil() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rebooting_until_;
}

SimulatedCamera::RelayState* SimulatedCamera::FindRelayLocked(const std::string& relay_id) {
  for (RelayState& relay : relays_) {
    if (relay.settings.relay_id() == relay_id) {
      return &relay;
    }
  }
  return nullptr;
}

v1::RelayOutput SimulatedCamera::ViewLocked(const RelayState& relay) const {
  v1::RelayOutput out = relay.settings;
  out.set_active(relay.settings.mode() == v1::RELAY_MODE_MONOSTABLE
                     ? clock_.SteadyNow() < relay.active_until
                     : relay.active);
  return out;
}

std::vector<v1::RelayOutput> SimulatedCamera::Relays() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<v1::RelayOutput> out;
  for (const RelayState& relay : relays_) {
    out.push_back(ViewLocked(relay));
  }
  return out;
}

std::optional<v1::RelayOutput> SimulatedCamera::Relay(const std::string& relay_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const RelayState& relay : relays_) {
    if (relay.settings.relay_id() == relay_id) {
      return ViewLocked(relay);
    }
  }
  return std::nullopt;
}

bool SimulatedCamera::ConfigureRelay(const std::string& relay_id, v1::RelayMode mode,
                                     std::chrono::milliseconds delay,
                                     v1::RelayIdleState idle_state) {
  std::lock_guard<std::mutex> lock(mutex_);
  RelayState* relay = FindRelayLocked(relay_id);
  if (relay == nullptr) {
    return false;
  }
  // Keep the logical state across a change of mode.
  const bool active = ViewLocked(*relay).active();
  relay->settings.set_mode(mode);
  relay->settings.set_delay_ms(static_cast<uint32_t>(delay.count()));
  relay->settings.set_idle_state(idle_state);
  relay->active = active && mode == v1::RELAY_MODE_BISTABLE;
  relay->active_until =
      active && mode == v1::RELAY_MODE_MONOSTABLE ? clock_.SteadyNow() + delay : clock_.SteadyNow();
  return true;
}

bool SimulatedCamera::SetRelayActive(const std::string& relay_id, bool active) {
  std::lock_guard<std::mutex> lock(mutex_);
  RelayState* relay = FindRelayLocked(relay_id);
  if (relay == nullptr) {
    return false;
  }
  relay->active = active;
  relay->active_until =
      clock_.SteadyNow() + (active ? std::chrono::milliseconds(relay->settings.delay_ms())
                                   : std::chrono::milliseconds(0));
  return true;
}

std::vector<v1::VideoStream> SimulatedCamera::VideoStreams() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return video_streams_;
}

bool SimulatedCamera::HasVideoStream(const std::string& stream_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::any_of(video_streams_.begin(), video_streams_.end(),
                     [&stream_id](const v1::VideoStream& s) { return s.stream_id() == stream_id; });
}

adapter_sdk::Result<v1::VideoStream> SimulatedCamera::ApplyVideoEncoder(
    const v1::ApplyVideoEncoderConfigurationRequest& request) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (v1::VideoStream& stream : video_streams_) {
    if (stream.stream_id() != request.stream_id()) {
      continue;
    }
    adapter_sdk::Result<v1::VideoStream> updated = ApplyEncoderRequest(stream, request);
    if (updated.ok()) {
      stream = updated.value();
    }
    return updated;
  }
  return adapter_sdk::Error{"no such video stream"};
}

}  // namespace onvifgw::simulated
