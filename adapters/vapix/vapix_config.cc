#include "adapters/vapix/vapix_config.h"

#include <map>

#include "adapters/sdk/config_node.h"

namespace onvifgw::vapix {
namespace {

using adapter_sdk::ConfigError;
using adapter_sdk::ConfigNode;

constexpr size_t kMaxIdLength = 64;
constexpr size_t kMaxTextLength = 128;
// DNS names are at most 253 characters.
constexpr size_t kMaxHostLength = 253;
constexpr size_t kMaxCredentialLength = 128;

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

// The host goes into URLs and the Host header: no white space, no URL punctuation.
std::string ReadHost(const ConfigNode& node) {
  std::string host = node.AsString();
  if (host.empty() || host.size() > kMaxHostLength) {
    node.Fail("must be 1 to " + std::to_string(kMaxHostLength) + " characters long");
  }
  for (char c : host) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f || c == '/' || c == '@' || c == '?' || c == '#' || c == '[' ||
        c == ']') {
      node.Fail("must be a host name or an address (IPv6 without brackets), not \"" + host + "\"");
    }
  }
  return host;
}

// User names and passwords travel percent-encoded in stream URIs and inside Digest answers;
// control characters would break both.
std::string ReadCredential(const ConfigNode& node) {
  std::string text = node.AsString();
  if (text.empty() || text.size() > kMaxCredentialLength) {
    node.Fail("must be 1 to " + std::to_string(kMaxCredentialLength) + " characters long");
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      node.Fail("may not contain control characters");
    }
  }
  return text;
}

Detect ReadDetect(const ConfigNode& node) {
  if (!node.IsSet()) return Detect::kAuto;
  // YAML 1.1 readers may hand yes/no over as booleans; both spellings mean the same here.
  const std::string text = node.AsString();
  if (text == "auto") return Detect::kAuto;
  if (text == "yes" || text == "true") return Detect::kYes;
  if (text == "no" || text == "false") return Detect::kNo;
  node.Fail("must be auto, yes or no, not \"" + text + "\"");
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
  ExpectMap(node, "an id, a host, a user and a password");
  node.RejectUnknownKeys({"id", "label", "host", "port", "user", "password", "basic_auth",
                          "request_timeout_ms", "attempts", "channel", "rtsp", "rtsp_port",
                          "hard_factory_default", "ptz", "presets", "manufacturer", "model"});
  CameraConfig camera;
  camera.id = ReadId(node["id"]);
  camera.label = ReadText(node["label"], camera.id);
  camera.host = ReadHost(node["host"]);
  camera.port = static_cast<uint16_t>(node["port"].AsInt(1, 65535, 80));
  camera.user = ReadCredential(node["user"]);
  if (camera.user.find(':') != std::string::npos) {
    node["user"].Fail("may not contain ':' (Basic and Digest put it between user and password)");
  }
  camera.password = ReadCredential(node["password"]);
  camera.basic_auth = node["basic_auth"].AsBool(false);
  camera.request_timeout =
      std::chrono::milliseconds(node["request_timeout_ms"].AsInt(100, 30000, 4000));
  camera.attempts = static_cast<unsigned>(node["attempts"].AsInt(1, 5, 2));
  camera.channel = static_cast<unsigned>(node["channel"].AsInt(1, 16, 1));
  camera.rtsp = ReadDetect(node["rtsp"]);
  camera.rtsp_port = static_cast<uint16_t>(node["rtsp_port"].AsInt(1, 65535, 554));
  camera.hard_factory_default = node["hard_factory_default"].AsBool(false);
  camera.ptz = ReadDetect(node["ptz"]);
  camera.presets = static_cast<uint32_t>(node["presets"].AsInt(1, 1000, 32));
  if (ConfigNode manufacturer = node["manufacturer"]; manufacturer.IsSet()) {
    camera.manufacturer = ReadText(manufacturer, "");
  }
  if (ConfigNode model = node["model"]; model.IsSet()) {
    camera.model = ReadText(model, "");
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

VapixConfig Parse(const YAML::Node& yaml) {
  ConfigNode root(yaml);
  root.RejectUnknownKeys({"cameras"});
  VapixConfig config;
  ConfigNode cameras = root["cameras"];
  std::map<std::string, YAML::Mark> seen_ids;
  std::map<std::string, YAML::Mark> seen_channels;
  for (const ConfigNode& element : cameras.Elements()) {
    CameraConfig camera = ReadCamera(element);
    CheckUnique(element["id"], camera.id, "camera id \"" + camera.id + "\"", &seen_ids);
    // Two ids for one channel would be two ONVIF devices fighting over one camera.
    const std::string where = camera.host + ":" + std::to_string(camera.port) + " channel " +
                              std::to_string(camera.channel);
    CheckUnique(element["host"], where, "camera " + where, &seen_channels);
    config.cameras.push_back(std::move(camera));
  }
  if (config.cameras.empty()) {
    cameras.Fail("must list at least one camera");
  }
  return config;
}

}  // namespace

adapter_sdk::Result<VapixConfig> ParseVapixConfig(const YAML::Node& node) {
  try {
    return Parse(node);
  } catch (const ConfigError& e) {
    return adapter_sdk::Error{e.what()};
  } catch (const YAML::Exception& e) {
    return adapter_sdk::Error{std::string("invalid config: ") + e.what()};
  }
}

}  // namespace onvifgw::vapix
