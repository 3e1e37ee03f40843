#include "services/device/interface_operations.h"

#include "core/host_interfaces.h"
#include "http/rebindable_listener.h"
#include "onvif/generated/tds.pb.h"
#include "services/device/discovery_settings.h"
#include "services/device/https_endpoint.h"
#include "services/device/network_names.h"
#include "services/device/network_operations.h"
#include "services/device/network_settings.h"
#include "services/events/event_service.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

constexpr int kMinMtu = 68;                // the least an IPv4 link may have (RFC 791)
constexpr int kMaxMtu = 9000;              // Ethernet jumbo frames
constexpr int kEthernetInterfaceType = 6;  // IANA ifType ethernetCsmacd

// Prefix length of the host interface that owns `address`; 24 if unknown.
int PrefixLengthOf(const std::string& address) {
  for (const HostIpv4Interface& i : HostIpv4Interfaces()) {
    if (i.address == address) return i.prefix_length;
  }
  return 24;
}

bool HostOwns(const std::string& address) {
  for (const HostIpv4Interface& i : HostIpv4Interfaces()) {
    if (i.address == address) return true;
  }
  return false;
}

std::string BoundAddress(const RequestContext& ctx) {
  return ctx.device.listener != nullptr ? ctx.device.listener->address()
                                        : ctx.device.config.address;
}

uint16_t BoundPort(const RequestContext& ctx) {
  return ctx.device.listener != nullptr ? ctx.device.listener->port() : ctx.device.config.port;
}

NetworkState StateOf(const RequestContext& ctx) {
  return ctx.device.network != nullptr ? ctx.device.network->Current() : NetworkState{};
}

// The device moved: its XAddrs changed, which a Hello announces.
void AnnounceMove(const RequestContext& ctx) {
  if (ctx.device.discovery != nullptr) (void)ctx.device.discovery->AddressesChanged();
  if (ctx.device.announce && ctx.device.discovery != nullptr &&
      ctx.device.discovery->Snapshot().discoverable) {
    ctx.device.announce(DiscoveryAnnouncement::kHello);
  }
}

// The network settings, when they may be changed and the token names the
// virtual device's one network interface.
Expected<NetworkSettings*, Fault> SettableInterface(const RequestContext& ctx,
                                                    const std::string& token) {
  auto settings = SettableNetwork(ctx);
  if (!settings) return settings;
  if (token != events::kNetworkInterfaceToken) {
    return MakeUnexpected(soap::InvalidArgVal(std::string("No network interface ") + token,
                                              "InvalidNetworkInterface"));
  }
  return settings;
}

// ------------------------------------------------------------- interfaces

Expected<tds::GetNetworkInterfacesResponse, Fault> GetNetworkInterfaces(
    const RequestContext& ctx, const tds::GetNetworkInterfaces&) {
  const NetworkState s = StateOf(ctx);
  tds::GetNetworkInterfacesResponse r;
  auto* nic = r.add_networkinterfaces();
  nic->set_token(std::string(events::kNetworkInterfaceToken));
  nic->set_enabled(true);
  nic->mutable_info()->set_name("eth0");
  nic->mutable_info()->set_hwaddress(ctx.device.config.mac.empty() ? ctx.device.identity.mac
                                                                   : ctx.device.config.mac);
  nic->mutable_info()->set_mtu(s.mtu() > 0 ? s.mtu() : 1500);
  if (s.link_set()) {
    auto* link = nic->mutable_link();
    for (auto* setting : {link->mutable_adminsettings(), link->mutable_opersettings()}) {
      setting->set_autonegotiation(s.link_auto_negotiation());
      setting->set_speed(s.link_speed());
      setting->set_duplex(s.link_full_duplex() ? tt::Duplex_Full : tt::Duplex_Half);
    }
    link->set_interfacetype(kEthernetInterfaceType);
  }
  auto* v4 = nic->mutable_ipv4();
  v4->set_enabled(true);
  auto* cfg = v4->mutable_config();
  // The address the device is bound to, or, bound to all, the one this
  // request arrived on.
  const std::string bound = BoundAddress(ctx);
  const std::string address =
      IsIpv4Address(bound) && bound != "0.0.0.0" ? bound : ctx.local_address;
  if (IsIpv4Address(address)) {
    auto* manual = cfg->add_manual();
    manual->set_address(address);
    manual->set_prefixlength(address == s.ipv4_address() && s.ipv4_prefix_length() > 0
                                 ? s.ipv4_prefix_length()
                                 : PrefixLengthOf(address));
  }
  cfg->set_dhcp(false);
  return r;
}

Expected<tds::SetNetworkInterfacesResponse, Fault> SetNetworkInterfaces(
    const RequestContext& ctx, const tds::SetNetworkInterfaces& req) {
  auto settings = SettableInterface(ctx, req.interfacetoken());
  if (!settings) return MakeUnexpected(settings.error());
  const tt::NetworkInterfaceSetConfiguration& nic = req.networkinterface();
  // What would cut the device off, or what a virtual device does not have.
  if (nic.has_enabled() && !nic.enabled()) {
    return MakeUnexpected(soap::InvalidArgVal(
        "The only network interface cannot be disabled: the device would be unreachable"));
  }
  if (nic.has_extension() && nic.extension().dot11_size() > 0) {
    return MakeUnexpected(
        soap::ActionNotSupported("The device has no IEEE 802.11 interface", "InvalidDot11"));
  }
  if (nic.has_mtu() && (nic.mtu() < kMinMtu || nic.mtu() > kMaxMtu)) {
    return MakeUnexpected(soap::InvalidArgVal(
        std::string("MTU must be ") + std::to_string(kMinMtu) + "-" + std::to_string(kMaxMtu),
        "InvalidMtuValue"));
  }
  if (nic.has_link() && nic.link().speed() <= 0) {
    return MakeUnexpected(
        soap::InvalidArgVal("Link speed must be positive (Mb/s)", "InvalidInterfaceSpeed"));
  }
  if (nic.has_ipv6() && nic.ipv6().enabled()) {
    return MakeUnexpected(
        soap::InvalidArgVal("IPv6 is not offered (IPVersion6 is false)", "InvalidIPv6Address"));
  }
  std::optional<std::pair<std::string, int>> move_to;
  if (nic.has_ipv4()) {
    const auto& v4 = nic.ipv4();
    if (v4.has_enabled() && !v4.enabled()) {
      return MakeUnexpected(soap::InvalidArgVal(
          "IPv4 cannot be disabled: the device would be unreachable", "InvalidIPv4Address"));
    }
    if (v4.dhcp()) {
      return MakeUnexpected(soap::InvalidArgVal(
          "A virtual device has no DHCP client: give a manual address", "InvalidIPv4Address"));
    }
    if (v4.manual_size() > 1) {
      return MakeUnexpected(
          soap::InvalidArgVal("A virtual device has one IPv4 address", "InvalidIPv4Address"));
    }
    if (v4.manual_size() == 1) {
      const auto& m = v4.manual(0);
      if (!IsIpv4Address(m.address()) || m.prefixlength() < 1 || m.prefixlength() > 32) {
        return MakeUnexpected(soap::InvalidArgVal(
            std::string("Not an IPv4 address: ") + m.address(), "InvalidIPv4Address"));
      }
      if (!HostOwns(m.address())) {
        return MakeUnexpected(soap::InvalidArgVal(
            m.address() + " is not an address of the appliance the device runs on",
            "InvalidIPv4Address"));
      }
      move_to = std::make_pair(m.address(), m.prefixlength());
    }
  }

  // Move first (nothing changes if the address cannot be bound), then store.
  const std::string old_address = BoundAddress(ctx);
  const bool moves = move_to && move_to->first != old_address && ctx.device.listener != nullptr;
  if (moves) {
    if (auto st = ctx.device.listener->Rebind(move_to->first, BoundPort(ctx)); !st) {
      return MakeUnexpected(
          soap::ActionFailed(std::string("The device cannot listen on ") + move_to->first));
    }
  }
  // HTTPS, when served, moves with it.
  const bool https_moves = moves && ctx.device.https != nullptr && ctx.device.https->serving();
  const uint16_t https_port = https_moves ? ctx.device.https->port() : 0;
  if (https_moves) {
    if (auto st = ctx.device.https->Serve(move_to->first, https_port); !st) {
      (void)ctx.device.listener->Rebind(old_address, BoundPort(ctx));
      return MakeUnexpected(
          soap::ActionFailed(std::string("The device cannot serve HTTPS on ") + move_to->first));
    }
  }
  auto st = (*settings)->Update([&](NetworkState& s) -> std::optional<Fault> {
    if (nic.has_mtu()) s.set_mtu(nic.mtu());
    if (nic.has_link()) {
      s.set_link_set(true);
      s.set_link_auto_negotiation(nic.link().autonegotiation());
      s.set_link_speed(nic.link().speed());
      s.set_link_full_duplex(nic.link().duplex() == tt::Duplex_Full);
    }
    if (move_to) {
      s.set_ipv4_address(move_to->first);
      s.set_ipv4_prefix_length(move_to->second);
      s.set_ipv4_address_config(ctx.device.config.address);
    }
    return std::nullopt;
  });
  if (!st) {
    if (https_moves) (void)ctx.device.https->Serve(old_address, https_port);
    if (moves) (void)ctx.device.listener->Rebind(old_address, BoundPort(ctx));
    return MakeUnexpected(st.error());
  }
  if (moves) AnnounceMove(ctx);
  tds::SetNetworkInterfacesResponse r;
  r.set_rebootneeded(false);  // the listener has moved already
  return r;
}

// ---------------------------------------------------- zero configuration

// RFC 3927 link-local addresses are 169.254/16.
bool IsLinkLocal(const HostIpv4Interface& i) { return (i.address_host_order >> 16) == 0xA9FE; }

// The link-local addresses the device answers on while zero configuration is
// on: those the appliance has acquired (a virtual device acquires none of
// its own), when the device listens on them or on every address.
Expected<tds::GetZeroConfigurationResponse, Fault> GetZeroConfiguration(
    const RequestContext& ctx, const tds::GetZeroConfiguration&) {
  const NetworkState s = StateOf(ctx);
  tds::GetZeroConfigurationResponse r;
  auto* zc = r.mutable_zeroconfiguration();
  zc->set_interfacetoken(std::string(events::kNetworkInterfaceToken));
  zc->set_enabled(s.zero_configuration());
  if (s.zero_configuration()) {
    const std::string bound = BoundAddress(ctx);
    for (const HostIpv4Interface& i : HostIpv4Interfaces()) {
      if (IsLinkLocal(i) && i.up && (bound == "0.0.0.0" || bound == i.address)) {
        zc->add_addresses(i.address);
      }
    }
  }
  return r;
}

Expected<tds::SetZeroConfigurationResponse, Fault> SetZeroConfiguration(
    const RequestContext& ctx, const tds::SetZeroConfiguration& req) {
  auto settings = SettableInterface(ctx, req.interfacetoken());
  if (!settings) return MakeUnexpected(settings.error());
  auto st = (*settings)->Update([&](NetworkState& s) -> std::optional<Fault> {
    s.set_zero_configuration(req.enabled());
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(st.error());
  return tds::SetZeroConfigurationResponse{};
}

// -------------------------------------------------------------- protocols

// Where HTTPS is served, or would be when switched on: the port a client set
// last, else 443.
uint16_t HttpsPort(const RequestContext& ctx) {
  if (ctx.device.https != nullptr && ctx.device.https->serving()) return ctx.device.https->port();
  const uint32_t stored = StateOf(ctx).https_port();
  return stored != 0 ? static_cast<uint16_t>(stored) : 443;
}

Expected<tds::GetNetworkProtocolsResponse, Fault> GetNetworkProtocols(
    const RequestContext& ctx, const tds::GetNetworkProtocols&) {
  tds::GetNetworkProtocolsResponse r;
  auto* http = r.add_networkprotocols();
  http->set_name(tt::NetworkProtocolType_HTTP);
  http->set_enabled(true);
  http->add_port(BoundPort(ctx));
  if (ctx.device.https != nullptr) {
    auto* https = r.add_networkprotocols();
    https->set_name(tt::NetworkProtocolType_HTTPS);
    https->set_enabled(ctx.device.https->serving());
    https->add_port(HttpsPort(ctx));
  }
  if (ctx.device.relay != nullptr) {
    auto* rtsp = r.add_networkprotocols();
    rtsp->set_name(tt::NetworkProtocolType_RTSP);
    rtsp->set_enabled(true);
    rtsp->add_port(ctx.device.relay->port());
  }
  return r;
}

// The one port a protocol that stays on names (1-65535).
Expected<uint16_t, Fault> OnePort(const tt::NetworkProtocol& p, const char* name) {
  if (!p.enabled()) {
    return MakeUnexpected(soap::InvalidArgVal(std::string(name) + " cannot be switched off: " +
                                              (p.name() == tt::NetworkProtocolType_HTTP
                                                   ? "it is the only way to reach the device"
                                                   : "the device's streams are served over it")));
  }
  if (p.port_size() != 1 || p.port(0) < 1 || p.port(0) > 65535) {
    return MakeUnexpected(
        soap::InvalidArgVal(std::string(name) + " needs exactly one port, 1-65535"));
  }
  return static_cast<uint16_t>(p.port(0));
}

Fault PortInUse(uint16_t port) {
  return soap::InvalidArgVal(std::string("Port ") + std::to_string(port) + " is already in use",
                             "PortAlreadyInUse");
}

// What a request asks of HTTPS: on at a port, or off (at a port to use
// when it is switched on again, if one is named).
struct HttpsRequest {
  bool enabled = false;
  std::optional<uint16_t> port;
};

Expected<tds::SetNetworkProtocolsResponse, Fault> SetNetworkProtocols(
    const RequestContext& ctx, const tds::SetNetworkProtocols& req) {
  auto settings = SettableNetwork(ctx);
  if (!settings) return MakeUnexpected(settings.error());
  std::optional<uint16_t> http_port;
  std::optional<uint16_t> rtsp_port;
  std::optional<HttpsRequest> https;
  for (const tt::NetworkProtocol& p : req.networkprotocols()) {
    const bool http = p.name() == tt::NetworkProtocolType_HTTP;
    const bool rtsp = p.name() == tt::NetworkProtocolType_RTSP && ctx.device.relay != nullptr;
    if (p.name() == tt::NetworkProtocolType_HTTPS && ctx.device.https != nullptr) {
      if (https) return MakeUnexpected(soap::InvalidArgVal("HTTPS is named twice"));
      HttpsRequest h{.enabled = p.enabled(), .port = std::nullopt};
      if (p.enabled() || p.port_size() > 0) {
        if (p.port_size() != 1 || p.port(0) < 1 || p.port(0) > 65535) {
          return MakeUnexpected(soap::InvalidArgVal("HTTPS needs exactly one port, 1-65535"));
        }
        h.port = static_cast<uint16_t>(p.port(0));
      }
      https = h;
      continue;
    }
    if (!http && !rtsp) {
      // HTTPS without certificates (and RTSP without the relay) are not
      // served: off is what they are.
      if (p.enabled()) {
        return MakeUnexpected(soap::InvalidArgVal(
            std::string(p.name() == tt::NetworkProtocolType_HTTPS ? "HTTPS" : "RTSP") +
                " is not served by this device",
            "ServiceNotSupported"));
      }
      continue;
    }
    std::optional<uint16_t>& slot = http ? http_port : rtsp_port;
    const char* name = http ? "HTTP" : "RTSP";
    if (slot) return MakeUnexpected(soap::InvalidArgVal(std::string(name) + " is named twice"));
    auto port = OnePort(p, name);
    if (!port) return MakeUnexpected(port.error());
    slot = *port;
  }
  const uint16_t old_http = BoundPort(ctx);
  const uint16_t old_rtsp = ctx.device.relay != nullptr ? ctx.device.relay->port() : 0;
  const bool was_serving_https = ctx.device.https != nullptr && ctx.device.https->serving();
  const uint16_t old_https = HttpsPort(ctx);
  const bool move_http = http_port && *http_port != old_http;
  const bool move_rtsp = rtsp_port && *rtsp_port != old_rtsp;
  const bool https_on = https ? https->enabled : was_serving_https;
  const uint16_t new_https = https && https->port ? *https->port : old_https;
  // Against what is stored as well: HTTPS stored on but not served (its port
  // was taken at start) is switched off for good when a client says so.
  const NetworkState stored = StateOf(ctx);
  const bool change_https =
      https && (https->enabled != was_serving_https || new_https != old_https ||
                https->enabled != stored.https_enabled() || new_https != stored.https_port());
  if (!move_http && !move_rtsp && !change_https) return tds::SetNetworkProtocolsResponse{};
  const uint16_t final_http = http_port.value_or(old_http);
  if (final_http == rtsp_port.value_or(old_rtsp)) {
    return MakeUnexpected(soap::InvalidArgVal("HTTP and RTSP cannot share a port"));
  }
  if (https_on && (new_https == final_http || new_https == rtsp_port.value_or(old_rtsp))) {
    return MakeUnexpected(soap::InvalidArgVal("HTTPS cannot share a port with HTTP or RTSP"));
  }
  if (move_http && ctx.device.listener == nullptr) {
    return MakeUnexpected(soap::ActionFailed("The device's port cannot be moved"));
  }
  // Every move happens or none: RTSP first (the relay answers at once),
  // then HTTP, then HTTPS; a failure puts back what moved.
  if (move_rtsp) {
    if (auto st = ctx.device.relay->MoveTo(*rtsp_port); !st) {
      return MakeUnexpected(PortInUse(*rtsp_port));
    }
  }
  const std::string address =
      ctx.device.listener != nullptr ? ctx.device.listener->address() : ctx.device.config.address;
  auto undo_http_rtsp = [&] {
    if (move_http) (void)ctx.device.listener->Rebind(address, old_http);
    if (move_rtsp) (void)ctx.device.relay->MoveTo(old_rtsp);
  };
  if (move_http) {
    if (auto st = ctx.device.listener->Rebind(address, *http_port); !st) {
      if (move_rtsp) (void)ctx.device.relay->MoveTo(old_rtsp);
      return MakeUnexpected(PortInUse(*http_port));
    }
  }
  auto undo_https = [&] {
    if (!change_https) return;
    if (was_serving_https) {
      (void)ctx.device.https->Serve(address, old_https);
    } else {
      ctx.device.https->Stop();
    }
  };
  if (change_https) {
    if (https_on) {
      if (auto st = ctx.device.https->Serve(address, new_https); !st) {
        undo_http_rtsp();
        return MakeUnexpected(st.error());
      }
    } else {
      ctx.device.https->Stop();
    }
  }
  auto st = (*settings)->Update([&](NetworkState& s) -> std::optional<Fault> {
    if (move_http) {
      s.set_http_port(*http_port);
      s.set_http_port_config(ctx.device.config.port);
    }
    if (move_rtsp) {
      s.set_rtsp_port(*rtsp_port);
      s.set_rtsp_port_config(ctx.device.config.rtsp_port);
    }
    if (https) {
      s.set_https_enabled(https_on);
      s.set_https_port(new_https);
    }
    return std::nullopt;
  });
  if (!st) {
    undo_https();
    undo_http_rtsp();
    return MakeUnexpected(st.error());
  }
  // The XAddrs changed; stream URIs are asked for anew.
  if (move_http || change_https) AnnounceMove(ctx);
  return tds::SetNetworkProtocolsResponse{};
}

}  // namespace

void BindInterfaceOperations(ServiceBinder& b) {
  b.Bind("GetNetworkInterfaces", GetNetworkInterfaces)
      .Bind("SetNetworkInterfaces", SetNetworkInterfaces)
      .Bind("GetNetworkProtocols", GetNetworkProtocols)
      .Bind("SetNetworkProtocols", SetNetworkProtocols)
      .Bind("GetZeroConfiguration", GetZeroConfiguration)
      .Bind("SetZeroConfiguration", SetZeroConfiguration);
}

}  // namespace onvifgw::services::device
