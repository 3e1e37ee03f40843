#include "services/device/network_operations.h"

#include "onvif/generated/tds.pb.h"
#include "services/device/network_names.h"
#include "services/device/network_settings.h"
#include "services/xml_time.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

Fault Invalid(std::string reason, std::string specific) {
  return soap::InvalidArgVal(std::move(reason), std::move(specific));
}

NetworkState StateOf(const RequestContext& ctx) {
  return ctx.device.network != nullptr ? ctx.device.network->Current() : NetworkState{};
}

std::optional<Fault> TooMany(int n, const char* what) {
  if (n <= NetworkSettings::kMaxEntries) return std::nullopt;
  return soap::InvalidArgVal("At most " + std::to_string(NetworkSettings::kMaxEntries) + " " +
                             what + " are kept");
}

// A tt:IPAddress as text, or the documented fault.
Expected<std::string, Fault> AddressOf(const tt::IPAddress& a) {
  if (a.type() == tt::IPType_IPv6) {
    if (!IsIpv6Address(a.ipv6address())) {
      return MakeUnexpected(
          Invalid("Not an IPv6 address: " + a.ipv6address(), "InvalidIPv6Address"));
    }
    return a.ipv6address();
  }
  if (!IsIpv4Address(a.ipv4address())) {
    return MakeUnexpected(Invalid("Not an IPv4 address: " + a.ipv4address(), "InvalidIPv4Address"));
  }
  return a.ipv4address();
}

tt::IPAddress IpAddressOf(const std::string& text) {
  tt::IPAddress a;
  if (text.find(':') != std::string::npos) {
    a.set_type(tt::IPType_IPv6);
    a.set_ipv6address(text);
  } else {
    a.set_type(tt::IPType_IPv4);
    a.set_ipv4address(text);
  }
  return a;
}

// ------------------------------------------------------------------ hostname

Status<Fault> SetFromDhcp(NetworkSettings& settings, bool from_dhcp) {
  return settings.Update([&](NetworkState& s) -> std::optional<Fault> {
    s.set_hostname_from_dhcp(from_dhcp);
    return std::nullopt;
  });
}

Expected<tds::GetHostnameResponse, Fault> GetHostname(const RequestContext& ctx,
                                                      const tds::GetHostname&) {
  const NetworkState s = StateOf(ctx);
  tds::GetHostnameResponse r;
  r.mutable_hostnameinformation()->set_fromdhcp(s.hostname_from_dhcp());
  r.mutable_hostnameinformation()->set_name(s.hostname().empty() ? ctx.device.config.id
                                                                 : s.hostname());
  return r;
}

Expected<tds::SetHostnameResponse, Fault> SetHostname(const RequestContext& ctx,
                                                      const tds::SetHostname& req) {
  auto settings = SettableNetwork(ctx);
  if (!settings) return MakeUnexpected(settings.error());
  // An empty name asks for the name from DHCP (Core §8.2.2): the flag is
  // kept, and without a DHCP client the stored name stays in use.
  if (req.name().empty()) {
    if (auto st = SetFromDhcp(**settings, true); !st) return MakeUnexpected(st.error());
    return tds::SetHostnameResponse{};
  }
  if (!IsHostName(req.name())) {
    return MakeUnexpected(
        Invalid("Not a host name (RFC 1123): " + req.name().substr(0, 64), "InvalidHostname"));
  }
  auto st = (*settings)->Update([&](NetworkState& s) -> std::optional<Fault> {
    s.set_hostname(req.name());
    s.set_hostname_from_dhcp(false);
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(st.error());
  return tds::SetHostnameResponse{};
}

// Takes effect at once: the virtual device has no DHCP client, so nothing
// waits for a reboot (Core §8.2.3 allows the static name as the fallback).
Expected<tds::SetHostnameFromDHCPResponse, Fault> SetHostnameFromDHCP(
    const RequestContext& ctx, const tds::SetHostnameFromDHCP& req) {
  auto settings = SettableNetwork(ctx);
  if (!settings) return MakeUnexpected(settings.error());
  if (auto st = SetFromDhcp(**settings, req.fromdhcp()); !st) return MakeUnexpected(st.error());
  tds::SetHostnameFromDHCPResponse r;
  r.set_rebootneeded(false);
  return r;
}

// --------------------------------------------------------------- dynamic DNS

Expected<tds::GetDynamicDNSResponse, Fault> GetDynamicDNS(const RequestContext& ctx,
                                                          const tds::GetDynamicDNS&) {
  const NetworkState s = StateOf(ctx);
  tds::GetDynamicDNSResponse r;
  auto* info = r.mutable_dynamicdnsinformation();
  info->set_type(tt::DynamicDNSType_IsValid(s.dyndns_type())
                     ? static_cast<tt::DynamicDNSType>(s.dyndns_type())
                     : tt::DynamicDNSType_NoUpdate);
  if (!s.dyndns_name().empty()) info->set_name(s.dyndns_name());
  if (s.dyndns_ttl_set())
    info->set_ttl(FormatDuration(std::chrono::milliseconds(s.dyndns_ttl_ms())));
  return r;
}

Expected<tds::SetDynamicDNSResponse, Fault> SetDynamicDNS(const RequestContext& ctx,
                                                          const tds::SetDynamicDNS& req) {
  auto settings = SettableNetwork(ctx);
  if (!settings) return MakeUnexpected(settings.error());
  if (req.has_name() && !req.name().empty() && !IsHostName(req.name())) {
    return MakeUnexpected(soap::InvalidArgVal("Not a DNS name: " + req.name().substr(0, 64)));
  }
  std::optional<std::chrono::milliseconds> ttl;
  if (req.has_ttl()) {
    ttl = ParseDuration(req.ttl());
    if (!ttl || ttl->count() < 0) {
      return MakeUnexpected(
          soap::InvalidArgVal("TTL is not a duration: " + req.ttl().substr(0, 64)));
    }
  }
  auto st = (*settings)->Update([&](NetworkState& s) -> std::optional<Fault> {
    s.set_dyndns_type(req.type());
    s.set_dyndns_name(req.name());
    s.set_dyndns_ttl_set(ttl.has_value());
    s.set_dyndns_ttl_ms(ttl ? ttl->count() : 0);
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(st.error());
  return tds::SetDynamicDNSResponse{};
}

// ----------------------------------------------------------------------- DNS

Expected<tds::GetDNSResponse, Fault> GetDNS(const RequestContext& ctx, const tds::GetDNS&) {
  const NetworkState s = StateOf(ctx);
  tds::GetDNSResponse r;
  auto* dns = r.mutable_dnsinformation();
  if (s.dns_set()) {
    dns->set_fromdhcp(s.dns_from_dhcp());
    for (const auto& d : s.search_domains()) dns->add_searchdomain(d);
    for (const auto& a : s.dns_servers()) *dns->add_dnsmanual() = IpAddressOf(a);
    return r;
  }
  // Nothing set: the resolver of the host the device lives on.
  const HostResolver host = ReadResolvConf();
  dns->set_fromdhcp(false);
  for (const auto& d : host.search_domains) {
    if (IsHostName(d)) dns->add_searchdomain(d);
  }
  for (const auto& a : host.servers) {
    if (IsIpv4Address(a) || IsIpv6Address(a)) *dns->add_dnsmanual() = IpAddressOf(a);
  }
  return r;
}

Expected<tds::SetDNSResponse, Fault> SetDNS(const RequestContext& ctx, const tds::SetDNS& req) {
  auto settings = SettableNetwork(ctx);
  if (!settings) return MakeUnexpected(settings.error());
  std::vector<std::string> servers;
  for (const auto& a : req.dnsmanual()) {
    auto text = AddressOf(a);
    if (!text) return MakeUnexpected(text.error());
    servers.push_back(*text);
  }
  for (const auto& d : req.searchdomain()) {
    if (!IsHostName(d)) {
      return MakeUnexpected(soap::InvalidArgVal("Not a domain name: " + d.substr(0, 64)));
    }
  }
  if (auto f = TooMany(static_cast<int>(servers.size()), "DNS servers")) return MakeUnexpected(*f);
  if (auto f = TooMany(req.searchdomain_size(), "search domains")) return MakeUnexpected(*f);
  auto st = (*settings)->Update([&](NetworkState& s) -> std::optional<Fault> {
    s.set_dns_set(true);
    s.set_dns_from_dhcp(req.fromdhcp());
    s.clear_search_domains();
    for (const auto& d : req.searchdomain()) s.add_search_domains(d);
    s.clear_dns_servers();
    for (const auto& a : servers) s.add_dns_servers(a);
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(st.error());
  return tds::SetDNSResponse{};
}

// ----------------------------------------------------------------------- NTP

Expected<tds::GetNTPResponse, Fault> GetNTP(const RequestContext& ctx, const tds::GetNTP&) {
  const NetworkState s = StateOf(ctx);
  tds::GetNTPResponse r;
  auto* ntp = r.mutable_ntpinformation();
  ntp->set_fromdhcp(s.ntp_from_dhcp());
  for (const auto& server : s.ntp_servers()) {
    auto* h = ntp->add_ntpmanual();
    if (IsIpv4Address(server)) {
      h->set_type(tt::NetworkHostType_IPv4);
      h->set_ipv4address(server);
    } else if (IsIpv6Address(server)) {
      h->set_type(tt::NetworkHostType_IPv6);
      h->set_ipv6address(server);
    } else {
      h->set_type(tt::NetworkHostType_DNS);
      h->set_dnsname(server);
    }
  }
  return r;
}

Expected<tds::SetNTPResponse, Fault> SetNTP(const RequestContext& ctx, const tds::SetNTP& req) {
  auto settings = SettableNetwork(ctx);
  if (!settings) return MakeUnexpected(settings.error());
  std::vector<std::string> servers;
  for (const auto& h : req.ntpmanual()) {
    switch (h.type()) {
      case tt::NetworkHostType_IPv4:
        if (!IsIpv4Address(h.ipv4address())) {
          return MakeUnexpected(
              Invalid("Not an IPv4 address: " + h.ipv4address(), "InvalidIPv4Address"));
        }
        servers.push_back(h.ipv4address());
        break;
      case tt::NetworkHostType_IPv6:
        if (!IsIpv6Address(h.ipv6address())) {
          return MakeUnexpected(
              Invalid("Not an IPv6 address: " + h.ipv6address(), "InvalidIPv6Address"));
        }
        servers.push_back(h.ipv6address());
        break;
      default:
        if (!IsHostName(h.dnsname())) {
          return MakeUnexpected(
              Invalid("Not a DNS name (RFC 1123): " + h.dnsname().substr(0, 64), "InvalidDnsName"));
        }
        servers.push_back(h.dnsname());
        break;
    }
  }
  if (auto f = TooMany(static_cast<int>(servers.size()), "NTP servers")) return MakeUnexpected(*f);
  // The clock mode (DateTimeType) is not changed here (Core §8.2.7).
  auto st = (*settings)->Update([&](NetworkState& s) -> std::optional<Fault> {
    s.set_ntp_from_dhcp(req.fromdhcp());
    s.clear_ntp_servers();
    for (const auto& server : servers) s.add_ntp_servers(server);
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(st.error());
  return tds::SetNTPResponse{};
}

// ----------------------------------------------------------- default gateway

Expected<tds::GetNetworkDefaultGatewayResponse, Fault> GetNetworkDefaultGateway(
    const RequestContext& ctx, const tds::GetNetworkDefaultGateway&) {
  const NetworkState s = StateOf(ctx);
  tds::GetNetworkDefaultGatewayResponse r;
  auto* gw = r.mutable_networkgateway();
  if (s.gateway_set()) {
    for (const auto& a : s.gateways_ipv4()) gw->add_ipv4address(a);
    for (const auto& a : s.gateways_ipv6()) gw->add_ipv6address(a);
  } else {
    for (const auto& a : ReadDefaultGateways()) gw->add_ipv4address(a);
  }
  return r;
}

Expected<tds::SetNetworkDefaultGatewayResponse, Fault> SetNetworkDefaultGateway(
    const RequestContext& ctx, const tds::SetNetworkDefaultGateway& req) {
  auto settings = SettableNetwork(ctx);
  if (!settings) return MakeUnexpected(settings.error());
  for (const auto& a : req.ipv4address()) {
    if (!IsIpv4Address(a)) {
      return MakeUnexpected(Invalid("Not an IPv4 gateway address: " + a, "InvalidGatewayAddress"));
    }
  }
  for (const auto& a : req.ipv6address()) {
    if (!IsIpv6Address(a)) {
      return MakeUnexpected(Invalid("Not an IPv6 gateway address: " + a, "InvalidGatewayAddress"));
    }
  }
  if (auto f = TooMany(req.ipv4address_size() + req.ipv6address_size(), "gateways")) {
    return MakeUnexpected(*f);
  }
  auto st = (*settings)->Update([&](NetworkState& s) -> std::optional<Fault> {
    s.set_gateway_set(true);
    s.clear_gateways_ipv4();
    for (const auto& a : req.ipv4address()) s.add_gateways_ipv4(a);
    s.clear_gateways_ipv6();
    for (const auto& a : req.ipv6address()) s.add_gateways_ipv6(a);
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(st.error());
  return tds::SetNetworkDefaultGatewayResponse{};
}

// ----------------------------------------------------------------- protocols

// What really listens for the device: its HTTP port (web services and
// snapshots). HTTPS and RTSP are not served yet, so they are not listed.
}  // namespace

Expected<NetworkSettings*, Fault> SettableNetwork(const RequestContext& ctx) {
  if (ctx.device.network == nullptr) {
    return MakeUnexpected(soap::ActionNotSupported("The device has no network settings"));
  }
  if (!ctx.device.config.network_config_stored) {
    return MakeUnexpected(Fault{soap::FaultCode::kSender,
                                {"OperationProhibited"},
                                "This device's network settings are fixed by its configuration"});
  }
  return ctx.device.network;
}

void BindNetworkOperations(ServiceBinder& b) {
  b.Bind("GetHostname", GetHostname)
      .Bind("SetHostname", SetHostname)
      .Bind("SetHostnameFromDHCP", SetHostnameFromDHCP)
      .Bind("GetDynamicDNS", GetDynamicDNS)
      .Bind("SetDynamicDNS", SetDynamicDNS)
      .Bind("GetDNS", GetDNS)
      .Bind("SetDNS", SetDNS)
      .Bind("GetNTP", GetNTP)
      .Bind("SetNTP", SetNTP)
      .Bind("GetNetworkDefaultGateway", GetNetworkDefaultGateway)
      .Bind("SetNetworkDefaultGateway", SetNetworkDefaultGateway);
}

}  // namespace onvifgw::services::device
