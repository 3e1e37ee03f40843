#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/sdk/result.h"

namespace onvifgw::pelco_d {

/// One RS-485 bus (an element of `lines:`). Always 8N1.
struct LineConfig {
  std::string id;        ///< Required, unique; cameras name it.
  std::string device;    ///< The tty, e.g. /dev/ttyUSB0.
  unsigned baud = 9600;  ///< 2400, 4800, 9600 or 19200.
  /// How long a query or a confirmed command waits for the dome's answer.
  std::chrono::milliseconds response_timeout{300};
  /// Whether the domes on this bus answer at all (general and extended responses).
  bool replies = true;
  /// Silence between frames; unset: see InterFrameGap.
  std::optional<std::chrono::milliseconds> inter_frame_gap;
  /// How long a dome may take to start its answer, when the domes reply: a fire-and-forget move
  /// is answered too, nobody waits for that answer, and it must not collide with the next frame
  /// on a half-duplex bus. Part of the default inter-frame gap.
  std::chrono::milliseconds reply_turnaround{30};
};

/// The longest the gateway waits for an adapter call by default is 5 s; a GetPtzStatus with
/// position feedback makes up to three queries, which must fit in this (with room to spare).
inline constexpr std::chrono::milliseconds kStatusQueryBudget{4000};
inline constexpr int kQueriesPerStatus = 3;

/// The silence the line keeps between frames: inter_frame_gap when set; otherwise one frame time,
/// and when the domes reply, also a general response's time plus reply_turnaround (so that the
/// answer to a move nobody waits for is over before the next frame starts).
std::chrono::milliseconds InterFrameGap(const LineConfig& line);
/// The longest one position query can hold the line: its frame, response_timeout, the gap after.
std::chrono::milliseconds WorstQueryTime(const LineConfig& line);

/// What one ONVIF auxiliary command does: switch an aux output on or off.
struct AuxAction {
  uint8_t aux = 1;  ///< 1..8.
  bool on = true;
};

enum class VideoCodecName { kH264, kH265, kJpeg };

/// The picture of an analog dome, as an encoder channel streams it.
struct VideoConfig {
  std::string uri;  ///< rtsp://...
  uint32_t width = 0;
  uint32_t height = 0;
  double framerate = 25;
  VideoCodecName codec = VideoCodecName::kH264;
};

/// One dome (an element of `cameras:`).
struct CameraConfig {
  std::string id;       ///< Required, unique; letters, digits, '.', '_' and '-'.
  std::string label;    ///< Defaults to the id.
  std::string line;     ///< The id of its LineConfig.
  uint8_t address = 1;  ///< 1..254, unique on its line (0 and 255: see the config format).
  std::string manufacturer = "Pelco";
  std::string model = "Pelco-D dome";
  bool invert_pan = false;
  bool invert_tilt = false;
  /// Pan at |velocity| = 1 uses the turbo speed 0x40 instead of 0x3F.
  bool turbo = false;
  /// The slots offered as ONVIF presets, in order (home_preset left out).
  std::vector<uint32_t> preset_slots;
  /// The slot that stores the home position; unset: no home.
  std::optional<uint8_t> home_preset;
  /// The dome answers 0x51/0x53/0x55 and takes 0x4B/0x4D/0x4F.
  bool position_feedback = false;
  /// Pan degrees (dome scale) at generic pan -1 and +1; max - min = 360 is a full circle.
  double pan_min_degrees = 0;
  double pan_max_degrees = 360;
  /// Degrees above the horizon at generic tilt +1, and below it at generic tilt -1.
  double tilt_up_limit_degrees = 10;
  double tilt_down_limit_degrees = 90;
  bool zoom = true;
  /// ONVIF auxiliary command -> action, in config order.
  std::vector<std::pair<std::string, AuxAction>> auxiliary;
  std::optional<VideoConfig> video;
  /// Re-send a running continuous move this often (domes that stop without a repeat); unset: off.
  std::optional<std::chrono::milliseconds> repeat;

  /// Whether `slot` is one of preset_slots.
  bool IsPresetSlot(uint32_t slot) const;
  /// Whether pan spans the whole circle (positions wrap).
  bool FullCirclePan() const { return pan_max_degrees - pan_min_degrees >= 360.0; }
};

/// The Pelco-D adapter's config section:
///
///   reopen_interval_ms: 5000     # 100..600000: retry period for a line that cannot be opened
///   lines:                       # required, at least one
///     - id: bus-1                # required, unique
///       device: /dev/ttyUSB0     # required
///       baud: 9600               # 2400 | 4800 | 9600 | 19200 (8N1 always)
///       response_timeout_ms: 300 # 10..5000, small enough that the 3 queries of a status
///                                # (frame + timeout + gap each) fit in kStatusQueryBudget
///       replies: true            # false: fire-and-forget only (no queries, no confirmation)
///       reply_turnaround_ms: 30  # 0..500: how soon a dome starts its answer (see LineConfig)
///       inter_frame_gap_ms: 20   # optional 0..1000 (default: see InterFrameGap)
///   cameras:                     # required, at least one
///     - id: dome-1               # required, unique
///       label: Car park          # default: the id
///       line: bus-1              # required, a line id
///       address: 1               # required, 1..254, unique on the line (255 is refused: some
///                                # devices take 0xFF as broadcast; Pelco: "do not use 0 or 255")
///       manufacturer: Pelco      # default "Pelco"
///       model: Spectra IV        # default "Pelco-D dome"
///       invert_pan: false
///       invert_tilt: false
///       turbo: false             # pan at full velocity uses turbo (0x40)
///       preset_slots: [1-32]     # numbers and "a-b" ranges (1..255); default 1-32. Ranges skip
///                                # the magic presets 33, 34, 83, 84, 86, 87, 92, 93, 95-99; a
///                                # number listed on its own is taken as it is.
///       home_preset: 32          # optional 1..255: the slot used as home (left out of the slots)
///       position_feedback: false # true needs replies: true
///       pan_range: [0, 360]      # degrees at generic -1 / +1 (-360..360, 1..360 wide)
///       tilt_up_limit: 10        # degrees above the horizon at generic tilt +1 (0..90)
///       tilt_down_limit: 90      # degrees below the horizon at generic tilt -1 (0..90)
///       zoom: true
///       repeat_ms: 500           # optional 20..10000: re-send a running continuous move
///       auxiliary:               # optional: ONVIF aux command -> aux output 1..8 on/off
///         "tt:Wiper|On": {aux: 1, on: true}
///         "tt:Wiper|Off": {aux: 1, on: false}
///       video:                   # optional: the encoder channel that streams this dome
///         uri: rtsp://192.0.2.10/ch1
///         width: 1920            # 16..7680
///         height: 1080           # 16..4320
///         framerate: 25          # 1..120
///         codec: h264            # h264 | h265 | jpeg
struct PelcoDConfig {
  std::vector<LineConfig> lines;
  std::vector<CameraConfig> cameras;
  std::chrono::milliseconds reopen_interval{5000};
};

/// The preset numbers that trigger dome functions on common models (Pelco notes §4).
bool IsMagicPreset(uint32_t slot);

/// Validates a config section. Unknown keys, wrong types, out-of-range values, duplicates and
/// dangling references are errors whose message names the YAML path, line and column.
adapter_sdk::Result<PelcoDConfig> ParsePelcoDConfig(const YAML::Node& node);

}  // namespace onvifgw::pelco_d
