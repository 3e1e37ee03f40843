#pragma once
// Device-service relay output operations (Core §8.6, Profile S §S.16):
// GetRelayOutputs, SetRelayOutputSettings, SetRelayOutputState, backed by the
// camera's adapter (ListRelayOutputs / SetRelayOutputSettings /
// SetRelayOutputState). Relay tokens are the adapter's relay ids. A camera
// without relays answers ter:ActionNotSupported, and GetCapabilities says 0.

#include <vector>

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindIoOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device
