#pragma once
// A virtual device's network settings as ONVIF clients see and set them
// (host name, DNS, NTP, default gateway), persisted in the state store (one
// setting, one transaction per change, see StoredSetting) and held in memory. They describe the
// virtual device only: the appliance's own network is never changed. Until a
// client sets DNS or the default gateway, the host's are shown.
//
// Thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "services/device/stored_setting.h"
#include "store/v1/network_state.pb.h"

namespace onvifgw::services::device {

using NetworkState = ::onvifgw::store::v1::NetworkState;

class NetworkSettings : public StoredSetting<NetworkState> {
 public:
  /// At most this many entries per list (DNS servers, search domains, NTP
  /// servers, gateways): the NTP capability names it for NTP.
  static constexpr int kMaxEntries = 4;

  NetworkSettings(std::string device_id, store::StateStore* store)
      : StoredSetting(std::move(device_id), "network", store) {}

  /// Where the device listens: what a client set with SetNetworkInterfaces
  /// and SetNetworkProtocols, unless the config changed since.
  struct Binding {
    std::string address;
    uint16_t port = 0;
  };
  Binding BindingFor(const std::string& config_address, uint16_t config_port) const;
  /// The media relay's RTSP port: where a client moved it with
  /// SetNetworkProtocols, unless the config's rtsp_port changed since.
  uint16_t RtspPortFor(uint16_t config_rtsp_port) const;
};

/// The host's resolver: `nameserver` and `search`/`domain` lines of a
/// resolv.conf; a missing file gives empty lists.
struct HostResolver {
  std::vector<std::string> servers;
  std::vector<std::string> search_domains;
};
HostResolver ReadResolvConf(const std::string& path = "/etc/resolv.conf");

/// The host's IPv4 default gateways from a /proc/net/route table.
std::vector<std::string> ReadDefaultGateways(const std::string& path = "/proc/net/route");

}  // namespace onvifgw::services::device
