#pragma once
// Device-service network operations of the virtual device (Core §8.2):
// Get/SetHostname, Get/SetDNS, Get/SetNTP, Get/SetNetworkDefaultGateway and
// GetNetworkProtocols. Values are validated (ter:InvalidHostname,
// ter:InvalidIPv4Address, ...), stored per device (NetworkSettings), or
// refused with ter:OperationProhibited when the device's config says
// `network_config: refuse`.

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindNetworkOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device
