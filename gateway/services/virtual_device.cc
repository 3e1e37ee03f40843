#include "services/virtual_device.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace onvifgw::services {
namespace {

// Scope values are URI path segments: percent-encode everything but
// unreserved characters (Core §7.3.2.2: spaces become %20).
std::string EncodeSegment(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A location may be a path ("country/france/city/paris"): encode per segment.
std::string EncodePath(const std::string& s) {
  std::string out;
  std::string seg;
  for (char c : s) {
    if (c == '/') {
      out += EncodeSegment(seg) + "/";
      seg.clear();
    } else {
      seg += c;
    }
  }
  return out + EncodeSegment(seg);
}

}  // namespace

AdvertisedAddress ParseAdvertisedAddress(const std::string& text) {
  AdvertisedAddress a;
  std::string rest;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    a.host = text.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    if (close != std::string::npos) rest = text.substr(close + 1);
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    a.host = text.substr(0, text.find(':'));
    rest = text.substr(text.find(':'));
  } else {
    a.host = text;  // a name, an IPv4 address, or an unbracketed IPv6 literal
  }
  if (rest.size() > 1 && rest.front() == ':') {
    const int port = std::atoi(rest.c_str() + 1);
    if (port > 0 && port < 65536) a.port = static_cast<uint16_t>(port);
  }
  return a;
}

std::string AdvertisedAddress::Authority(uint16_t default_port) const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port.value_or(default_port));
}

std::vector<std::string> FixedScopes(const config::DeviceConfig& device,
                                     const std::string& hardware) {
  const std::string base = "onvif://www.onvif.org/";
  std::vector<std::string> scopes = {
      base + "type/video_encoder",
      base + "name/" + EncodeSegment(device.name),
      base + "hardware/" + EncodeSegment(hardware),
  };
  // Profile S needs the Media service, served for a device with a camera.
  // Profile T is not claimed: it also needs Imaging and DeviceIO.
  if (!device.camera.empty()) scopes.insert(scopes.begin() + 1, base + "Profile/Streaming");
  for (const auto& loc : device.locations) scopes.push_back(base + "location/" + EncodePath(loc));
  return scopes;
}

std::vector<std::string> CamerasWith(
    const VirtualDevice& device,
    const std::function<bool(const adapters::v1::Capabilities&)>& has) {
  std::vector<std::string> out;
  if (device.adapter == nullptr) return out;
  const auto facts = device.adapter->facts();
  if (!facts) return out;
  std::vector<std::string> ids = device.config.cameras;
  if (ids.empty() && !device.config.camera.empty()) ids.push_back(device.config.camera);
  for (const std::string& id : ids) {
    const adapters::CameraFacts* cam = facts->Camera(id);
    if (cam == nullptr || !has(cam->description.capabilities())) continue;
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

}  // namespace onvifgw::services
