#pragma once
// The ONVIF Device service (devicemgmt.wsdl), first slice. Every operation is
// declared once in device_service.cc with its access class (FACTS.md §1.4);
// operations not declared there answer ter:ActionNotSupported.

#include <vector>

#include "services/operation.h"

namespace onvifgw::services::device {

inline constexpr std::string_view kPath = "/onvif/device_service";

std::vector<Operation> Operations();

}  // namespace onvifgw::services::device
