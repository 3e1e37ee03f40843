#pragma once
// Device-service network operations of the virtual device (Core §8.2):
// Get/SetHostname, SetHostnameFromDHCP, Get/SetDNS, Get/SetNTP,
// Get/SetNetworkDefaultGateway and Get/SetDynamicDNS
// (where the device listens is interface_operations.h). Values are validated (ter:InvalidHostname,
// ter:InvalidIPv4Address, ...), stored per device (NetworkSettings), or
// refused with ter:OperationProhibited when the device's config says
// `network_config: refuse`.

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindNetworkOperations(ServiceBinder& binder);

class NetworkSettings;
/// The device's network settings to change, or the fault saying why they
/// cannot be: ter:ActionNotSupported without them, ter:OperationProhibited
/// under `network_config: refuse`.
Expected<NetworkSettings*, soap::Fault> SettableNetwork(const RequestContext& ctx);

}  // namespace onvifgw::services::device
