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

#include "onvif/generated/tds.pb.h"
#include "services/operation.h"
#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindIoOperations(ServiceBinder& binder);

/// The relay operations, also served by the DeviceIO service (whose
/// GetRelayOutputs and SetRelayOutputState take the Device service's
/// messages).
void GetRelayOutputs(const RequestContext& ctx, const onvif::tds::GetRelayOutputs& req,
                     Completion done);
void SetRelayOutputSettings(const RequestContext& ctx,
                            const onvif::tds::SetRelayOutputSettings& req, Completion done);
void SetRelayOutputState(const RequestContext& ctx, const onvif::tds::SetRelayOutputState& req,
                         Completion done);

/// The auxiliary commands the device offers (its camera's, as its adapter
/// described them), for the capabilities and SendAuxiliaryCommand.
std::vector<std::string> AuxiliaryCommandsOf(const VirtualDevice& device);

}  // namespace onvifgw::services::device
