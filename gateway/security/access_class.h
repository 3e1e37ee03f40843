#pragma once
// ONVIF access classes (Core §5.9.4.3). Every operation has one in the
// generated operations table (proto/onvif/access_classes.tsv, from the spec
// documents); SoapEndpoint enforces it before the body is decoded.

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
