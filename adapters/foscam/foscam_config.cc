#include "adapters/foscam/foscam_config.h"

#include <algorithm>
#include <map>

#include "adapters/sdk/config_node.h"

namespace onvifgw::foscam {
namespace {

using adapter_sdk::ConfigError;
using adapter_sdk::ConfigNode;

constexpr size_t kMaxIdLength = 64;
constexpr size_t kMaxTextLength = 128;
constexpr size_t kMaxHostLength = 253;
constexpr size_t kMaxCredentialLength = 64;
constexpr int64_t kMaxPresets = 16;

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

std::string ReadId(const ConfigNode& node) {
  std::string id = node.AsString();
  if (id.empty() || id.size() > kMaxIdLength) {
    node.Fail("must be 1 to " + std::to_string(kMaxIdLength) + " characters long");
  }
  if (!std::all_of(id.begin(), id.end(), IsIdChar)) {
    node.Fail("may contain only letters, digits, '.', '_' and '-'");
  }
  return id;
}

std::string ReadText(const ConfigNode& node, std::string_view fallback) {
  std::string text = node.AsString(fallback);
  if (text.size() > kMaxTextLength) {
    node.Fail("longer than " + std::to_string(kMaxTextLength) + " characters");
  }
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    node.Fail("may not contain control characters");
  }
  return text;
}

std::string ReadHost(const ConfigNode& node) {
  std::string host = node.AsString();
  if (host.empty() || host.size() > kMaxHostLength) {
    node.Fail("must be a host name or an address of 1 to " + std::to_string(kMaxHostLength) +
              " characters");
  }
  const bool valid = std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == ':' || c == '_';
  });
  if (!valid) {
    node.Fail("must be a host name or an address (IPv6 without brackets), e.g. 192.0.2.30");
  }
  return host;
}

// Printable ASCII; a user name also without spaces and ':' (Basic joins "user:password").
std::string ReadCredential(const ConfigNode& node, bool user) {
  std::string text = user ? node.AsString() : node.AsString("");
  if ((user && text.empty()) || text.size() > kMaxCredentialLength) {
    node.Fail(user ? "must be 1 to " + std::to_string(kMaxCredentialLength) + " characters long"
                   : "longer than " + std::to_string(kMaxCredentialLength) + " characters");
  }
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || (user && (c == ' ' || c == ':'))) {
      node.Fail(user ? "may contain only printable ASCII characters without spaces and ':'"
                     : "may contain only printable ASCII characters");
    }
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

CameraConfig ReadCamera(const ConfigNode& node) {
  ExpectMap(node, "an id, a host and a user");
  node.RejectUnknownKeys({"id",
                          "label",
                          "host",
                          "port",
                          "user",
                          "password",
                          "credentials_in_query",
                          "request_timeout_ms",
                          "attempts",
                          "invert_pan",
                          "ir_on_code",
                          "ptz",
                          "zoom",
                          "presets",
                          "events_poll_ms",
                          "manufacturer",
                          "model",
                          "allow_factory_default",
                          "input",
                          "relay",
                          "arm_alarms"});
  CameraConfig camera;
  camera.id = ReadId(node["id"]);
  camera.label = ReadText(node["label"], camera.id);
  camera.host = ReadHost(node["host"]);
  camera.port = static_cast<uint16_t>(node["port"].AsInt(1, 65535, 80));
  camera.user = ReadCredential(node["user"], true);
  camera.password = ReadCredential(node["password"], false);
  camera.credentials_in_query = node["credentials_in_query"].AsBool(true);
  camera.request_timeout =
      std::chrono::milliseconds(node["request_timeout_ms"].AsInt(100, 30000, 4000));
  camera.attempts = static_cast<unsigned>(node["attempts"].AsInt(1, 5, 2));
  camera.invert_pan = node["invert_pan"].AsBool(false);
  ConfigNode ir = node["ir_on_code"];
  camera.ir_on_code = static_cast<uint32_t>(ir.AsInt(0, 255, 95));
  if (camera.ir_on_code != 94 && camera.ir_on_code != 95) {
    ir.Fail("must be 94 or 95 (the decoder_control code that switches the IR LEDs on), got " +
            std::to_string(camera.ir_on_code));
  }
  camera.ptz = node["ptz"].AsBool(true);
  camera.zoom = node["zoom"].AsBool(false);
  camera.presets = static_cast<uint32_t>(node["presets"].AsInt(1, kMaxPresets, 8));
  camera.events_poll = std::chrono::milliseconds(node["events_poll_ms"].AsInt(200, 10000, 1000));
  camera.manufacturer = ReadText(node["manufacturer"], camera.manufacturer);
  camera.model = ReadText(node["model"], camera.model);
  camera.allow_factory_default = node["allow_factory_default"].AsBool(false);
  camera.input = node["input"].AsBool(false);
  camera.relay = node["relay"].AsBool(false);
  camera.arm_alarms = node["arm_alarms"].AsBool(true);
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

FoscamConfig Parse(const YAML::Node& yaml) {
  ConfigNode root(yaml);
  root.RejectUnknownKeys({"cameras"});
  FoscamConfig config;
  ConfigNode cameras = root["cameras"];
  std::map<std::string, YAML::Mark> seen_ids;
  std::map<std::string, YAML::Mark> seen_endpoints;
  for (const ConfigNode& element : cameras.Elements()) {
    CameraConfig camera = ReadCamera(element);
    CheckUnique(element["id"], camera.id, "camera id \"" + camera.id + "\"", &seen_ids);
    // The camera serves one request and one stream at a time: one entry (one client) per camera.
    const std::string endpoint = camera.host + ":" + std::to_string(camera.port);
    CheckUnique(element["host"], endpoint, "camera " + endpoint, &seen_endpoints);
    config.cameras.push_back(std::move(camera));
  }
  if (config.cameras.empty()) {
    cameras.Fail("must list at least one camera");
  }
  return config;
}

}  // namespace

adapter_sdk::Result<FoscamConfig> ParseFoscamConfig(const YAML::Node& node) {
  try {
    return Parse(node);
  } catch (const ConfigError& e) {
    return adapter_sdk::Error{e.what()};
  } catch (const YAML::Exception& e) {
    return adapter_sdk::Error{std::string("invalid config: ") + e.what()};
  }
}

}  // namespace onvifgw::foscam
