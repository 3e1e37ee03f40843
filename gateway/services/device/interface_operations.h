#pragma once
// Device-service operations that say where the virtual device is reached
// (Core §8.2.10–13, §8.2.20–21): Get/SetNetworkInterfaces,
// Get/SetNetworkProtocols and Get/SetZeroConfiguration (the switch is kept;
// the link-local addresses listed are the appliance's that the device
// answers on).
// Moving the device to another port, or to another of the appliance's own
// IPv4 addresses, really moves its listener (at once: RebootNeeded is
// false) and is announced with a Hello; settings the virtual device cannot
// honour (DHCP, IPv6, switching it off, HTTPS and RTSP before they are
// served) are refused with the documented faults, changing nothing.

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindInterfaceOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device
