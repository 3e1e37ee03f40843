#include "discovery/xaddrs.h"

#include "discovery/wsd_constants.h"

namespace onvifgw::discovery {

bool IsUnspecifiedAddress(std::string_view address) {
  return address.empty() || address == "0.0.0.0" || address == "::" || address == "[::]";
}

std::string DeviceServiceXAddr(std::string_view host, uint16_t port, std::string_view scheme) {
  std::string out(scheme);
  out += "://";
  const bool bracket = host.find(':') != std::string_view::npos && host.front() != '[';
  if (bracket) out += '[';
  out += host;
  if (bracket) out += ']';
  out += ':';
  out += std::to_string(port);
  out += wsd::kDeviceServicePath;
  return out;
}

std::vector<std::string> DeviceServiceXAddrs(const DiscoverableDevice& device,
                                             std::string_view host) {
  std::vector<std::string> out{DeviceServiceXAddr(host, device.http_port)};
  if (device.https_port != 0) out.push_back(DeviceServiceXAddr(host, device.https_port, "https"));
  return out;
}

std::string ReplyHost(const DiscoverableDevice& device, std::string_view arrival_address) {
  if (!device.advertised_host.empty()) return device.advertised_host;
  if (!IsUnspecifiedAddress(device.bind_address)) return device.bind_address;
  return std::string(arrival_address);
}

std::string AnnounceHost(const DiscoverableDevice& device, std::string_view default_host) {
  return ReplyHost(device, default_host);
}

}  // namespace onvifgw::discovery
