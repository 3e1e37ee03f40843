#include "config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

namespace onvifgw::config {
namespace {

// Validation failures travel as an exception inside this file only (config
// loading is the one place where exceptions are allowed) and leave as a value.
struct Invalid {
  YAML::Mark mark;
  std::string reason;
};

[[noreturn]] void Fail(const YAML::Node& n, std::string reason) {
  throw Invalid{n.Mark(), std::move(reason)};
}

void ExpectMap(const YAML::Node& n, const std::string& what) {
  if (!n.IsMap()) Fail(n, what + " must be a mapping");
}

void OnlyKeys(const YAML::Node& n, const std::string& what,
              std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>();
    bool ok = false;
    for (auto a : allowed) ok = ok || key == a;
    if (!ok) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Fail(kv.first, "unknown key '" + key + "' in " + what + " (allowed: " + list + ")");
    }
  }
}

std::string String(const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar()) Fail(n, what + " must be a string");
  return n.Scalar();
}

std::string NonEmptyString(const YAML::Node& n, const std::string& what) {
  std::string s = String(n, what);
  if (s.empty()) Fail(n, what + " must not be empty");
  return s;
}

long long Integer(const YAML::Node& n, const std::string& what, long long min, long long max) {
  long long v = 0;
  if (!n.IsScalar() || !YAML::convert<long long>::decode(n, v)) {
    Fail(n, what + " must be an integer");
  }
  if (v < min || v > max) {
    Fail(n, what + " must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return v;
}

bool Boolean(const YAML::Node& n, const std::string& what) {
  bool v = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) Fail(n, what + " must be true or false");
  return v;
}

// A MAC written as six hex pairs separated by ':' or '-'.
bool IsMac(const std::string& s) {
  if (s.size() != 17) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i % 3 == 2) {
      if (s[i] != ':' && s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

AdapterConfig ParseAdapter(const YAML::Node& n) {
  ExpectMap(n, "an adapter");
  OnlyKeys(n, "adapter", {"id", "exec", "endpoint", "config", "call_deadline_ms"});
  AdapterConfig a;
  if (!n["id"]) Fail(n, "adapter needs an 'id'");
  a.id = NonEmptyString(n["id"], "adapter id");
  if (n["exec"] && n["endpoint"]) Fail(n, "adapter '" + a.id + "' has both 'exec' and 'endpoint'");
  if (const YAML::Node e = n["exec"]) {
    if (e.IsScalar()) {
      a.exec.push_back(NonEmptyString(e, "exec"));
    } else if (e.IsSequence() && e.size() > 0) {
      for (const auto& arg : e) a.exec.push_back(String(arg, "exec argument"));
    } else {
      Fail(e, "exec must be a program or a non-empty list [program, args...]");
    }
  } else if (const YAML::Node ep = n["endpoint"]) {
    a.endpoint = NonEmptyString(ep, "endpoint");
  } else {
    Fail(n, "adapter '" + a.id + "' needs 'exec' (a program to spawn) or 'endpoint' (an address)");
  }
  if (const YAML::Node c = n["config"]) {
    ExpectMap(c, "adapter config");
    YAML::Emitter em;
    em << c;
    a.section_yaml = em.c_str();
  }
  if (n["call_deadline_ms"]) {
    a.call_deadline =
        std::chrono::milliseconds(Integer(n["call_deadline_ms"], "call_deadline_ms", 100, 600000));
  }
  return a;
}

std::vector<std::string> StringOrList(const YAML::Node& n, const std::string& what) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(NonEmptyString(n, what));
  } else if (n.IsSequence()) {
    for (const auto& e : n) out.push_back(NonEmptyString(e, what));
  } else {
    Fail(n, what + " must be a string or a list of strings");
  }
  return out;
}

DeviceConfig ParseDevice(const YAML::Node& n) {
  ExpectMap(n, "a device");
  OnlyKeys(n, "device",
           {"id", "name", "location", "hardware", "address", "port", "advertised_address",
            "adapter", "camera", "mac", "admin", "stream_uri_credentials", "network_config",
            "streams", "rtsp_port", "stream_linger_ms", "encode_h264"});
  DeviceConfig d;
  for (const char* required : {"id", "port", "adapter", "camera"}) {
    if (!n[required]) Fail(n, std::string("device needs '") + required + "'");
  }
  d.id = NonEmptyString(n["id"], "device id");
  for (char c : d.id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      Fail(n["id"], "device id may contain only letters, digits, '-' and '_'");
    }
  }
  d.name = n["name"] ? NonEmptyString(n["name"], "name") : d.id;
  if (n["location"]) d.locations = StringOrList(n["location"], "location");
  d.hardware = n["hardware"] ? NonEmptyString(n["hardware"], "hardware") : "";
  if (n["address"]) d.address = NonEmptyString(n["address"], "address");
  d.port = static_cast<uint16_t>(Integer(n["port"], "port", 1, 65535));
  if (n["advertised_address"]) {
    d.advertised_address = NonEmptyString(n["advertised_address"], "advertised_address");
  }
  d.adapter = NonEmptyString(n["adapter"], "adapter");
  // One camera, or several presented as the video sources of one device
  // (an encoder or NVR); the first one's identity is the device's.
  d.cameras = StringOrList(n["camera"], "camera");
  if (d.cameras.empty()) Fail(n["camera"], "camera needs at least one camera id");
  for (std::size_t i = 0; i < d.cameras.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (d.cameras[i] == d.cameras[j])
        Fail(n["camera"], "camera " + d.cameras[i] + " is listed twice");
    }
  }
  d.camera = d.cameras.front();
  if (n["stream_uri_credentials"]) {
    d.stream_uri_credentials = Boolean(n["stream_uri_credentials"], "stream_uri_credentials");
  }
  if (n["network_config"]) {
    const std::string mode = NonEmptyString(n["network_config"], "network_config");
    if (mode != "store" && mode != "refuse") {
      Fail(n["network_config"], "network_config must be 'store' or 'refuse'");
    }
    d.network_config_stored = mode == "store";
  }
  if (n["streams"]) {
    const std::string mode = NonEmptyString(n["streams"], "streams");
    if (mode != "relay" && mode != "passthrough") {
      Fail(n["streams"], "streams must be 'relay' or 'passthrough'");
    }
    d.stream_relay = mode == "relay";
  }
  if (n["rtsp_port"]) {
    if (!d.stream_relay) Fail(n["rtsp_port"], "rtsp_port needs streams: relay");
    d.rtsp_port = static_cast<uint16_t>(Integer(n["rtsp_port"], "rtsp_port", 0, 65535));
  }
  if (n["stream_linger_ms"]) {
    if (!d.stream_relay) Fail(n["stream_linger_ms"], "stream_linger_ms needs streams: relay");
    d.stream_linger =
        std::chrono::milliseconds(Integer(n["stream_linger_ms"], "stream_linger_ms", 0, 3600000));
  }
  if (n["encode_h264"]) {
    if (!d.stream_relay) Fail(n["encode_h264"], "encode_h264 needs streams: relay");
    d.h264_encoded_streams = StringOrList(n["encode_h264"], "encode_h264");
  }
  if (n["mac"]) {
    d.mac = NonEmptyString(n["mac"], "mac");
    if (!IsMac(d.mac)) Fail(n["mac"], "mac must look like 02:00:5e:10:00:01");
  }
  if (const YAML::Node a = n["admin"]) {
    ExpectMap(a, "admin");
    OnlyKeys(a, "admin", {"username", "password"});
    if (!a["username"] || !a["password"]) Fail(a, "admin needs 'username' and 'password'");
    d.admin = AdminConfig{NonEmptyString(a["username"], "admin username"),
                          NonEmptyString(a["password"], "admin password")};
  }
  return d;
}

GatewayConfig ParseRoot(const YAML::Node& root, const std::string& file_name) {
  if (!root.IsDefined() || root.IsNull()) Fail(root, "the configuration is empty");
  ExpectMap(root, "the configuration");
  OnlyKeys(root, "the configuration",
           {"state_dir", "log_level", "threads", "discovery", "http", "security", "events",
            "metrics", "adapters", "devices"});
  GatewayConfig g;
  g.source_file = file_name;
  const auto base = std::filesystem::absolute(std::filesystem::path(file_name)).parent_path();
  if (!root["state_dir"]) Fail(root, "'state_dir' is required (where the gateway keeps its state)");
  std::filesystem::path state = NonEmptyString(root["state_dir"], "state_dir");
  g.state_dir = (state.is_absolute() ? state : base / state).lexically_normal().string();
  if (root["log_level"]) {
    g.log_level = String(root["log_level"], "log_level");
    if (g.log_level != "debug" && g.log_level != "info" && g.log_level != "warn" &&
        g.log_level != "error") {
      Fail(root["log_level"], "log_level must be debug, info, warn or error");
    }
  }
  if (root["threads"]) g.threads = static_cast<int>(Integer(root["threads"], "threads", 0, 64));
  if (const YAML::Node d = root["discovery"]) {
    ExpectMap(d, "discovery");
    OnlyKeys(d, "discovery", {"enabled", "address", "port", "multicast"});
    if (d["enabled"]) g.discovery.enabled = Boolean(d["enabled"], "discovery.enabled");
    if (d["address"]) g.discovery.address = NonEmptyString(d["address"], "discovery.address");
    if (d["port"]) {
      g.discovery.port = static_cast<uint16_t>(Integer(d["port"], "discovery.port", 1, 65535));
    }
    if (d["multicast"]) g.discovery.multicast = Boolean(d["multicast"], "discovery.multicast");
  }
  if (const YAML::Node h = root["http"]) {
    ExpectMap(h, "http");
    OnlyKeys(h, "http",
             {"max_header_bytes", "max_body_bytes", "read_timeout_ms", "idle_timeout_ms",
              "max_connections", "max_upload_bytes"});
    if (h["max_header_bytes"]) {
      g.http.max_header_bytes = Integer(h["max_header_bytes"], "max_header_bytes", 1024, 65536);
    }
    if (h["max_body_bytes"]) {
      g.http.max_body_bytes = Integer(h["max_body_bytes"], "max_body_bytes", 1024, 16 << 20);
    }
    if (h["max_upload_bytes"]) {
      g.http.max_upload_bytes =
          Integer(h["max_upload_bytes"], "max_upload_bytes", 1024, std::int64_t{1} << 30);
    }
    if (h["read_timeout_ms"]) {
      g.http.read_timeout =
          std::chrono::milliseconds(Integer(h["read_timeout_ms"], "read_timeout_ms", 100, 600000));
    }
    if (h["idle_timeout_ms"]) {
      g.http.idle_timeout =
          std::chrono::milliseconds(Integer(h["idle_timeout_ms"], "idle_timeout_ms", 100, 3600000));
    }
    if (h["max_connections"]) {
      g.http.max_connections = Integer(h["max_connections"], "max_connections", 1, 10000);
    }
  }
  if (const YAML::Node sec = root["security"]) {
    ExpectMap(sec, "security");
    OnlyKeys(sec, "security",
             {"allow_basic", "token_window_s", "digest_nonce_lifetime_s", "failures_before_delay",
              "failures_before_lockout", "lockout_s", "certificate_key"});
    if (sec["allow_basic"]) g.security.allow_basic = Boolean(sec["allow_basic"], "allow_basic");
    if (sec["token_window_s"]) {
      g.security.token_window =
          std::chrono::seconds(Integer(sec["token_window_s"], "token_window_s", 10, 86400));
    }
    if (sec["digest_nonce_lifetime_s"]) {
      g.security.digest_nonce_lifetime = std::chrono::seconds(
          Integer(sec["digest_nonce_lifetime_s"], "digest_nonce_lifetime_s", 10, 86400));
    }
    if (sec["failures_before_delay"]) {
      g.security.failures_before_delay =
          static_cast<int>(Integer(sec["failures_before_delay"], "failures_before_delay", 1, 1000));
    }
    if (sec["failures_before_lockout"]) {
      g.security.failures_before_lockout = static_cast<int>(
          Integer(sec["failures_before_lockout"], "failures_before_lockout", 1, 10000));
    }
    if (sec["lockout_s"]) {
      g.security.lockout = std::chrono::seconds(Integer(sec["lockout_s"], "lockout_s", 1, 86400));
    }
    if (sec["certificate_key"]) {
      const std::string algorithm = String(sec["certificate_key"], "certificate_key");
      if (algorithm != "rsa2048" && algorithm != "ec-p256") {
        Fail(sec["certificate_key"], "certificate_key must be rsa2048 or ec-p256");
      }
      g.security.certificate_key_ec = algorithm == "ec-p256";
    }
    if (g.security.failures_before_lockout < g.security.failures_before_delay) {
      Fail(sec, "failures_before_lockout must not be below failures_before_delay");
    }
  }
  if (const YAML::Node m = root["metrics"]) {
    ExpectMap(m, "metrics");
    OnlyKeys(m, "metrics", {"enabled", "address", "port"});
    g.metrics.enabled = m["enabled"] ? Boolean(m["enabled"], "metrics.enabled") : true;
    if (m["address"]) g.metrics.address = NonEmptyString(m["address"], "metrics.address");
    if (m["port"]) {
      g.metrics.port = static_cast<uint16_t>(Integer(m["port"], "metrics.port", 1, 65535));
    }
  }
  if (const YAML::Node ev = root["events"]) {
    ExpectMap(ev, "events");
    OnlyKeys(ev, "events",
             {"max_subscriptions", "notify_timeout_ms", "notify_attempts", "notify_retry_ms"});
    if (ev["max_subscriptions"]) {
      g.events.max_subscriptions = static_cast<std::size_t>(
          Integer(ev["max_subscriptions"], "max_subscriptions", 1, 100000));
    }
    if (ev["notify_timeout_ms"]) {
      g.events.notify_timeout = std::chrono::milliseconds(
          Integer(ev["notify_timeout_ms"], "notify_timeout_ms", 100, 60000));
    }
    if (ev["notify_attempts"]) {
      g.events.notify_attempts =
          static_cast<int>(Integer(ev["notify_attempts"], "notify_attempts", 1, 100));
    }
    if (ev["notify_retry_ms"]) {
      g.events.notify_retry =
          std::chrono::milliseconds(Integer(ev["notify_retry_ms"], "notify_retry_ms", 10, 600000));
    }
  }
  if (!root["adapters"] || !root["adapters"].IsSequence() || root["adapters"].size() == 0) {
    Fail(root["adapters"] ? root["adapters"] : root, "'adapters' must be a non-empty list");
  }
  std::set<std::string> adapter_ids;
  for (const auto& a : root["adapters"]) {
    AdapterConfig ac = ParseAdapter(a);
    if (!adapter_ids.insert(ac.id).second) Fail(a["id"], "duplicate adapter id '" + ac.id + "'");
    g.adapters.push_back(std::move(ac));
  }
  if (!root["devices"] || !root["devices"].IsSequence() || root["devices"].size() == 0) {
    Fail(root["devices"] ? root["devices"] : root, "'devices' must be a non-empty list");
  }
  std::set<std::string> device_ids;
  std::set<std::pair<std::string, uint16_t>> endpoints;
  std::set<uint16_t> ports;
  for (const auto& d : root["devices"]) {
    DeviceConfig dc = ParseDevice(d);
    if (!device_ids.insert(dc.id).second) Fail(d["id"], "duplicate device id '" + dc.id + "'");
    // Two listeners on one port conflict unless both name distinct specific
    // addresses; keep the rule simple and strict: one port, one device.
    if (!ports.insert(dc.port).second) {
      Fail(d["port"], "port " + std::to_string(dc.port) + " is already used by another device");
    }
    if (dc.stream_relay && dc.rtsp_port != 0 && !ports.insert(dc.rtsp_port).second) {
      Fail(d["rtsp_port"],
           "rtsp_port " + std::to_string(dc.rtsp_port) + " is already used by another device");
    }
    if (!adapter_ids.count(dc.adapter)) {
      Fail(d["adapter"], "unknown adapter '" + dc.adapter + "' (not in 'adapters')");
    }
    g.devices.push_back(std::move(dc));
  }
  return g;
}

}  // namespace

std::string ConfigError::ToString() const {
  std::ostringstream os;
  os << file;
  if (line > 0) os << ':' << line << ':' << column;
  os << ": " << reason;
  return os.str();
}

const AdapterConfig* GatewayConfig::FindAdapter(const std::string& id) const {
  for (const auto& a : adapters) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

Expected<GatewayConfig, ConfigError> ParseConfig(std::string_view yaml,
                                                 const std::string& file_name) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    return ParseRoot(root, file_name);
  } catch (const Invalid& e) {
    return MakeUnexpected(ConfigError{file_name, e.mark.is_null() ? 0 : e.mark.line + 1,
                                      e.mark.is_null() ? 0 : e.mark.column + 1, e.reason});
  } catch (const YAML::Exception& e) {
    return MakeUnexpected(ConfigError{file_name, e.mark.is_null() ? 0 : e.mark.line + 1,
                                      e.mark.is_null() ? 0 : e.mark.column + 1, e.msg});
  }
}

Expected<GatewayConfig, ConfigError> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeUnexpected(ConfigError{path, 0, 0, "cannot open the file"});
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseConfig(ss.str(), path);
}

}  // namespace onvifgw::config
