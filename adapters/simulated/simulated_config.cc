#include "adapters/simulated/simulated_config.h"

#include <map>

#include "adapters/sdk/config_node.h"

namespace onvifgw::simulated {
namespace {

using adapter_sdk::ConfigError;
using adapter_sdk::ConfigNode;

constexpr size_t kMaxIdLength = 64;
constexpr size_t kMaxTextLength = 128;

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

std::string ReadText(const ConfigNode& node, std::string_view fallback) {
  std::string text = node.AsString(fallback);
  if (text.size() > kMaxTextLength) {
    node.Fail("longer than " + std::to_string(kMaxTextLength) + " characters");
  }
  return text;
}

CameraConfig ReadCamera(const ConfigNode& node) {
  if (!node.IsSet() || !node.yaml().IsMap()) {
    node.Fail("expected a map with at least an id");
  }
  node.RejectUnknownKeys({"id", "label", "manufacturer", "model", "firmware", "width", "height",
                          "framerate", "relay_outputs", "digital_inputs", "audio", "ptz",
                          "streaming", "test_pattern", "mjpeg_url"});
  CameraConfig camera;
  ConfigNode id = node["id"];
  camera.id = id.AsString();
  if (camera.id.empty() || camera.id.size() > kMaxIdLength) {
    id.Fail("must be 1 to " + std::to_string(kMaxIdLength) + " characters long");
  }
  for (char c : camera.id) {
    if (!IsIdChar(c)) {
      id.Fail("may contain only letters, digits, '.', '_' and '-'");
    }
  }
  camera.label = ReadText(node["label"], camera.id);
  camera.manufacturer = ReadText(node["manufacturer"], camera.manufacturer);
  camera.model = ReadText(node["model"], camera.model);
  camera.firmware = ReadText(node["firmware"], camera.firmware);
  camera.width = static_cast<uint32_t>(node["width"].AsInt(16, 7680, camera.width));
  camera.height = static_cast<uint32_t>(node["height"].AsInt(16, 4320, camera.height));
  camera.framerate = node["framerate"].AsDouble(1, 120, camera.framerate);
  camera.relay_outputs =
      static_cast<uint32_t>(node["relay_outputs"].AsInt(0, 8, camera.relay_outputs));
  camera.digital_inputs =
      static_cast<uint32_t>(node["digital_inputs"].AsInt(0, 8, camera.digital_inputs));
  camera.audio = node["audio"].AsBool(camera.audio);
  camera.ptz = node["ptz"].AsBool(camera.ptz);
  ConfigNode pattern = node["test_pattern"];
  camera.test_pattern = pattern.AsString(camera.test_pattern);
  if (camera.test_pattern != "ball" && camera.test_pattern != "snow") {
    pattern.Fail("must be ball or snow");
  }
  ConfigNode streaming = node["streaming"];
  const std::string how = streaming.AsString("rtsp");
  if (how == "mjpeg_http") {
    camera.streaming = Streaming::kMjpegHttp;
  } else if (how == "snapshot") {
    camera.streaming = Streaming::kSnapshot;
  } else if (how != "rtsp") {
    streaming.Fail("must be rtsp, mjpeg_http or snapshot");
  }
  ConfigNode url = node["mjpeg_url"];
  camera.mjpeg_url = ReadText(url, "");
  if (url.IsSet()) {
    if (camera.streaming != Streaming::kMjpegHttp) url.Fail("needs streaming: mjpeg_http");
    if (camera.mjpeg_url.rfind("http://", 0) != 0 || camera.mjpeg_url.size() <= 7) {
      url.Fail("must be an http:// URL");
    }
  }
  return camera;
}

SimulatedConfig Parse(const YAML::Node& yaml) {
  ConfigNode root(yaml);
  root.RejectUnknownKeys(
      {"cameras", "motion_interval_ms", "input_interval_ms", "rtsp_port", "mjpeg_port"});

  SimulatedConfig config;
  config.motion_interval =
      std::chrono::milliseconds(root["motion_interval_ms"].AsInt(10, 3'600'000, 5000));
  config.input_interval =
      std::chrono::milliseconds(root["input_interval_ms"].AsInt(10, 3'600'000, 7000));
  config.rtsp_port = static_cast<uint16_t>(root["rtsp_port"].AsInt(0, 65535, 0));
  config.mjpeg_port = static_cast<uint16_t>(root["mjpeg_port"].AsInt(0, 65535, 0));

  ConfigNode cameras = root["cameras"];
  if (!cameras.IsSet()) {
    // The demo camera turns its head and has an alarm input: cam-1 has PTZ and one input.
    config.cameras.push_back(CameraConfig{
        .id = "cam-1", .label = "Simulated camera 1", .digital_inputs = 1, .ptz = true});
    config.cameras.push_back(CameraConfig{.id = "cam-2", .label = "Simulated camera 2"});
    return config;
  }
  std::map<std::string, YAML::Mark> seen;
  for (const ConfigNode& element : cameras.Elements()) {
    CameraConfig camera = ReadCamera(element);
    ConfigNode id = element["id"];
    auto [first, inserted] = seen.emplace(camera.id, id.mark());
    if (!inserted) {
      id.Fail("duplicate camera id \"" + camera.id + "\" (first defined at line " +
              std::to_string(first->second.line + 1) + ", column " +
              std::to_string(first->second.column + 1) + ")");
    }
    config.cameras.push_back(std::move(camera));
  }
  if (config.cameras.empty()) {
    cameras.Fail("must list at least one camera");
  }
  return config;
}

}  // namespace

adapter_sdk::Result<SimulatedConfig> ParseSimulatedConfig(const YAML::Node& node) {
  try {
    return Parse(node);
  } catch (const ConfigError& e) {
    return adapter_sdk::Error{e.what()};
  }
}

}  // namespace onvifgw::simulated
