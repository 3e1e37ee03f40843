#pragma once
// A virtual device's IEEE 802.1X configurations (devicemgmt.wsdl,
// Create/Set/Get/DeleteDot1XConfiguration): the identity, EAP method and
// password a device would authenticate its port with, as clients create,
// read, change and delete them. Kept per device in the state store
// (StoredSetting, key "dot1x"); the EAP password is sealed with the gateway's
// secret key and never returned.
//
// Thread-safe.

#include <string>
#include <vector>

#include "onvif/generated/tt.pb.h"
#include "services/device/stored_setting.h"
#include "store/v1/dot1x_state.pb.h"

namespace onvifgw::security {
class SecretBox;
}  // namespace onvifgw::security

namespace onvifgw::services::device {

using Dot1XState = ::onvifgw::store::v1::Dot1XState;

class Dot1XConfigurations : public StoredSetting<Dot1XState> {
 public:
  /// Dot1XConfigurations (the network capability): how many are kept.
  static constexpr int kMax = 4;

  /// `secrets` seals the passwords; nullptr (unit tests without a store)
  /// keeps them in memory as given.
  Dot1XConfigurations(std::string device_id, store::StateStore* store,
                      const security::SecretBox* secrets)
      : StoredSetting(std::move(device_id), "dot1x", store), secrets_(secrets) {}

  /// Every configuration, without passwords, in the order they were made.
  std::vector<onvif::tt::Dot1XConfiguration> List() const;
  /// The configuration with `token`, without its password; ter:NoConfig.
  Expected<onvif::tt::Dot1XConfiguration, soap::Fault> Find(const std::string& token) const;
  /// Adds `configuration` under its own token: ter:ReferenceToken when the
  /// token is taken, ter:MaxDot1X when kMax are kept.
  Status<soap::Fault> Create(const onvif::tt::Dot1XConfiguration& configuration);
  /// Replaces the configuration with the same token (ter:NoConfig). A
  /// password left out for the same identity is kept: a client that writes
  /// back what it read (without it) loses nothing.
  Status<soap::Fault> Replace(const onvif::tt::Dot1XConfiguration& configuration);
  /// Deletes every one of `tokens`, or none when one is unknown (ter:NoConfig).
  Status<soap::Fault> Delete(const std::vector<std::string>& tokens);

  /// The EAP password kept for `token` (what the port would authenticate
  /// with); empty when none was given or the token is unknown.
  std::string PasswordOf(const std::string& token) const;
  /// The token of a configuration that names certificate `id` (as a CA
  /// certificate or as its own), if any: such a certificate stays.
  std::optional<std::string> ConfigurationNaming(const std::string& id) const;

 private:
  std::optional<soap::Fault> Store(const onvif::tt::Dot1XConfiguration& configuration,
                                   Dot1XState::Entry& entry) const;

  const security::SecretBox* secrets_;
};

}  // namespace onvifgw::services::device
