#pragma once
// Which host a device's XAddrs carry. Pure functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "discovery/discoverable_device.h"

namespace onvifgw::discovery {

/// True for an empty address, "0.0.0.0" and "::": listening on every interface.
bool IsUnspecifiedAddress(std::string_view address);

/// "http://HOST:PORT/onvif/device_service" (or "https://..."); an IPv6
/// literal host is bracketed.
std::string DeviceServiceXAddr(std::string_view host, uint16_t port,
                               std::string_view scheme = "http");
/// The device service's XAddrs on `host`: HTTP, and HTTPS while it is on.
std::vector<std::string> DeviceServiceXAddrs(const DiscoverableDevice& device,
                                             std::string_view host);

/// Host for a reply: the device's advertised_host if set; else its bind_address
/// if that is a specific address; else `arrival_address`, the local address on
/// which the request arrived (so the prober can reach it).
std::string ReplyHost(const DiscoverableDevice& device, std::string_view arrival_address);

/// Host for a Hello, which answers no request: advertised_host, else a specific
/// bind_address, else `default_host` (see DefaultIpv4Host()).
std::string AnnounceHost(const DiscoverableDevice& device, std::string_view default_host);

}  // namespace onvifgw::discovery
