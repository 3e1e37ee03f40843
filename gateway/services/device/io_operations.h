#pragma once
// Device-service relay output operations (Core §8.6, Profile S §S.16):
// GetRelayOutputs, SetRelayOutputSettings, SetRelayOutputState, backed by the
// camera's adapter (ListRelayOutputs / SetRelayOutputSettings /
// SetRelayOutputState). Relay tokens are the adapter's relay ids. A camera
// without relays answers ter:ActionNotSupported, and GetCapabilities says 0.
// And SendAuxiliaryCommand (Core §8.7): the camera's auxiliary commands (IR
// lamp, wiper...), listed in the capabilities' Misc@AuxiliaryCommands.

#include <string>
#include <vector>

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindIoOperations(ServiceBinder& binder);

/// The auxiliary commands the device offers (its camera's, as its adapter
/// described them), for the capabilities and SendAuxiliaryCommand.
std::vector<std::string> AuxiliaryCommandsOf(const VirtualDevice& device);

}  // namespace onvifgw::services::device
