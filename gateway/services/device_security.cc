#include "services/device_security.h"

#include "core/log.h"
#include "services/device_security/digest_algorithm_setting.h"
#include "services/device_security/remote_user_setting.h"

namespace onvifgw::services {
namespace {

constexpr const char* kPolicyKey = "access_policy";

}  // namespace

DeviceSecurity::DeviceSecurity(std::string device_id, std::string endpoint_reference,
                               store::StateStore& store, security::SecretBox& box, Options options)
    : device_id_(std::move(device_id)),
      endpoint_reference_(std::move(endpoint_reference)),
      store_(store),
      box_(box),
      secrets_(box, device_id_),
      options_(options),
      digest_(device_id_, {security::DigestAlgorithm::kMd5, security::DigestAlgorithm::kSha256},
              options.digest_nonce_lifetime),
      tokens_(security::UsernameTokenVerifier::Options{options.token_window}),
      policy_(security::AccessPolicy::Default()) {}

soap::Fault DeviceSecurity::StorageFault() {
  return soap::ActionFailed("The change could not be stored; nothing was changed");
}

Expected<std::unique_ptr<DeviceSecurity>, std::string> DeviceSecurity::Load(
    const std::string& device_id, const std::string& endpoint_reference, store::StateStore& store,
    security::SecretBox& box, Options options,
    const std::optional<config::AdminConfig>& configured_admin) {
  std::unique_ptr<DeviceSecurity> sec(
      new DeviceSecurity(device_id, endpoint_reference, store, box, options));
  auto stored = store.Users(device_id);
  if (!stored) return MakeUnexpected(stored.error());
  auto users = UserAccounts::Open(*stored, sec->secrets_);
  if (!users) return MakeUnexpected(users.error());
  if (auto st = sec->LoadSettings(); !st) return MakeUnexpected(st.error());

  // The configured administrator is fixed and follows the config file (the
  // operator's source of truth); without one, a first start generates one.
  auto changed = users->AdoptAdministrator(configured_admin, device_id);
  if (!changed) return MakeUnexpected(changed.error());
  if (*changed) {
    const std::vector<UserAccount> adopted = users->list();
    if (auto st = sec->ChangeUsers(
            [&](std::vector<UserAccount>& u) -> Status<soap::Fault> {
              u = adopted;
              return {};
            },
            /*check_history=*/false);
        !st) {
      return MakeUnexpected("device " + device_id + ": cannot store the administrator");
    }
  } else {
    sec->users_ = std::move(*users);
  }
  return sec;
}

Status<std::string> DeviceSecurity::Reload(
    const std::optional<config::AdminConfig>& configured_admin) {
  // Loaded as at start-up into a fresh object, then taken over whole, so
  // that requests see either the old state or the new one.
  auto fresh = Load(device_id_, endpoint_reference_, store_, box_, options_, configured_admin);
  if (!fresh) return MakeUnexpected(fresh.error());
  DeviceSecurity& f = **fresh;
  std::unique_lock lock(mu_);
  users_ = std::move(f.users_);
  roles_ = std::move(f.roles_);
  policy_ = std::move(f.policy_);
  ip_filter_ = std::move(f.ip_filter_);
  rules_ = f.rules_;
  auth_failures_ = std::move(f.auth_failures_);
  remote_user_ = std::move(f.remote_user_);
  digest_.SetAlgorithms(f.digest_.algorithms());
  return {};
}

std::optional<std::string> DeviceSecurity::ReadSetting(const std::string& key) const {
  auto v = store_.Setting(device_id_, key);
  return v ? *v : std::nullopt;
}

Status<std::string> DeviceSecurity::LoadSettings() {
  auto named = [this](const std::string& error) {
    return MakeUnexpected("device " + device_id_ + ": " + error);
  };
  if (auto v = store_.Setting(device_id_, kPolicyKey); !v) {
    return MakeUnexpected(v.error());
  } else if (*v) {
    auto p = security::AccessPolicy::Parse(**v);
    if (!p) return MakeUnexpected("stored access policy: " + p.error());
    policy_ = *p;
  }
  auto roles = UserRoles::Decode(ReadSetting(UserRoles::kKey));
  if (!roles) return named(roles.error());
  roles_ = std::move(*roles);
  auto filter = IpAddressFilterSetting::Decode(ReadSetting(IpAddressFilterSetting::kKey));
  if (!filter) return named(filter.error());
  ip_filter_ = std::move(*filter);
  auto rules = PasswordRules::Decode(ReadSetting(PasswordRules::kComplexityKey),
                                     ReadSetting(PasswordRules::kHistoryKey));
  if (!rules) return named(rules.error());
  rules_ = *rules;
  auto warning = AuthFailureMonitor::Decode(ReadSetting(AuthFailureMonitor::kKey));
  if (!warning) return named(warning.error());
  auth_failures_.Configure(*warning);
  auto algorithms = DigestAlgorithmSetting::Decode(ReadSetting(DigestAlgorithmSetting::kKey));
  if (!algorithms) return named(algorithms.error());
  digest_.SetAlgorithms(std::move(*algorithms));
  auto remote = RemoteUserSetting::Decode(ReadSetting(RemoteUserSetting::kKey), secrets_);
  if (!remote) return named(remote.error());
  remote_user_ = std::move(*remote);
  return {};
}

Status<soap::Fault> DeviceSecurity::Persist(const std::string& key, const std::string& value) {
  if (auto st = store_.PutSetting(device_id_, key, value); !st) {
    log::WriteAbout(log::Level::kError, "security", device_id_,
                    "storing " + key + " failed: " + st.error());
    return MakeUnexpected(StorageFault());
  }
  return {};
}

std::vector<UserAccount> DeviceSecurity::users() const {
  std::shared_lock lock(mu_);
  return users_.list();
}

std::optional<UserAccount> DeviceSecurity::FindUser(const std::string& username) const {
  std::shared_lock lock(mu_);
  return users_.Find(username);
}

Status<soap::Fault> DeviceSecurity::ChangeUsers(
    const std::function<Status<soap::Fault>(std::vector<UserAccount>&)>& change,
    bool check_history) {
  std::unique_lock lock(mu_);
  std::vector<UserAccount> next = users_.list();
  if (auto st = change(next); !st) return st;
  PasswordHistoryRecords::Settings history;
  if (check_history) {
    auto recorded = PasswordHistoryRecords::Record(
        users_.list(), next, rules_.history(),
        [this](const std::string& key) { return ReadSetting(key); }, secrets_);
    if (!recorded) return MakeUnexpected(recorded.error());
    history = std::move(*recorded);
  }
  auto rows = UserAccounts::Seal(next, secrets_);
  if (!rows) return MakeUnexpected(StorageFault());
  // The users and the history of their changed passwords: one transaction.
  if (auto st = store_.ReplaceUsers(device_id_, *rows, history); !st) {
    log::WriteAbout(log::Level::kError, "security", device_id_,
                    "storing users failed: " + st.error());
    return MakeUnexpected(StorageFault());
  }
  users_ = UserAccounts(std::move(next));
  return {};
}

UserRoles DeviceSecurity::roles() const {
  std::shared_lock lock(mu_);
  return roles_;
}

Status<soap::Fault> DeviceSecurity::SetUserRole(
    const onvif::tt::UserRole& role, const std::function<bool(std::string_view)>& implemented) {
  std::unique_lock lock(mu_);
  UserRoles next = roles_;
  if (auto fault = next.Set(role, implemented)) return MakeUnexpected(std::move(*fault));
  if (auto st = Persist(UserRoles::kKey, next.Encode()); !st) return st;
  roles_ = std::move(next);
  return {};
}

Status<soap::Fault> DeviceSecurity::DeleteUserRole(const std::string& name) {
  std::unique_lock lock(mu_);
  UserRoles next = roles_;
  if (auto fault = next.Delete(name)) return MakeUnexpected(std::move(*fault));
  std::vector<UserAccount> users = users_.list();
  for (UserAccount& u : users) std::erase(u.roles, name);
  auto rows = UserAccounts::Seal(users, secrets_);
  if (!rows) return MakeUnexpected(StorageFault());
  // The role and the users who lose it: one transaction.
  if (auto st = store_.ReplaceUsers(device_id_, *rows, {{UserRoles::kKey, next.Encode()}}); !st) {
    log::WriteAbout(log::Level::kError, "security", device_id_,
                    "storing user roles failed: " + st.error());
    return MakeUnexpected(StorageFault());
  }
  roles_ = std::move(next);
  users_ = UserAccounts(std::move(users));
  return {};
}

bool DeviceSecurity::Authorizes(const Principal& who, std::string_view function,
                                security::AccessClass access) const {
  std::shared_lock lock(mu_);
  if (who.level != security::UserLevel::kExtended) return policy_.Allows(who.level, access);
  const auto user = users_.Find(who.username);
  return user && roles_.Grant(user->roles, function, access, policy_);
}

security::AccessPolicy DeviceSecurity::policy() const {
  std::shared_lock lock(mu_);
  return policy_;
}

Status<soap::Fault> DeviceSecurity::SetPolicy(const security::AccessPolicy& policy) {
  std::unique_lock lock(mu_);
  if (auto st = Persist(kPolicyKey, policy.Serialize()); !st) return st;
  policy_ = policy;
  return {};
}

onvif::tt::IPAddressFilter DeviceSecurity::ip_filter() const {
  std::shared_lock lock(mu_);
  return ip_filter_.filter();
}

Status<soap::Fault> DeviceSecurity::SetIpFilter(const onvif::tt::IPAddressFilter& filter) {
  IpAddressFilterSetting next(filter);
  std::unique_lock lock(mu_);
  if (auto st = Persist(IpAddressFilterSetting::kKey, next.Encode()); !st) return st;
  ip_filter_ = std::move(next);
  return {};
}

bool DeviceSecurity::Admits(const std::string& remote_address) const {
  std::shared_ptr<const security::IpFilter> rules;
  {
    std::shared_lock lock(mu_);
    rules = ip_filter_.rules();
  }
  return IpAddressFilterSetting::Admits(rules, remote_address);
}

security::PasswordComplexityConfiguration DeviceSecurity::complexity() const {
  std::shared_lock lock(mu_);
  return rules_.complexity();
}

Status<soap::Fault> DeviceSecurity::SetComplexity(
    const security::PasswordComplexityConfiguration& c) {
  std::unique_lock lock(mu_);
  PasswordRules next = rules_;
  if (auto fault = next.SetComplexity(c)) return MakeUnexpected(std::move(*fault));
  if (auto st = Persist(PasswordRules::kComplexityKey, next.EncodeComplexity()); !st) return st;
  rules_ = next;
  return {};
}

PasswordHistory DeviceSecurity::history() const {
  std::shared_lock lock(mu_);
  return rules_.history();
}

Status<soap::Fault> DeviceSecurity::SetHistory(const PasswordHistory& h) {
  std::unique_lock lock(mu_);
  PasswordRules next = rules_;
  if (auto fault = next.SetHistory(h)) return MakeUnexpected(std::move(*fault));
  if (auto st = Persist(PasswordRules::kHistoryKey, next.EncodeHistory()); !st) return st;
  rules_ = next;
  return {};
}

Status<soap::Fault> DeviceSecurity::SetDigestAlgorithms(
    std::vector<security::DigestAlgorithm> algorithms) {
  std::unique_lock lock(mu_);
  if (auto st = Persist(DigestAlgorithmSetting::kKey, DigestAlgorithmSetting::Encode(algorithms));
      !st) {
    return st;
  }
  digest_.SetAlgorithms(std::move(algorithms));
  return {};
}

AuthFailureWarning DeviceSecurity::auth_failure_warning() const {
  std::shared_lock lock(mu_);
  return auth_failures_.warning();
}

Status<soap::Fault> DeviceSecurity::SetAuthFailureWarning(const AuthFailureWarning& w) {
  std::unique_lock lock(mu_);
  if (auto st = Persist(AuthFailureMonitor::kKey, AuthFailureMonitor::Encode(w)); !st) return st;
  auth_failures_.Configure(w);
  return {};
}

bool DeviceSecurity::RecordAuthFailure(std::chrono::system_clock::time_point now) {
  std::unique_lock lock(mu_);
  return auth_failures_.Record(now);
}

std::optional<onvif::tt::RemoteUser> DeviceSecurity::remote_user() const {
  std::shared_lock lock(mu_);
  return remote_user_;
}

Status<soap::Fault> DeviceSecurity::SetRemoteUser(
    const std::optional<onvif::tt::RemoteUser>& user) {
  auto value = RemoteUserSetting::Encode(user, secrets_);
  if (!value) return MakeUnexpected(StorageFault());
  std::unique_lock lock(mu_);
  if (auto st = Persist(RemoteUserSetting::kKey, *value); !st) return st;
  remote_user_ = user;
  return {};
}

}  // namespace onvifgw::services
