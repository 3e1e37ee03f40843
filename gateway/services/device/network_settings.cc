#include "services/device/network_settings.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace onvifgw::services::device {

NetworkSettings::Binding NetworkSettings::BindingFor(const std::string& config_address,
                                                     uint16_t config_port) const {
  const NetworkState s = Current();
  Binding b{config_address, config_port};
  if (!s.ipv4_address().empty() && s.ipv4_address_config() == config_address) {
    b.address = s.ipv4_address();
  }
  if (s.http_port() != 0 && s.http_port_config() == config_port) {
    b.port = static_cast<uint16_t>(s.http_port());
  }
  return b;
}

uint16_t NetworkSettings::RtspPortFor(uint16_t config_rtsp_port) const {
  const NetworkState s = Current();
  if (s.rtsp_port() != 0 && s.rtsp_port_config() == config_rtsp_port) {
    return static_cast<uint16_t>(s.rtsp_port());
  }
  return config_rtsp_port;
}
HostResolver ReadResolvConf(const std::string& path) {
  HostResolver r;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "nameserver") {
      std::string server;
      if (words >> server) r.servers.push_back(server);
    } else if (key == "search" || key == "domain") {
      r.search_domains.clear();  // the last of them wins (resolv.conf(5))
      for (std::string d; words >> d;) r.search_domains.push_back(d);
    }
  }
  return r;
}

std::vector<std::string> ReadDefaultGateways(const std::string& path) {
  // Columns: Iface Destination Gateway Flags ...; hexadecimal, in the host's
  // byte order as the kernel stores it (network order read as a number).
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream cols(line);
    std::string iface, destination, gateway;
    if (!(cols >> iface >> destination >> gateway) || destination != "00000000") continue;
    uint32_t raw = 0;
    const auto [end, ec] =
        std::from_chars(gateway.data(), gateway.data() + gateway.size(), raw, 16);
    if (ec != std::errc() || end != gateway.data() + gateway.size() || raw == 0) continue;
    in_addr a{};
    a.s_addr = raw;
    char text[INET_ADDRSTRLEN];
    if (inet_ntop(AF_INET, &a, text, sizeof text) == nullptr) continue;
    if (std::find(out.begin(), out.end(), text) == out.end()) out.emplace_back(text);
  }
  return out;
}

}  // namespace onvifgw::services::device
