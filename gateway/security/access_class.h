#pragma once
// ONVIF access classes (Core §5.9.4.3). Every operation declares one, next to
// its handler; the security room enforces them before dispatch.

#include <string_view>

namespace onvifgw::security {

enum class AccessClass {
  kPreAuth,
  kReadSystem,
  kReadSystemSensitive,
  kReadSystemSecret,
  kWriteSystem,
  kUnrecoverable,
  kReadMedia,
  kActuate,
};

std::string_view AccessClassName(AccessClass c);

}  // namespace onvifgw::security
