#pragma once
// The address of a connection's end as the layers above compare and log it:
// an IPv4 client reaching a dual-stack (IPv6) socket appears as
// ::ffff:a.b.c.d; it is given back as a.b.c.d, so that IPv4 filter entries,
// brute-force accounting, logs and events see one spelling per client.

#include <boost/asio/ip/address.hpp>

namespace onvifgw::http {

inline boost::asio::ip::address WithoutV4Mapping(const boost::asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  }
  return a;
}

}  // namespace onvifgw::http
