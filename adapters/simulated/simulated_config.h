#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/sdk/result.h"

namespace onvifgw::simulated {

/// How a simulated camera serves its streams.
enum class Streaming {
  kRtsp,       ///< H.264 (or H.265/JPEG as set) over RTSP, like an IP camera
  kMjpegHttp,  ///< its rendered pictures as MJPEG over HTTP, like a legacy camera
  kSnapshot,   ///< no stream at all: pictures on request only (GetSnapshot)
};

/// One simulated camera (an element of `cameras:`).
struct CameraConfig {
  std::string id;     ///< Required, unique; letters, digits, '.', '_' and '-' only.
  std::string label;  ///< Defaults to the id.
  std::string manufacturer = "Simulated Optics";
  std::string model = "SIM-1000";
  std::string firmware = "1.0.0";
  uint32_t width = 1280;
  uint32_t height = 720;
  double framerate = 25;
  uint32_t relay_outputs = 1;   ///< Relays "relay-1".."relay-N" (0..8).
  uint32_t digital_inputs = 0;  ///< Inputs "input-1".."input-N" (0..8), idle closed at start.
  bool audio = false;           ///< A microphone "mic" whose G.711 the main stream carries.
  /// A PTZ head "0" on video source "0" (capability ptz); its picture pans, tilts and zooms.
  bool ptz = false;
  /// Where the camera's streams are served: "<base><camera id>/<stream id>" (set at start from
  /// the test stream server's port, not from the YAML).
  std::string stream_base_uri = "rtsp://127.0.0.1:8554/";
  Streaming streaming = Streaming::kRtsp;
  /// What the RTSP streams encode: "ball" (a moving ball, which compresses to
  /// very little) or "snow" (noise: the encoder uses its whole bitrate).
  std::string test_pattern = "ball";
  /// The same for MJPEG over HTTP: "<base><camera id>/<stream id>" (set at start from the MJPEG
  /// server's port).
  std::string mjpeg_base_uri = "http://127.0.0.1:8081/";
  /// With kMjpegHttp: the camera's one stream is the MJPEG over HTTP served
  /// at this http:// URL by something else (a fake legacy camera in tests, a
  /// real one), at the camera's width and height; empty: its rendered
  /// pictures, served by the adapter.
  std::string mjpeg_url{};
};

/// The simulated adapter's config section:
///
///   cameras:                 # optional; absent: "cam-1" (with PTZ) and "cam-2"
///     - id: cam-1            # required, unique
///       label: Front door    # default: the id
///       manufacturer: ...    # default "Simulated Optics"
///       model: ...           # default "SIM-1000"
///       firmware: ...        # default "1.0.0"
///       width: 1280          # 16..7680
///       height: 720          # 16..4320
///       framerate: 25        # 1..120
///       relay_outputs: 1     # 0..8 relays, "relay-1".."relay-N"
///       digital_inputs: 0    # 0..8 inputs, "input-1".."input-N" (default cameras: cam-1 has one)
///       audio: false         # true: a microphone "mic", G.711 in the main stream
///       ptz: false           # true: a PTZ head on source "0" (default cameras: cam-1 has one)
///       streaming: rtsp      # rtsp | mjpeg_http (its rendered pictures, JPEG only) | snapshot
///       mjpeg_url: http://...  # with mjpeg_http: one stream, served there by another program
///       test_pattern: ball   # ball | snow (the RTSP streams' picture; snow fills the bitrate)
///   motion_interval_ms: 5000 # 10..3600000; motion toggles active/inactive each interval
///   input_interval_ms: 7000  # 10..3600000; each input's contact toggles each interval
///   rtsp_port: 0             # the streams' RTSP server on 127.0.0.1; 0: a free port
///   mjpeg_port: 0            # the MJPEG-over-HTTP server on 127.0.0.1; 0: a free port
struct SimulatedConfig {
  std::vector<CameraConfig> cameras;
  std::chrono::milliseconds motion_interval{5000};
  std::chrono::milliseconds input_interval{7000};
  uint16_t rtsp_port = 0;
  uint16_t mjpeg_port = 0;
};

/// Validates a config section (undefined or null: all defaults). Unknown keys, wrong types,
/// out-of-range values and duplicate ids are errors whose message names the YAML path, line and
/// column.
adapter_sdk::Result<SimulatedConfig> ParseSimulatedConfig(const YAML::Node& node);

}  // namespace onvifgw::simulated
