#pragma once
// A virtual device's storage configurations (Core §8.8): where recordings or
// uploads of the device would go (NFS, CIFS, FTP, object storage), as clients
// create, read, change and delete them. Kept per device in the state store
// (StoredSetting, key "storage"); the credentials (User.Password and the STS
// User.Token) are sealed with the gateway's secret key and never returned.
//
// Thread-safe.

#include <string>
#include <vector>

#include "onvif/generated/tds.pb.h"
#include "services/device/stored_setting.h"
#include "store/v1/storage_state.pb.h"

namespace onvifgw::security {
class SecretBox;
}  // namespace onvifgw::security

namespace onvifgw::services::device {

using StorageState = ::onvifgw::store::v1::StorageState;

class StorageConfigurations : public StoredSetting<StorageState> {
 public:
  /// MaxStorageConfigurations.
  static constexpr int kMax = 8;

  /// `secrets` seals the credentials; nullptr (unit tests without a store)
  /// keeps them in memory as given.
  StorageConfigurations(std::string device_id, store::StateStore* store,
                        const security::SecretBox* secrets)
      : StoredSetting(std::move(device_id), "storage", store), secrets_(secrets) {}

  /// Every configuration, as GetStorageConfigurations answers: no credentials.
  std::vector<onvif::tds::StorageConfiguration> List() const;
  /// The configuration with `token`, without credentials; ter:NoConfig.
  Expected<onvif::tds::StorageConfiguration, soap::Fault> Find(const std::string& token) const;
  /// Adds `data` under a new token; ter:MaxStorageConfigurations at kMax.
  Expected<std::string, soap::Fault> Create(const onvif::tds::StorageConfigurationData& data);
  /// Replaces the configuration with its token (ter:NoConfig). Credentials
  /// left out for the same user name are kept: a client that read the
  /// configuration (without them) and writes it back loses nothing.
  Status<soap::Fault> Replace(const onvif::tds::StorageConfiguration& configuration);
  /// ter:NoConfig for an unknown token.
  Status<soap::Fault> Delete(const std::string& token);

  /// The credentials kept for `token` (what the device would log in with);
  /// empty when none were given or the token is unknown.
  struct Credentials {
    std::string password;
    std::string token;
  };
  Credentials CredentialsOf(const std::string& token) const;

 private:
  std::optional<soap::Fault> Store(const onvif::tds::StorageConfiguration& configuration,
                                   StorageState::Entry& entry) const;
  std::string Reveal(const std::string& sealed, const std::string& token, const char* field) const;

  const security::SecretBox* secrets_;
};

}  // namespace onvifgw::services::device
