#pragma once
// The remote user (SetRemoteUser): the credentials the device would use
// towards another device, stored sealed as a whole (never returned with its
// password). A value type.

#include <optional>
#include <string>

#include "core/expected.h"
#include "onvif/generated/tt.pb.h"
#include "services/device_security/stored_form.h"

namespace onvifgw::services {

class RemoteUserSetting {
 public:
  static constexpr const char* kKey = "remote_user";

  /// As stored: nullopt or an empty value is no remote user.
  static Expected<std::optional<onvif::tt::RemoteUser>, std::string> Decode(
      const std::optional<std::string>& stored, const DeviceSecrets& secrets);
  /// The value to store: sealed, or empty for none.
  static Expected<std::string, std::string> Encode(const std::optional<onvif::tt::RemoteUser>& user,
                                                   const DeviceSecrets& secrets);
};

}  // namespace onvifgw::services
