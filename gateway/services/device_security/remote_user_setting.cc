#include "services/device_security/remote_user_setting.h"

namespace onvifgw::services {

Expected<std::optional<onvif::tt::RemoteUser>, std::string> RemoteUserSetting::Decode(
    const std::optional<std::string>& stored, const DeviceSecrets& secrets) {
  if (!stored || stored->empty()) return std::optional<onvif::tt::RemoteUser>();
  auto plain = secrets.Open(kKey, *stored);
  if (!plain) return MakeUnexpected(std::string("stored remote user cannot be decrypted"));
  onvif::tt::RemoteUser user;
  if (!RestoreStored(*plain, &user)) {
    return MakeUnexpected(std::string("stored remote user is unreadable"));
  }
  return std::optional<onvif::tt::RemoteUser>(std::move(user));
}

Expected<std::string, std::string> RemoteUserSetting::Encode(
    const std::optional<onvif::tt::RemoteUser>& user, const DeviceSecrets& secrets) {
  if (!user) return std::string();
  return secrets.Seal(kKey, StoredForm(*user));
}

}  // namespace onvifgw::services
