#pragma once
// What a handler knows about the request beyond its body: which virtual
// device it addresses and how the client reached it.

#include <string>

#include "services/virtual_device.h"

namespace onvifgw::services {

struct RequestContext {
  const VirtualDevice& device;
  /// "http" or "https", as the request arrived.
  std::string scheme;
  /// Host and port for addresses handed back to the client (XAddrs): the
  /// device's advertised_address, else the local address and port the
  /// request arrived on (Core §8.1.2.2).
  std::string authority;
  /// The local IP address the request arrived on (no port).
  std::string local_address;
  /// The HTTP path the request was posted to ("/onvif/subscription/7").
  std::string path;

  std::string ServiceUrl(std::string_view service_path) const {
    return scheme + "://" + authority + std::string(service_path);
  }
};

}  // namespace onvifgw::services
