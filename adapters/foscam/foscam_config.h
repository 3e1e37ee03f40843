#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/sdk/result.h"

namespace onvifgw::foscam {

/// One classic Foscam MJPEG camera (an element of `cameras:`).
struct CameraConfig {
  std::string id;     ///< Required, unique; letters, digits, '.', '_' and '-'.
  std::string label;  ///< Defaults to the id.
  std::string host;   ///< Required: a host name or an address (IPv6 without brackets).
  uint16_t port = 80;
  std::string user;      ///< Required.
  std::string password;  ///< May be empty (the factory admin has none).
  /// Send `user`/`pwd` query parameters besides Basic auth (false: Basic only, for firmware
  /// 11.37+ that refuses them).
  bool credentials_in_query = true;
  /// The whole of one request, its retries included.
  std::chrono::milliseconds request_timeout{4000};
  /// Attempts for a request whose connection failed before an answer came.
  unsigned attempts = 2;
  /// The FI8918W mirrors pan: left and right (4/6) and the diagonals (90/91, 92/93) swapped.
  bool invert_pan = false;
  /// The decoder_control code that switches the IR LEDs on (94 or 95); the other one, off.
  uint32_t ir_on_code = 95;
  /// A pan/tilt head.
  bool ptz = true;
  /// A motorised zoom lens (decoder codes 16..19).
  bool zoom = false;
  /// Preset slots offered (1..presets, at most 16); only with `ptz`.
  uint32_t presets = 8;
  /// How often get_status.cgi is polled while a StreamEvents call is open.
  std::chrono::milliseconds events_poll{1000};
  std::string manufacturer = "Foscam";
  std::string model = "FI8918W";
  /// restore_factory.cgi also resets the camera's users: refused unless allowed.
  bool allow_factory_default = false;
  /// The camera has an alarm input (digital input "input-1").
  bool input = false;
  /// The camera has an external relay ("switch 1", decoder_control 22/23; relay "relay-1").
  bool relay = false;
  /// Arm motion detection (and the input alarm, with `input`) through set_alarm.cgi when events
  /// are first wanted: the camera raises no alarm_status otherwise. Needs an administrator.
  bool arm_alarms = true;

  /// The decoder_control code that switches the IR LEDs off.
  uint32_t IrOffCode() const { return ir_on_code == 95 ? 94 : 95; }
  /// Whether the camera has a PTZ node (pan/tilt, zoom or both).
  bool HasPtzNode() const { return ptz || zoom; }
};

/// The Foscam adapter's config section:
///
///   cameras:                       # required, at least one
///     - id: garden                 # required, unique: letters, digits, '.', '_', '-'
///       label: Garden              # default: the id
///       host: 192.0.2.30           # required
///       port: 80                   # default 80
///       user: admin                # required
///       password: ""               # default empty (the factory admin has none)
///       credentials_in_query: true # also send user=/pwd= (false for firmware 11.37+)
///       request_timeout_ms: 4000   # 100..30000
///       attempts: 2                # 1..5 (connection failures before an answer)
///       invert_pan: false          # the FI8918W mirrors pan: set true for it
///       ir_on_code: 95             # 94 | 95: the code that switches the IR LEDs on
///       ptz: true                  # a pan/tilt head
///       zoom: false                # a zoom lens (16/18, 17/19)
///       presets: 8                 # 1..16 preset slots offered
///       events_poll_ms: 1000       # 200..10000: get_status.cgi period while events are read
///       manufacturer: Foscam
///       model: FI8918W
///       allow_factory_default: false  # restore_factory.cgi resets the users too
///       input: false               # the model has an alarm input
///       relay: false               # the model has an external relay (decoder 22/23)
///       arm_alarms: true           # arm motion (and input) alarms when events are wanted
struct FoscamConfig {
  std::vector<CameraConfig> cameras;
};

/// Validates a config section. Unknown keys, wrong types, out-of-range values and duplicates are
/// errors whose message names the YAML path, line and column.
adapter_sdk::Result<FoscamConfig> ParseFoscamConfig(const YAML::Node& node);

}  // namespace onvifgw::foscam
