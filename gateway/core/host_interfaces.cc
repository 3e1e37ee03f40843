#include "core/host_interfaces.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <bit>

namespace onvifgw {

std::vector<HostIpv4Interface> HostIpv4Interfaces() {
  std::vector<HostIpv4Interface> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (const ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
    const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    char text[INET_ADDRSTRLEN] = {};
    if (inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text) == nullptr) continue;
    HostIpv4Interface itf;
    itf.name = i->ifa_name != nullptr ? i->ifa_name : "";
    itf.address = text;
    itf.address_host_order = ntohl(sin->sin_addr.s_addr);
    if (i->ifa_netmask != nullptr) {
      itf.prefix_length =
          std::popcount(reinterpret_cast<const sockaddr_in*>(i->ifa_netmask)->sin_addr.s_addr);
    }
    itf.up = (i->ifa_flags & IFF_UP) != 0;
    itf.loopback = (i->ifa_flags & IFF_LOOPBACK) != 0;
    itf.multicast = (i->ifa_flags & IFF_MULTICAST) != 0;
    out.push_back(std::move(itf));
  }
  freeifaddrs(list);
  return out;
}

}  // namespace onvifgw
