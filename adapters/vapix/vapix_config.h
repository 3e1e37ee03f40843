#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/sdk/result.h"

namespace onvifgw::vapix {

/// A feature the adapter can find out from the camera (auto) or be told (yes/no).
enum class Detect { kAuto, kYes, kNo };

/// One camera channel (an element of `cameras:`).
struct CameraConfig {
  std::string id;     ///< Required, unique; letters, digits, '.', '_' and '-'.
  std::string label;  ///< Defaults to the id.
  std::string host;   ///< Name or address (IPv6 without brackets).
  uint16_t port = 80;
  std::string user;
  std::string password;
  /// Answer a Basic challenge (the password then crosses the network in clear); false: Digest
  /// only.
  bool basic_auth = false;
  /// One request, retries included.
  std::chrono::milliseconds request_timeout{4000};
  /// Attempts of a request whose connection failed (idempotent requests only).
  unsigned attempts = 2;
  /// The VAPIX `camera=` parameter: the video channel of a multi-channel encoder.
  unsigned channel = 1;
  /// Offer the RTSP H.264 stream; auto: when Properties.Image.Format lists h264.
  Detect rtsp = Detect::kAuto;
  uint16_t rtsp_port = 554;
  /// Allow hardfactorydefault.cgi (it also resets the IP address and the root password).
  bool hard_factory_default = false;
  /// PTZ through ptz.cgi; auto: when Properties.PTZ.PTZ=yes.
  Detect ptz = Detect::kAuto;
  /// Server presets 1..presets are the PTZ node's preset slots (the home preset left out).
  uint32_t presets = 32;
  /// Overrides of what Brand.* says.
  std::optional<std::string> manufacturer;
  std::optional<std::string> model;
};

/// The VAPIX adapter's config section:
///
///   cameras:                      # required, at least one
///     - id: cam-1                 # required, unique
///       label: Entrance           # default: the id
///       host: 192.0.2.20          # required: name or address (IPv6 without brackets)
///       port: 80                  # HTTP port
///       user: onvif               # required: an operator (or admin) account with ptz rights
///       password: secret          # required, in clear text: keep this file readable only by
///                                 # the gateway's user
///       basic_auth: false         # true: also answer Basic challenges (password in clear)
///       request_timeout_ms: 4000  # 100..30000, one request including its retries
///       attempts: 2               # 1..5, for idempotent requests whose connection failed
///       channel: 1                # 1..16, the camera= parameter (encoders)
///       rtsp: auto                # auto | yes | no: the RTSP H.264 stream (auto: when
///                                 # Properties.Image.Format lists h264)
///       rtsp_port: 554
///       hard_factory_default: false  # true allows hardfactorydefault.cgi for a hard reset
///       ptz: auto                 # auto | yes | no (auto: Properties.PTZ.PTZ)
///       presets: 32               # 1..1000: server presets 1..N are the preset slots
///       manufacturer: AXIS        # optional override of Brand.Brand
///       model: P5635-E            # optional override of Brand.ProdNbr
struct VapixConfig {
  std::vector<CameraConfig> cameras;
};

/// Validates a config section. Unknown keys, wrong types, out-of-range values and duplicates are
/// errors whose message names the YAML path, line and column.
adapter_sdk::Result<VapixConfig> ParseVapixConfig(const YAML::Node& node);

}  // namespace onvifgw::vapix
