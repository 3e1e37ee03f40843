#pragma once
// GetSystemLog, GetSystemSupportInformation and GetSystemUris (Core
// §8.3.2, §8.3.11–12): the texts of system_information.h, inline and as
// HTTP GET downloads on the device's port (same users, READ_SYSTEM_SECRET).

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindSystemInformationOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device
