#pragma once
// The ONVIF IP address filter (Core §8.2.18-8.2.21, tt:IPAddressFilter):
// prefixes and an Allow/Deny decision per client address.
//
// Semantics:
//  * Allow: only addresses inside one of the prefixes may connect. An Allow
//    filter with an empty list permits everyone (an empty filter is "no
//    filter"; a device must not lock itself out because a client sent an
//    empty list).
//  * Deny: addresses inside one of the prefixes are refused; everyone else
//    may connect. An empty Deny list permits everyone.
//  * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d), as seen on dual-stack
//    sockets, are matched as the IPv4 address; an IPv4-mapped IPv6 prefix
//    (::ffff:a.b.c.d/96+n) is stored as the IPv4 prefix a.b.c.d/n.
//  * Host bits beyond the prefix length are kept as given (so Get returns
//    what Set stored) and ignored when matching.
//
// Thread-safe: immutable after construction.

#include <boost/asio/ip/address.hpp>
#include <string_view>
#include <vector>

#include "core/expected.h"

namespace onvifgw::security {

struct IpPrefix {
  boost::asio::ip::address address;
  int prefix_length = 0;

  bool Contains(const boost::asio::ip::address& a) const;
  bool operator==(const IpPrefix&) const = default;
};

/// Strict dotted quad: four decimal parts 0-255 without leading zeros,
/// signs or spaces; prefix 0-32.
Expected<IpPrefix, std::string> ParseIpv4Prefix(std::string_view address, int prefix_length);
/// RFC 4291 text form without zone index or spaces; prefix 0-128. Refuses
/// IPv4 text. An IPv4-mapped prefix of length >= 96 becomes an IPv4 prefix.
Expected<IpPrefix, std::string> ParseIpv6Prefix(std::string_view address, int prefix_length);

class IpFilter {
 public:
  enum class Type { kAllow, kDeny };

  IpFilter(Type type, std::vector<IpPrefix> prefixes);

  bool Permits(const boost::asio::ip::address& address) const;
  Type type() const { return type_; }
  const std::vector<IpPrefix>& prefixes() const { return prefixes_; }

 private:
  Type type_;
  std::vector<IpPrefix> prefixes_;
};

}  // namespace onvifgw::security
