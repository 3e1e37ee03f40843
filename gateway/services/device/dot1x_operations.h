#pragma once
// Device-service IEEE 802.1X configuration operations (devicemgmt.wsdl:
// Create, Set, Get, GetDot1XConfigurations, Delete), validated here and kept
// by Dot1XConfigurations. The virtual device has no port of its own to
// authenticate: the configurations are kept for the clients that manage
// them, as the network settings are.

#include <array>
#include <vector>

#include "services/service_registry.h"

namespace onvifgw::services::device {

/// SupportedEAPMethods (IANA EAP method types): the password-based methods,
/// EAP-MD5 (4), EAP-TTLS (21) and PEAP (25), and where the device keeps
/// certificates, EAP-TLS (13) with a client certificate of its own.
inline constexpr std::array<int, 3> kPasswordEapMethods = {4, 21, 25};
inline constexpr int kEapTls = 13;

/// The EAP methods `device` offers.
std::vector<int> EapMethodsOf(const VirtualDevice& device);

void BindDot1XOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device
