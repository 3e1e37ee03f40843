#pragma once
// The security state of one virtual device: its users, access policy, IP
// address filter, password rules, remote user, Digest algorithms and
// authentication failure warning, kept in memory for the request path and
// persisted in the state store (passwords sealed with AES-256-GCM, never in
// plaintext). Each concern is its own value type in device_security/ (what
// it holds, its rules, how it is stored); this class owns them, guards them
// with one lock and stores each change.
//
// Every change is all-or-nothing: it is computed on a copy, persisted in one
// transaction, and only then made visible. Thread-safe.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "config/gateway_config.h"
#include "core/expected.h"
#include "onvif/generated/tds.pb.h"
#include "security/access_policy.h"
#include "security/credential_rules.h"
#include "security/http_digest.h"
#include "security/secret_box.h"
#include "security/username_token.h"
#include "services/device_security/auth_failure_monitor.h"
#include "services/device_security/ip_address_filter_setting.h"
#include "services/device_security/password_history.h"
#include "services/device_security/password_rules.h"
#include "services/device_security/stored_form.h"
#include "services/device_security/user_accounts.h"
#include "services/device_security/user_roles.h"
#include "services/request_context.h"
#include "soap/fault.h"
#include "store/state_store.h"

namespace onvifgw::services {

class DeviceSecurity {
 public:
  /// Settings keys of the users' password histories: this, then the user name.
  static constexpr const char* kPasswordHistoryKeyPrefix = PasswordHistoryRecords::kKeyPrefix;

  struct Options {
    std::size_t max_users = 32;
    bool allow_basic = false;
    std::chrono::seconds token_window{300};
    std::chrono::seconds digest_nonce_lifetime{300};
  };

  /// Loads the device's state; on the first start creates the initial
  /// administrator (from the config, or generated and logged once).
  static Expected<std::unique_ptr<DeviceSecurity>, std::string> Load(
      const std::string& device_id, const std::string& endpoint_reference, store::StateStore& store,
      security::SecretBox& box, Options options,
      const std::optional<config::AdminConfig>& configured_admin);

  /// Reads the device's state again after the store changed under it (a
  /// factory default): what is no longer stored is back at its default, and
  /// without users an administrator is created as on a first start.
  Status<std::string> Reload(const std::optional<config::AdminConfig>& configured_admin);

  const Options& options() const { return options_; }
  const std::string& device_id() const { return device_id_; }
  const std::string& endpoint_reference() const { return endpoint_reference_; }

  // ------------------------------------------------------------- users
  std::vector<UserAccount> users() const;
  std::optional<UserAccount> FindUser(const std::string& username) const;
  /// Applies `change` to a copy of the users; if it returns OK and the copy
  /// is persisted, it becomes the user list. Password history is checked
  /// and recorded for every password that changes.
  /// `check_history` is false only for the configured administrator, whose
  /// password is the operator's (the config file), not a client's choice.
  Status<soap::Fault> ChangeUsers(
      const std::function<Status<soap::Fault>(std::vector<UserAccount>&)>& change,
      bool check_history = true);

  // -------------------------------------------------------- user roles
  UserRoles roles() const;
  /// Creates or replaces a custom role (see UserRoles::Set).
  Status<soap::Fault> SetUserRole(const onvif::tt::UserRole& role,
                                  const std::function<bool(std::string_view)>& implemented);
  /// Deletes a custom role, and takes it from the users who had it, in one
  /// transaction.
  Status<soap::Fault> DeleteUserRole(const std::string& name);

  /// Whether `who` may call `function` ("tds:GetNTP"; empty for what is not
  /// an operation) of class `access`: the access policy for its level, or,
  /// for a user of level Extended, its roles.
  bool Authorizes(const Principal& who, std::string_view function,
                  security::AccessClass access) const;

  // ------------------------------------------------------------ policy
  security::AccessPolicy policy() const;
  Status<soap::Fault> SetPolicy(const security::AccessPolicy& policy);

  // --------------------------------------------------------- IP filter
  onvif::tt::IPAddressFilter ip_filter() const;
  /// Validates and stores; `filter` must hold valid prefixes.
  Status<soap::Fault> SetIpFilter(const onvif::tt::IPAddressFilter& filter);
  /// Accept-time check of a peer address.
  bool Admits(const std::string& remote_address) const;

  // ---------------------------------------------------- password rules
  security::PasswordComplexityConfiguration complexity() const;
  Status<soap::Fault> SetComplexity(const security::PasswordComplexityConfiguration& c);
  PasswordHistory history() const;
  Status<soap::Fault> SetHistory(const PasswordHistory& h);
  AuthFailureWarning auth_failure_warning() const;
  Status<soap::Fault> SetAuthFailureWarning(const AuthFailureWarning& w);

  // ------------------------------------------------ digest algorithms
  /// The HTTP Digest algorithms challenged, in preference order (MD5 then
  /// SHA-256 until SetHashingAlgorithm changes it); persisted.
  Status<soap::Fault> SetDigestAlgorithms(std::vector<security::DigestAlgorithm> algorithms);

  // -------------------------------------------------------- remote user
  std::optional<onvif::tt::RemoteUser> remote_user() const;
  Status<soap::Fault> SetRemoteUser(const std::optional<onvif::tt::RemoteUser>& user);

  /// Records one authentication failure; true when it takes the count
  /// within the warning's MonitorPeriod above MaxAuthFailures (and the
  /// warning is enabled) for the first time in that period.
  bool RecordAuthFailure(std::chrono::system_clock::time_point now);

  // ---------------------------------------------------- authentication
  security::DigestAuthenticator& digest() { return digest_; }
  security::UsernameTokenVerifier& tokens() { return tokens_; }

 private:
  DeviceSecurity(std::string device_id, std::string endpoint_reference, store::StateStore& store,
                 security::SecretBox& box, Options options);
  Status<std::string> LoadSettings();
  std::optional<std::string> ReadSetting(const std::string& key) const;
  Status<soap::Fault> Persist(const std::string& key, const std::string& value);
  static soap::Fault StorageFault();

  const std::string device_id_;
  const std::string endpoint_reference_;
  store::StateStore& store_;
  security::SecretBox& box_;
  const DeviceSecrets secrets_;
  const Options options_;
  security::DigestAuthenticator digest_;
  security::UsernameTokenVerifier tokens_;

  mutable std::shared_mutex mu_;  // readers: every request; writers: rare
  UserAccounts users_;
  UserRoles roles_;
  security::AccessPolicy policy_;
  IpAddressFilterSetting ip_filter_;
  PasswordRules rules_;
  AuthFailureMonitor auth_failures_;
  std::optional<onvif::tt::RemoteUser> remote_user_;
};

}  // namespace onvifgw::services
