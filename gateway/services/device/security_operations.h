#pragma once
// Device-service operations that manage security (Core §8.2.18-21, §8.4,
// §8.5): users, access policy, remote user, IP address filter, password
// complexity and history, authentication failure warning. All are backed by
// DeviceSecurity and change nothing unless the whole request is valid
// (all-or-nothing).

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindSecurityOperations(ServiceBinder& binder);

/// Limits advertised in the capabilities and enforced.
inline constexpr int kMaxUsers = 32;
inline constexpr int kMaxPasswordHistory = 10;
inline constexpr int kMaxIpFilterEntries = 32;

}  // namespace onvifgw::services::device
