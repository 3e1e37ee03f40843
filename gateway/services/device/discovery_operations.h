#pragma once
// Device-service discovery operations (Core §8.3.14–19): GetScopes, SetScopes,
// AddScopes, RemoveScopes, Get/SetDiscoveryMode. Scope changes take effect at
// once in ProbeMatches and are announced with a Hello; a NonDiscoverable
// device says Bye and answers no Probe until it is made Discoverable again.

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindDiscoveryOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device
