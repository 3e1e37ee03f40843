#pragma once
// A device's users as the state store keeps them (passwords sealed), and the
// rule that the configured administrator follows the config file: the
// operator's source of truth. A value type: DeviceSecurity holds it under its
// lock and stores every change in one transaction.

#include <optional>
#include <string>
#include <vector>

#include "config/gateway_config.h"
#include "core/expected.h"
#include "security/access_policy.h"
#include "security/credential_rules.h"
#include "services/device_security/stored_form.h"
#include "store/state_store.h"

namespace onvifgw::services {

struct UserAccount {
  std::string username;
  std::string password;  ///< in memory only; sealed at rest
  security::UserLevel level = security::UserLevel::kUser;
  bool fixed = false;
  /// Level Extended: the names of its roles (UserRoles), in the order given.
  std::vector<std::string> roles = {};
};

class UserAccounts {
 public:
  explicit UserAccounts(std::vector<UserAccount> users = {}) : users_(std::move(users)) {}

  /// The users of stored `rows`; an error names the user whose password
  /// does not open (a wrong or replaced key file) or whose level is unknown.
  static Expected<UserAccounts, std::string> Open(const std::vector<store::StoredUser>& rows,
                                                  const DeviceSecrets& secrets);
  /// `users` as rows to store, each password sealed to its user.
  static Expected<std::vector<store::StoredUser>, std::string> Seal(
      const std::vector<UserAccount>& users, const DeviceSecrets& secrets);

  /// Makes the configured administrator (if any) the first, fixed
  /// Administrator with the configured password, and unfixes any earlier
  /// one; without one and without users, generates `admin` with a random
  /// password and logs it once. True when the list changed (to be stored);
  /// an error for a configured name or password the credential rules refuse.
  Expected<bool, std::string> AdoptAdministrator(const std::optional<config::AdminConfig>& admin,
                                                 const std::string& device_id);

  const std::vector<UserAccount>& list() const { return users_; }
  std::optional<UserAccount> Find(const std::string& username) const;

 private:
  std::vector<UserAccount> users_;
};

}  // namespace onvifgw::services
