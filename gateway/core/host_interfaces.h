#pragma once
// The appliance's own IPv4 interfaces, read from the kernel (getifaddrs) at
// each call: addresses come and go (DHCP, a cable pulled), so nothing here is
// cached.

#include <cstdint>
#include <string>
#include <vector>

namespace onvifgw {

struct HostIpv4Interface {
  std::string name;     ///< "eth0"
  std::string address;  ///< dotted quad
  uint32_t address_host_order = 0;
  int prefix_length = 32;
  bool up = false;
  bool loopback = false;
  bool multicast = false;
};

/// Every IPv4 address of every interface, in the kernel's order (an
/// interface with two addresses is listed twice).
std::vector<HostIpv4Interface> HostIpv4Interfaces();

}  // namespace onvifgw
