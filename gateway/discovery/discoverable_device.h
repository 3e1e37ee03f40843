#pragma once
// What the WS-Discovery responder needs to know about one virtual device.

#include <cstdint>
#include <string>
#include <vector>

namespace onvifgw::discovery {

/// One virtual ONVIF device as it is announced on the network.
///
/// A snapshot of these is taken for every Probe/Resolve, Hello and Bye, so the
/// owner may change the set of devices at any time.
struct DiscoverableDevice {
  /// Stable, globally unique endpoint reference, "urn:uuid:..." (Core §7.3.1).
  std::string endpoint_reference;
  /// Scope URIs, e.g. "onvif://www.onvif.org/Profile/Streaming".
  std::vector<std::string> scopes;
  /// The device's HTTP listen address; "0.0.0.0" (or empty) means all interfaces.
  std::string bind_address;
  /// The device's HTTP port (the device service lives at /onvif/device_service).
  uint16_t http_port = 0;
  /// The device's HTTPS port on the same address; 0 while HTTPS is off. Core
  /// §7.3.2.3: one XAddr per protocol.
  uint16_t https_port = 0;
  /// Optional host to put into XAddrs instead of a derived one; empty = derive.
  std::string advertised_host;
  /// Increases whenever Types, Scopes or XAddrs change.
  uint32_t metadata_version = 1;
};

}  // namespace onvifgw::discovery
