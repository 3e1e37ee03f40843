#include "discovery/local_address.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "core/host_interfaces.h"

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
  for (const HostIpv4Interface& i : HostIpv4Interfaces()) {
    if (i.up && !i.loopback) return i.address;
  }
  return "127.0.0.1";
}

std::vector<boost::asio::ip::address_v4> MulticastIpv4Interfaces() {
  std::vector<boost::asio::ip::address_v4> out;
  std::vector<std::string> names;
  for (const HostIpv4Interface& i : HostIpv4Interfaces()) {
    if (!i.up || !i.multicast || i.loopback || i.name.empty()) continue;
    bool seen = false;
    for (const auto& n : names) seen = seen || n == i.name;
    if (seen) continue;  // one membership per interface
    names.push_back(i.name);
    out.emplace_back(i.address_host_order);
  }
  return out;
}

}  // namespace onvifgw::discovery
