#pragma once
// What a device tells about itself for diagnosis (Core §8.3.11–12, and the
// downloads GetSystemUris names):
//
//   System log:  the gateway's recent log lines about this device, its
//                adapter, and the gateway as a whole.
//   Access log:  who changed what on this device, read its secrets, was
//                refused, or failed to authenticate.
//   Support information: the gateway and device identity, the listener,
//                the adapter and its cameras as last described, the users
//                per level, and the end of the system log. Never a password.
//
// Plain text, oldest line first. Thread-safe.

#include <string>

#include "services/virtual_device.h"

namespace onvifgw::services::device {

enum class SystemLogKind { kSystem, kAccess };

std::string SystemLogText(const VirtualDevice& device, SystemLogKind kind);
std::string SupportInformationText(const VirtualDevice& device);

/// Paths of the HTTP GET downloads, below the device's port.
inline constexpr std::string_view kSystemLogPath = "/onvif/system/log/system";
inline constexpr std::string_view kAccessLogPath = "/onvif/system/log/access";
inline constexpr std::string_view kSupportInformationPath = "/onvif/system/support";

}  // namespace onvifgw::services::device
