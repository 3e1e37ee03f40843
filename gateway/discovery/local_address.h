#pragma once
// Asks the operating system which local address reaches a peer.

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <optional>
#include <string>
#include <vector>

namespace onvifgw::discovery {

/// The local address the kernel would use as source towards `remote`: connects
/// a throwaway UDP socket (no packet is sent) and reads its local endpoint.
/// nullopt when there is no route.
std::optional<boost::asio::ip::address> LocalAddressFor(const boost::asio::ip::address& remote);

/// The address of the first interface that is up, not loopback, with an IPv4
/// address (getifaddrs order); "127.0.0.1" when there is none.
std::string DefaultIpv4Host();

/// The IPv4 address of every interface that is up, multicast-capable and not
/// loopback (one per interface), for joining a multicast group on each of them.
std::vector<boost::asio::ip::address_v4> MulticastIpv4Interfaces();

}  // namespace onvifgw::discovery
