#include "adapters/pelco_d/pelco_d_config.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "adapters/pelco_d/pelco_d_frame.h"
#include "adapters/sdk/config_node.h"
#include "adapters/sdk/serial_line.h"

namespace onvifgw::pelco_d {
namespace {

using adapter_sdk::ConfigError;
using adapter_sdk::ConfigNode;

constexpr size_t kMaxIdLength = 64;
constexpr size_t kMaxTextLength = 128;
// What CameraDescription allows for an auxiliary command.
constexpr size_t kMaxAuxCommandLength = 128;
constexpr uint32_t kDefaultLastPreset = 32;

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

std::string ReadId(const ConfigNode& node) {
  std::string id = node.AsString();
  if (id.empty() || id.size() > kMaxIdLength) {
    node.Fail("must be 1 to " + std::to_string(kMaxIdLength) + " characters long");
  }
  for (char c : id) {
    if (!IsIdChar(c)) {
      node.Fail("may contain only letters, digits, '.', '_' and '-'");
    }
  }
  return id;
}

std::string ReadText(const ConfigNode& node, std::string_view fallback) {
  std::string text = node.AsString(fallback);
  if (text.size() > kMaxTextLength) {
    node.Fail("longer than " + std::to_string(kMaxTextLength) + " characters");
  }
  return text;
}

void ExpectMap(const ConfigNode& node, std::string_view what) {
  if (!node.IsSet() || !node.yaml().IsMap()) {
    node.Fail("expected a map with at least " + std::string(what));
  }
}

std::string Position(const YAML::Mark& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

LineConfig ReadLine(const ConfigNode& node) {
  ExpectMap(node, "an id and a device");
  node.RejectUnknownKeys({"id", "device", "baud", "response_timeout_ms", "replies",
                          "reply_turnaround_ms", "inter_frame_gap_ms"});
  LineConfig line;
  line.id = ReadId(node["id"]);
  ConfigNode device = node["device"];
  line.device = device.AsString();
  if (line.device.empty()) {
    device.Fail("must name the serial device, e.g. /dev/ttyUSB0");
  }
  ConfigNode baud = node["baud"];
  line.baud = static_cast<unsigned>(baud.AsInt(0, 1'000'000, 9600));
  if (line.baud != 2400 && line.baud != 4800 && line.baud != 9600 && line.baud != 19200) {
    baud.Fail("must be 2400, 4800, 9600 or 19200 (Pelco-D domes), got " +
              std::to_string(line.baud));
  }
  ConfigNode timeout = node["response_timeout_ms"];
  line.response_timeout = std::chrono::milliseconds(timeout.AsInt(10, 5000, 300));
  line.replies = node["replies"].AsBool(true);
  line.reply_turnaround = std::chrono::milliseconds(node["reply_turnaround_ms"].AsInt(0, 500, 30));
  if (ConfigNode gap = node["inter_frame_gap_ms"]; gap.IsSet()) {
    line.inter_frame_gap = std::chrono::milliseconds(gap.AsInt(0, 1000));
  }
  // A silent dome must not make a status call outlive the gateway's call deadline.
  if (line.replies && kQueriesPerStatus * WorstQueryTime(line) > kStatusQueryBudget) {
    const auto overhead = WorstQueryTime(line) - line.response_timeout;
    const auto most = kStatusQueryBudget / kQueriesPerStatus - overhead;
    std::string reason = "too long: a position status makes ";
    reason.append(std::to_string(kQueriesPerStatus))
        .append(" queries, which must fit in ")
        .append(std::to_string(kStatusQueryBudget.count()))
        .append(" ms (the gateway's call deadline is 5 s); at this baud and gap use at most ")
        .append(std::to_string(std::max<int64_t>(most.count(), 0)))
        .append(" ms");
    (timeout.IsSet() ? timeout : node).Fail(reason);
  }
  return line;
}

uint32_t ParseSlotNumber(const ConfigNode& node, std::string_view text) {
  uint32_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > 255) {
    node.Fail("expected a preset number 1..255 or a range \"a-b\", got \"" + node.AsString() +
              "\"");
  }
  return value;
}

// Numbers are taken as listed; ranges leave the magic presets out.
std::vector<uint32_t> ReadPresetSlots(const ConfigNode& node) {
  std::vector<uint32_t> slots;
  auto add = [&slots](uint32_t slot) {
    if (std::find(slots.begin(), slots.end(), slot) == slots.end()) {
      slots.push_back(slot);
    }
  };
  if (!node.IsSet()) {
    for (uint32_t slot = 1; slot <= kDefaultLastPreset; ++slot) {
      add(slot);
    }
    return slots;
  }
  for (const ConfigNode& element : node.Elements()) {
    const std::string text = element.AsString();
    const size_t dash = text.find('-');
    if (dash == std::string::npos) {
      add(ParseSlotNumber(element, text));
      continue;
    }
    const uint32_t first = ParseSlotNumber(element, std::string_view(text).substr(0, dash));
    const uint32_t last = ParseSlotNumber(element, std::string_view(text).substr(dash + 1));
    if (first > last) {
      element.Fail("range \"" + text + "\" is empty");
    }
    for (uint32_t slot = first; slot <= last; ++slot) {
      if (!IsMagicPreset(slot)) {
        add(slot);
      }
    }
  }
  return slots;
}

std::vector<std::pair<std::string, AuxAction>> ReadAuxiliary(const ConfigNode& node) {
  std::vector<std::pair<std::string, AuxAction>> commands;
  if (!node.IsSet()) {
    return commands;
  }
  if (!node.yaml().IsMap()) {
    node.Fail("expected a map from ONVIF auxiliary commands to {aux, on}");
  }
  for (const auto& entry : node.yaml()) {
    const std::string command = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    ConfigNode action = node[command];
    if (command.empty() || command.size() > kMaxAuxCommandLength ||
        std::any_of(command.begin(), command.end(),
                    [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; })) {
      action.Fail("an auxiliary command is 1 to " + std::to_string(kMaxAuxCommandLength) +
                  " characters without white space");
    }
    ExpectMap(action, "aux");
    action.RejectUnknownKeys({"aux", "on"});
    AuxAction aux;
    aux.aux = static_cast<uint8_t>(action["aux"].AsInt(1, 8));
    aux.on = action["on"].AsBool();
    commands.emplace_back(command, aux);
  }
  return commands;
}

VideoConfig ReadVideo(const ConfigNode& node) {
  ExpectMap(node, "a uri");
  node.RejectUnknownKeys({"uri", "width", "height", "framerate", "codec"});
  VideoConfig video;
  ConfigNode uri = node["uri"];
  video.uri = ReadText(uri, "");
  if (video.uri.rfind("rtsp://", 0) != 0 || video.uri.size() <= 7) {
    uri.Fail("must be an rtsp:// URI");
  }
  video.width = static_cast<uint32_t>(node["width"].AsInt(16, 7680));
  video.height = static_cast<uint32_t>(node["height"].AsInt(16, 4320));
  video.framerate = node["framerate"].AsDouble(1, 120, 25);
  ConfigNode codec = node["codec"];
  const std::string name = codec.AsString("h264");
  if (name == "h264") {
    video.codec = VideoCodecName::kH264;
  } else if (name == "h265") {
    video.codec = VideoCodecName::kH265;
  } else if (name == "jpeg") {
    video.codec = VideoCodecName::kJpeg;
  } else {
    codec.Fail("must be h264, h265 or jpeg");
  }
  return video;
}

void ReadPanRange(const ConfigNode& node, CameraConfig* camera) {
  if (!node.IsSet()) {
    return;
  }
  std::vector<ConfigNode> ends = node.Elements();
  if (ends.size() != 2) {
    node.Fail("expected [min, max] in degrees");
  }
  camera->pan_min_degrees = ends[0].AsDouble(-360, 360);
  camera->pan_max_degrees = ends[1].AsDouble(-360, 360);
  const double width = camera->pan_max_degrees - camera->pan_min_degrees;
  if (width < 1 || width > 360) {
    node.Fail("max must be 1 to 360 degrees above min");
  }
}

CameraConfig ReadCamera(const ConfigNode& node, const std::map<std::string, LineConfig>& lines) {
  ExpectMap(node, "an id, a line and an address");
  node.RejectUnknownKeys({"id", "label", "line", "address", "manufacturer", "model", "invert_pan",
                          "invert_tilt", "turbo", "preset_slots", "home_preset",
                          "position_feedback", "pan_range", "tilt_up_limit", "tilt_down_limit",
                          "zoom", "repeat_ms", "auxiliary", "video"});
  CameraConfig camera;
  camera.id = ReadId(node["id"]);
  camera.label = ReadText(node["label"], camera.id);
  ConfigNode line = node["line"];
  camera.line = line.AsString();
  auto found = lines.find(camera.line);
  if (found == lines.end()) {
    line.Fail("no line with id \"" + camera.line + "\"");
  }
  ConfigNode address = node["address"];
  camera.address = static_cast<uint8_t>(address.AsInt(1, 255));
  if (camera.address == 255) {
    address.Fail(
        "255 is not usable: some devices take 0xFF as the broadcast address (Pelco: \"do not use "
        "addresses 0 or 255\"); use 1..254");
  }
  camera.manufacturer = ReadText(node["manufacturer"], camera.manufacturer);
  camera.model = ReadText(node["model"], camera.model);
  camera.invert_pan = node["invert_pan"].AsBool(false);
  camera.invert_tilt = node["invert_tilt"].AsBool(false);
  camera.turbo = node["turbo"].AsBool(false);
  camera.preset_slots = ReadPresetSlots(node["preset_slots"]);
  if (ConfigNode home = node["home_preset"]; home.IsSet()) {
    camera.home_preset = static_cast<uint8_t>(home.AsInt(1, 255));
    std::erase(camera.preset_slots, *camera.home_preset);
  }
  ConfigNode feedback = node["position_feedback"];
  camera.position_feedback = feedback.AsBool(false);
  if (camera.position_feedback && !found->second.replies) {
    feedback.Fail("needs a line whose domes answer (line \"" + camera.line +
                  "\" has replies: false)");
  }
  ReadPanRange(node["pan_range"], &camera);
  camera.tilt_up_limit_degrees = node["tilt_up_limit"].AsDouble(0, 90, 10);
  camera.tilt_down_limit_degrees = node["tilt_down_limit"].AsDouble(0, 90, 90);
  if (camera.tilt_up_limit_degrees + camera.tilt_down_limit_degrees < 1) {
    node["tilt_down_limit"].Fail("the tilt range must be at least 1 degree");
  }
  camera.zoom = node["zoom"].AsBool(true);
  if (ConfigNode repeat = node["repeat_ms"]; repeat.IsSet()) {
    camera.repeat = std::chrono::milliseconds(repeat.AsInt(20, 10'000));
  }
  camera.auxiliary = ReadAuxiliary(node["auxiliary"]);
  if (ConfigNode video = node["video"]; video.IsSet()) {
    camera.video = ReadVideo(video);
  }
  return camera;
}

void CheckUnique(const ConfigNode& node, const std::string& key, std::string_view what,
                 std::map<std::string, YAML::Mark>* seen) {
  auto [first, inserted] = seen->emplace(key, node.mark());
  if (!inserted) {
    node.Fail("duplicate " + std::string(what) + " (first defined at " + Position(first->second) +
              ")");
  }
}

PelcoDConfig Parse(const YAML::Node& yaml) {
  ConfigNode root(yaml);
  root.RejectUnknownKeys({"lines", "cameras", "reopen_interval_ms"});
  PelcoDConfig config;
  config.reopen_interval =
      std::chrono::milliseconds(root["reopen_interval_ms"].AsInt(100, 600'000, 5000));

  ConfigNode lines = root["lines"];
  std::map<std::string, LineConfig> by_id;
  std::map<std::string, YAML::Mark> seen_lines;
  std::map<std::string, YAML::Mark> seen_devices;
  for (const ConfigNode& element : lines.Elements()) {
    LineConfig line = ReadLine(element);
    CheckUnique(element["id"], line.id, "line id \"" + line.id + "\"", &seen_lines);
    CheckUnique(element["device"], line.device, "device \"" + line.device + "\"", &seen_devices);
    by_id.emplace(line.id, line);
    config.lines.push_back(std::move(line));
  }
  if (config.lines.empty()) {
    lines.Fail("must list at least one serial line");
  }

  ConfigNode cameras = root["cameras"];
  std::map<std::string, YAML::Mark> seen_cameras;
  std::map<std::string, YAML::Mark> seen_addresses;
  for (const ConfigNode& element : cameras.Elements()) {
    CameraConfig camera = ReadCamera(element, by_id);
    CheckUnique(element["id"], camera.id, "camera id \"" + camera.id + "\"", &seen_cameras);
    CheckUnique(element["address"], camera.line + "/" + std::to_string(camera.address),
                "address " + std::to_string(camera.address) + " on line \"" + camera.line + "\"",
                &seen_addresses);
    config.cameras.push_back(std::move(camera));
  }
  if (config.cameras.empty()) {
    cameras.Fail("must list at least one camera");
  }
  return config;
}

}  // namespace

std::chrono::milliseconds InterFrameGap(const LineConfig& line) {
  if (line.inter_frame_gap) {
    return *line.inter_frame_gap;
  }
  if (!line.replies) {
    return adapter_sdk::SerialLine::WireTime(kFrameSize, line.baud);
  }
  return adapter_sdk::SerialLine::WireTime(kFrameSize + kGeneralResponseSize, line.baud) +
         line.reply_turnaround;
}

std::chrono::milliseconds WorstQueryTime(const LineConfig& line) {
  return adapter_sdk::SerialLine::WireTime(kFrameSize, line.baud) + line.response_timeout +
         InterFrameGap(line);
}

bool CameraConfig::IsPresetSlot(uint32_t slot) const {
  return std::find(preset_slots.begin(), preset_slots.end(), slot) != preset_slots.end();
}

bool IsMagicPreset(uint32_t slot) {
  static const std::set<uint32_t> kMagic = {33, 34, 83, 84, 86, 87, 92, 93, 95, 96, 97, 98, 99};
  return kMagic.contains(slot);
}

adapter_sdk::Result<PelcoDConfig> ParsePelcoDConfig(const YAML::Node& node) {
  try {
    return Parse(node);
  } catch (const ConfigError& e) {
    return adapter_sdk::Error{e.what()};
  } catch (const YAML::Exception& e) {
    return adapter_sdk::Error{std::string("invalid config: ") + e.what()};
  }
}

}  // namespace onvifgw::pelco_d
