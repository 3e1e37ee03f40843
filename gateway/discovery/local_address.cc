#include "discovery/local_address.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

namespace onvifgw::discovery {

std::optional<boost::asio::ip::address> LocalAddressFor(const boost::asio::ip::address& remote) {
  boost::asio::io_context io;
  boost::asio::ip::udp::socket socket(io);
  boost::system::error_code ec;
  socket.open(remote.is_v4() ? boost::asio::ip::udp::v4() : boost::asio::ip::udp::v6(), ec);
  if (ec) return std::nullopt;
  socket.connect(boost::asio::ip::udp::endpoint(remote, 9), ec);
  if (ec) return std::nullopt;
  auto local = socket.local_endpoint(ec);
  if (ec || local.address().is_unspecified()) return std::nullopt;
  return local.address();
}

std::string DefaultIpv4Host() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "127.0.0.1";
  std::string found;
  for (ifaddrs* i = list; i != nullptr && found.empty(); i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
    if ((i->ifa_flags & IFF_UP) == 0 || (i->ifa_flags & IFF_LOOPBACK) != 0) continue;
    char text[INET_ADDRSTRLEN] = {};
    const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    if (inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text) != nullptr) found = text;
  }
  freeifaddrs(list);
  return found.empty() ? "127.0.0.1" : found;
}

std::vector<boost::asio::ip::address_v4> MulticastIpv4Interfaces() {
  std::vector<boost::asio::ip::address_v4> out;
  std::vector<std::string> names;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET || i->ifa_name == nullptr) {
      continue;
    }
    const unsigned flags = i->ifa_flags;
    if ((flags & IFF_UP) == 0 || (flags & IFF_MULTICAST) == 0 || (flags & IFF_LOOPBACK) != 0) {
      continue;
    }
    std::string name = i->ifa_name;
    bool seen = false;
    for (const auto& n : names) seen = seen || n == name;
    if (seen) continue;
    names.push_back(name);
    const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    out.emplace_back(ntohl(sin->sin_addr.s_addr));
  }
  freeifaddrs(list);
  return out;
}

}  // namespace onvifgw::discovery
