#pragma once
// URIs of WS-Discovery 2005/04 (with WS-Addressing 2004/08) as ONVIF uses it.

#include <string_view>

namespace onvifgw::discovery::wsd {

/// wsa:To of every multicast message (Hello, Bye, Probe, Resolve).
inline constexpr std::string_view kMulticastTo = "urn:schemas-xmlsoap-org:ws:2005:04:discovery";
/// wsa:To of a reply when the request named no ReplyTo.
inline constexpr std::string_view kAnonymous =
    "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";

inline constexpr std::string_view kActionHello =
    "http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello";
inline constexpr std::string_view kActionBye =
    "http://schemas.xmlsoap.org/ws/2005/04/discovery/Bye";
inline constexpr std::string_view kActionProbe =
    "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe";
inline constexpr std::string_view kActionProbeMatches =
    "http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches";
inline constexpr std::string_view kActionResolve =
    "http://schemas.xmlsoap.org/ws/2005/04/discovery/Resolve";
inline constexpr std::string_view kActionResolveMatches =
    "http://schemas.xmlsoap.org/ws/2005/04/discovery/ResolveMatches";
inline constexpr std::string_view kActionFault =
    "http://schemas.xmlsoap.org/ws/2005/04/discovery/fault";

/// Scope matching rules (the MatchBy attribute of d:Scopes).
inline constexpr std::string_view kMatchByRfc2396 =
    "http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc2396";
inline constexpr std::string_view kMatchByRfc3986 =
    "http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc3986";
inline constexpr std::string_view kMatchByStrcmp0 =
    "http://schemas.xmlsoap.org/ws/2005/04/discovery/strcmp0";

/// IPv4 multicast group and port of WS-Discovery.
inline constexpr std::string_view kMulticastGroupV4 = "239.255.255.250";
inline constexpr unsigned short kPort = 3702;

/// Path of the ONVIF device service on every virtual device's HTTP port.
inline constexpr std::string_view kDeviceServicePath = "/onvif/device_service";

}  // namespace onvifgw::discovery::wsd
