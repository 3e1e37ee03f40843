#pragma once
// The simulated camera's configuration file (ExportConfiguration,
// ImportConfiguration), so that a backup carrying the camera's own
// configuration can be tried end to end without hardware. A file is
//
//   ONVIFGW-SIMULATED-CONFIG\n
//   model: <the camera's model>\n
//   timezone: <POSIX TZ>\n
//   ir_lamp: <On|Off|Auto>\n
//   wiper: <On|Off>\n
//   relays: <hex of an adapter.v1.RelayOutputList>\n
//   streams: <hex of an adapter.v1.VideoSourceList: source "0">\n
//   ptz: home=<pan>,<tilt>,<zoom>[ <slot>=<pan>,<tilt>,<zoom>]...\n   (only with a PTZ head)
//   imaging: <hex of an adapter.v1.ImagingSettings: sensor "0">\n
//   inputs: <hex of an adapter.v1.DigitalInputList: their idle states>\n   (only with inputs)
//   <32 bytes: SHA-256 of everything before them>
//
// Anything else (another model's, a cut or altered file) is refused.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapter/v1/adapter.pb.h"
#include "adapters/sdk/result.h"
#include "adapters/simulated/ptz_position.h"

namespace onvifgw::simulated {

/// What the configuration file keeps: what a client can change on the camera
/// (its time zone, IR lamp, wiper, relay settings and stream encodings), not
/// its clock, firmware or log. With a PTZ head, also its home position and presets; its
/// imaging settings; with digital inputs, their idle states.
struct CameraSettings {
  std::string posix_timezone;
  std::string ir_lamp;
  std::string wiper;
  std::vector<onvifgw::adapter::v1::RelayOutput> relays;  ///< settings; `active` unused
  std::vector<onvifgw::adapter::v1::VideoStream> streams;
  std::optional<PtzMemory> ptz;  ///< nullopt: a camera without PTZ (or a file from before it)
  /// nullopt: a file from before imaging (the camera keeps its settings).
  std::optional<onvifgw::adapter::v1::ImagingSettings> imaging;
  /// Each input's id and idle_state (the rest unused); empty: a camera without inputs.
  std::vector<onvifgw::adapter::v1::DigitalInput> inputs;
};

/// Largest configuration file the simulated camera takes.
inline constexpr std::size_t kMaxConfigurationBytes = 256u << 10;

std::string WriteConfigurationFile(std::string_view model, const CameraSettings& settings);

/// The settings in `file` for a camera of `model`, or why it is refused.
adapter_sdk::Result<CameraSettings> ParseConfigurationFile(std::string_view file,
                                                           std::string_view model);

}  // namespace onvifgw::simulated
