#include "security/access_class.h"

namespace onvifgw::security {

std::string_view AccessClassName(AccessClass c) {
  switch (c) {
    case AccessClass::kPreAuth: return "PRE_AUTH";
    case AccessClass::kReadSystem: return "READ_SYSTEM";
    case AccessClass::kReadSystemSensitive: return "READ_SYSTEM_SENSITIVE";
    case AccessClass::kReadSystemSecret: return "READ_SYSTEM_SECRET";
    case AccessClass::kWriteSystem: return "WRITE_SYSTEM";
    case AccessClass::kUnrecoverable: return "UNRECOVERABLE";
    case AccessClass::kReadMedia: return "READ_MEDIA";
    case AccessClass::kActuate: return "ACTUATE";
  }
  return "?";
}

}  // namespace onvifgw::security
