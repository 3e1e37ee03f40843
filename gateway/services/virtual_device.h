#pragma once
// One virtual ONVIF device: what its handlers need to answer a request.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/camera_adapter.h"
#include "config/gateway_config.h"
#include "core/clock.h"
#include "core/expected.h"
#include "security/key_pair.h"
#include "store/state_store.h"

namespace onvifgw::http {
class RebindableListener;
}  // namespace onvifgw::http
namespace onvifgw::security {
class SecretBox;
}  // namespace onvifgw::security

namespace onvifgw::services {

namespace events {
class EventHub;
struct PushDelivery;
}  // namespace events
class DeviceSecurity;
namespace device {
class DateTimeSettings;
class DiscoverySettings;
class GeoLocationSettings;
class NetworkSettings;
class UploadTickets;
class StorageConfigurations;
class Dot1XConfigurations;
class DeviceCertificates;
class HttpsEndpoint;
}  // namespace device
namespace media {
class MediaProfileStore;
class SnapshotCache;
}  // namespace media
namespace ptz {
class PtzMoveTimers;
}  // namespace ptz

enum class DiscoveryAnnouncement { kHello, kBye };

/// Where a device serves RTSP (the media relay), which SetNetworkProtocols
/// may move. Thread-safe.
class RtspEndpoint {
 public:
  virtual ~RtspEndpoint() = default;
  virtual uint16_t port() const = 0;
  /// Serves on `port` instead; on failure the old port keeps serving and
  /// the error says why. Clients already playing keep playing.
  virtual Status<std::string> MoveTo(uint16_t port) = 0;
};

struct VirtualDevice {
  config::DeviceConfig config;
  store::DeviceIdentity identity;
  adapters::CameraAdapter* adapter = nullptr;
  /// Where the device's state is kept (for a factory default, which resets
  /// it whole in one transaction); nullptr = in memory only (unit tests):
  /// SetSystemFactoryDefault is not offered.
  store::StateStore* state = nullptr;
  /// The gateway's secret key, which seals backups.
  const security::SecretBox* secrets = nullptr;
  /// The device's pending StartSystemRestore uploads (with `state` and
  /// `secrets`: backup and restore are offered).
  device::UploadTickets* restore_tickets = nullptr;
  /// The device's pending StartFirmwareUpgrade uploads; nullptr: firmware
  /// upgrade is not offered.
  device::UploadTickets* firmware_tickets = nullptr;
  /// Whether the gateway runs WS-Discovery at all (config discovery.enabled);
  /// false: DiscoveryNotSupported, and SetDiscoveryMode is not offered.
  bool discovery_enabled = true;
  /// Scopes (fixed from the config, configurable by clients) and discovery
  /// mode. Never nullptr.
  device::DiscoverySettings* discovery = nullptr;
  /// Tells the network of a change of the device's discovery data: a Hello
  /// after its scopes changed or it became discoverable, a Bye when it became
  /// non-discoverable. Empty when the gateway runs no WS-Discovery.
  std::function<void(DiscoveryAnnouncement)> announce;
  /// The gateway's subscriptions (shared by every device).
  events::EventHub* events = nullptr;
  /// How push (Basic Notification) subscriptions reach their consumers;
  /// nullptr = Subscribe is not offered (ActionNotSupported).
  events::PushDelivery* push = nullptr;
  /// Users, policy, IP filter; nullptr = no authentication (unit tests).
  DeviceSecurity* security = nullptr;
  /// Media profiles and configurations; nullptr = the device offers no
  /// media (Media and Media2 not available).
  media::MediaProfileStore* media = nullptr;
  /// Host name, DNS, NTP and gateway as clients set them; nullptr = not
  /// offered (ter:ActionNotSupported for the Set operations).
  device::NetworkSettings* network = nullptr;
  /// Clock mode, time zone and the offset of a hand-set clock; nullptr =
  /// the clock cannot be set (SetSystemDateAndTime not offered).
  device::DateTimeSettings* date_time = nullptr;
  /// The device's HTTP listener, which SetNetworkProtocols and
  /// SetNetworkInterfaces may move; nullptr = not movable (unit tests): the
  /// config's address and port are reported.
  http::RebindableListener* listener = nullptr;
  /// Geo location entries clients set; nullptr = none kept.
  device::GeoLocationSettings* geo_location = nullptr;
  /// Storage configurations clients keep on the device; nullptr = none kept.
  device::StorageConfigurations* storage = nullptr;
  /// IEEE 802.1X configurations clients keep on the device; nullptr = none
  /// kept (the 802.1X operations answer ter:ActionNotSupported).
  device::Dot1XConfigurations* dot1x = nullptr;
  /// Key pairs, certificates and CA certificates; nullptr = none kept (the
  /// certificate operations answer ter:ActionNotSupported).
  device::DeviceCertificates* certificates = nullptr;
  /// What key pairs CreateCertificate makes (config
  /// security.certificate_key).
  security::KeyAlgorithm certificate_key = security::KeyAlgorithm::kRsa2048;
  /// The device's HTTPS, switched on with SetNetworkProtocols; nullptr =
  /// HTTPS is not offered.
  device::HttpsEndpoint* https = nullptr;
  /// The media relay serving the device's profiles over RTSP; nullptr: no
  /// relay, GetStreamUri hands out the camera's own URIs.
  RtspEndpoint* relay = nullptr;
  /// Recent pictures of the device's cameras (GET /onvif/snapshot/...).
  media::SnapshotCache* snapshots = nullptr;
  /// Sends the stop when a ContinuousMove's timeout runs out (shared by the
  /// devices); nullptr: PTZ is not offered.
  ptz::PtzMoveTimers* ptz_moves = nullptr;
  /// The device's clock (GetSystemDateAndTime, UsernameToken Created): its
  /// DateTimeSettings' clock in the gateway; tests may use a ManualClock.
  const Clock* clock = &SystemClock::Instance();
};

/// A device's `advertised_address` split into host (IPv6 without brackets)
/// and the port it names, if any: "host", "host:port", "[v6]", "[v6]:port".
struct AdvertisedAddress {
  std::string host;
  std::optional<uint16_t> port;
  /// host[:port], bracketing an IPv6 host, for URLs.
  std::string Authority(uint16_t default_port) const;
};
AdvertisedAddress ParseAdvertisedAddress(const std::string& text);

/// The device's cameras (its config's, each once, in order) that its adapter
/// describes with a capability `has` says it has: those a factory default
/// resets, a backup asks for their configuration, ...
std::vector<std::string> CamerasWith(
    const VirtualDevice& device, const std::function<bool(const adapters::v1::Capabilities&)>& has);

/// The fixed scopes of a device: type, name, hardware, location(s), profile.
std::vector<std::string> FixedScopes(const config::DeviceConfig& device,
                                     const std::string& hardware);

}  // namespace onvifgw::services
