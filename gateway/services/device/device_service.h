#pragma once
// The ONVIF Device service (devicemgmt.wsdl). Serve() registers it: every
// operation of the WSDL is bound to its handler (here, in
// security_operations.cc and io_operations.cc) or declared unsupported. The
// access classes come from the operations table (FACTS.md §1.4).

#include <string_view>

#include "services/service_registry.h"

namespace onvifgw::services::device {

inline constexpr std::string_view kPath = "/onvif/device_service";

void Serve(ServiceRegistry& registry);

}  // namespace onvifgw::services::device
