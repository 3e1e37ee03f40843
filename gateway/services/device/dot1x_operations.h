#pragma once
// Device-service IEEE 802.1X configuration operations (devicemgmt.wsdl:
// Create, Set, Get, GetDot1XConfigurations, Delete), validated here and kept
// by Dot1XConfigurations. The virtual device has no port of its own to
// authenticate: the configurations are kept for the clients that manage
// them, as the network settings are.

#include <array>

#include "services/service_registry.h"

namespace onvifgw::services::device {

/// SupportedEAPMethods (IANA EAP method types): the password-based methods,
/// EAP-MD5 (4), EAP-TTLS (21) and PEAP (25). EAP-TLS (13) needs a client
/// certificate, and the device holds no certificates.
inline constexpr std::array<int, 3> kEapMethods = {4, 21, 25};

void BindDot1XOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device
