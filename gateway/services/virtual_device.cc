#include "services/virtual_device.h"

#include <cctype>

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

std::vector<std::string> FixedScopes(const config::DeviceConfig& device,
                                     const std::string& hardware) {
  const std::string base = "onvif://www.onvif.org/";
  std::vector<std::string> scopes = {
      base + "type/video_encoder",
      base + "Profile/Streaming",
      base + "name/" + EncodeSegment(device.name),
      base + "hardware/" + EncodeSegment(hardware),
  };
  for (const auto& loc : device.locations) scopes.push_back(base + "location/" + EncodePath(loc));
  return scopes;
}

}  // namespace onvifgw::services
