#pragma once
// How the device's security settings are written to the state store. Values
// of ONVIF types are kept as the XML the schema defines (readable whatever
// field numbers the generated messages get); secrets are sealed with the
// gateway's key, bound to the device and to where they belong, so that a
// value copied to another user's row or another device does not open.

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

#include "core/expected.h"
#include "security/secret_box.h"

namespace onvifgw::services {

/// `m` as a <Stored> XML fragment.
std::string StoredForm(const google::protobuf::Message& m);
/// Reads what StoredForm wrote, or the binary protobuf earlier versions
/// wrote; false when it is neither.
bool RestoreStored(const std::string& blob, google::protobuf::Message* m);

/// Seals and opens one device's secrets; `what` names where a value belongs
/// ("user/alice", "remote_user", "password_history/alice").
class DeviceSecrets {
 public:
  DeviceSecrets(const security::SecretBox& box, std::string device_id)
      : box_(box), device_id_(std::move(device_id)) {}
  Expected<std::string, std::string> Seal(std::string_view what, std::string_view plain) const;
  Expected<std::string, std::string> Open(std::string_view what, std::string_view sealed) const;
  const std::string& device_id() const { return device_id_; }

 private:
  std::string AssociatedData(std::string_view what) const;
  const security::SecretBox& box_;
  const std::string device_id_;
};

}  // namespace onvifgw::services
