#pragma once
// A virtual device's network settings as ONVIF clients see and set them
// (host name, DNS, NTP, default gateway), persisted in the state store (one
// setting, one transaction per change) and held in memory. They describe the
// virtual device only: the appliance's own network is never changed. Until a
// client sets DNS or the default gateway, the host's are shown.
//
// Thread-safe.

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/expected.h"
#include "soap/fault.h"
#include "store/state_store.h"
#include "store/v1/network_state.pb.h"

namespace onvifgw::services::device {

using NetworkState = ::onvifgw::store::v1::NetworkState;

class NetworkSettings {
 public:
  /// At most this many entries per list (DNS servers, search domains, NTP
  /// servers, gateways): the NTP capability names it for NTP.
  static constexpr int kMaxEntries = 4;

  /// `store` may be nullptr: state then lives in memory only (unit tests).
  NetworkSettings(std::string device_id, store::StateStore* store)
      : device_id_(std::move(device_id)), store_(store) {}

  /// Reads the stored state; an unreadable one is an error naming the device.
  Status<std::string> Load();

  NetworkState Current() const;

  /// Runs `change` on a copy and, when it returns no fault, stores the copy
  /// (one transaction) and makes it current. A storage failure is ter:Action.
  using Change = std::function<std::optional<soap::Fault>(NetworkState&)>;
  Status<soap::Fault> Update(const Change& change);

 private:
  const std::string device_id_;
  store::StateStore* const store_;
  mutable std::mutex mu_;
  NetworkState state_;
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
