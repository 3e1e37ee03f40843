#pragma once
// The operator's YAML configuration, as typed values. The file is only read,
// never written: everything clients change lives in the state store.
// Reference: docs/user-guide.md, "Configuration reference".

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace onvifgw::config {

struct AdapterConfig {
  std::string id;
  /// Program and arguments to spawn (`exec:`); empty when `endpoint` is set.
  std::vector<std::string> exec;
  /// gRPC address of an adapter that runs elsewhere: "unix:/path" or "host:port".
  std::string endpoint;
  /// The adapter's own `config:` section, re-emitted as YAML for the adapter.
  std::string section_yaml;
  /// Deadline for calls that act on the camera.
  std::chrono::milliseconds call_deadline{5000};
};

struct AdminConfig {
  std::string username;
  std::string password;
};

struct DeviceConfig {
  std::string id;
  std::string name;
  std::vector<std::string> locations;
  std::string hardware;
  /// Address the device's HTTP listener binds; "0.0.0.0" = every interface.
  std::string address = "0.0.0.0";
  uint16_t port = 0;
  /// Host (and optional ":port") to put in XAddrs instead of the address the
  /// request came in on (NAT, containers).
  std::string advertised_address;
  std::string adapter;
  /// The camera whose identity the device presents (device information,
  /// reboot, relay outputs): the first of `cameras`.
  std::string camera;
  /// Every camera whose video sources the device presents, in order: one
  /// (a camera) or several (an encoder/NVR presenting channels).
  std::vector<std::string> cameras;
  /// Fixed MAC for GetNetworkInterfaces; empty = generated once and persisted.
  std::string mac;
  std::optional<AdminConfig> admin;
  /// Stream URIs handed to clients carry the camera's own credentials (when
  /// the adapter's URI has them). Off: they are removed.
  bool stream_uri_credentials = false;
  /// `network_config: store` (default): network settings set by ONVIF
  /// clients (host name, DNS, NTP, gateway) are stored for the virtual
  /// device; `refuse`: they are refused with ter:OperationProhibited.
  bool network_config_stored = true;
  /// `streams: relay` (default): the gateway's media relay serves the
  /// cameras' streams over RTSP to the device's users, on `rtsp_port` (0: a
  /// free port chosen at start); `passthrough`: GetStreamUri hands out the
  /// camera's own URI.
  bool stream_relay = true;
  uint16_t rtsp_port = 0;
  /// How long the relay keeps pulling a stream from the camera after its
  /// last client left (`stream_linger_ms`), so that a client that comes back
  /// (a VMS switching layouts, a probe before the play) finds it running;
  /// zero: the camera connection closes with the last client.
  std::chrono::milliseconds stream_linger{10000};
  /// Camera streams (by stream id, in every camera of the device) that the
  /// relay encodes as H.264 when the camera delivers JPEG (`encode_h264`),
  /// for VMSes that refuse JPEG; clients then see H.264 encoders.
  std::vector<std::string> h264_encoded_streams;
};

struct DiscoveryConfig {
  bool enabled = true;
  std::string address = "0.0.0.0";
  uint16_t port = 3702;
  bool multicast = true;
};

struct HttpLimits {
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 256 * 1024;
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds idle_timeout{60000};
  std::size_t max_connections = 64;  ///< per virtual device
  /// Largest firmware image POSTed to a StartFirmwareUpgrade upload URI.
  std::size_t max_upload_bytes = 64u << 20;
};

struct SecurityConfig {
  /// HTTP Basic authentication (plaintext password on the wire): off by default.
  bool allow_basic = false;
  /// Allowed distance of a UsernameToken's Created from the gateway clock.
  std::chrono::seconds token_window{300};
  /// Lifetime of an HTTP Digest nonce; older ones are answered stale=true.
  std::chrono::seconds digest_nonce_lifetime{300};
  /// Brute force: failures from one address (within a minute) before its
  /// answers are delayed, and before it is refused for `lockout`.
  int failures_before_delay = 5;
  int failures_before_lockout = 10;
  std::chrono::seconds lockout{300};
  /// The key pairs CreateCertificate makes on board ("rsa2048" or
  /// "ec-p256"): RSA by default, which every client's TLS stack takes.
  bool certificate_key_ec = false;
};

/// The operator's endpoint (`metrics:`): GET /metrics (Prometheus text format) and GET /healthz,
/// without authentication, on its own listener: bind it to a management address.
struct MetricsConfig {
  bool enabled = false;
  std::string address = "127.0.0.1";
  uint16_t port = 9464;
};

/// Event subscriptions (`events:`).
struct EventsConfig {
  /// Per device, pull points and push subscriptions together.
  std::size_t max_subscriptions = 64;
  /// A push consumer must answer each Notify within this time...
  std::chrono::milliseconds notify_timeout{5000};
  /// ...and is given up after this many failures in a row...
  int notify_attempts = 5;
  /// ...retried after this delay, doubled per failure (up to 30 s).
  std::chrono::milliseconds notify_retry{1000};
};

struct GatewayConfig {
  std::string source_file;
  std::string state_dir;
  std::string log_level = "info";
  int threads = 0;  ///< 0 = one per core
  DiscoveryConfig discovery;
  HttpLimits http;
  SecurityConfig security;
  EventsConfig events;
  MetricsConfig metrics;
  std::vector<AdapterConfig> adapters;
  std::vector<DeviceConfig> devices;

  const AdapterConfig* FindAdapter(const std::string& id) const;
};

}  // namespace onvifgw::config
