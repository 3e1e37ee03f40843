#include "services/device/security_operations.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "core/base64.h"
#include "onvif/generated/tds.pb.h"
#include "security/credential_rules.h"
#include "security/ip_filter.h"
#include "services/device_security.h"
#include "services/device_security/password_rules.h"
#include "soap/codec.h"
#include "soap/namespaces.h"

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using security::UserLevel;
using soap::Fault;

Fault Prohibited(std::string specific, std::string reason) {
  return Fault{
      soap::FaultCode::kSender, {"OperationProhibited", std::move(specific)}, std::move(reason)};
}

Fault NotConfigurable() {
  return soap::ActionNotSupported("User and security configuration is not available");
}

// A level a client may assign: all but Anonymous, which the spec refuses.
Expected<UserLevel, Fault> AssignableLevel(const std::string& name) {
  auto level = security::ParseUserLevel(name);
  if (!level) return MakeUnexpected(soap::InvalidArgVal("Unknown user level '" + name + "'"));
  if (*level == UserLevel::kAnonymous) {
    return MakeUnexpected(Prohibited("AnonymousNotAllowed", "User level Anonymous is not allowed"));
  }
  return *level;
}

// The roles a user is given (Extension/Roles): only for level Extended,
// each one the device has (Core §5.9.4.2).
Expected<std::vector<std::string>, Fault> AssignedRoles(const tt::User& u, UserLevel level,
                                                        const UserRoles& roles) {
  std::vector<std::string> out;
  if (!u.has_extension()) return out;
  if (level != UserLevel::kExtended) {
    if (u.extension().roles_size() == 0) return out;
    return MakeUnexpected(soap::InvalidArgVal("Roles are given to users of level Extended only"));
  }
  for (const std::string& r : u.extension().roles()) {
    if (!roles.Exists(r)) {
      return MakeUnexpected(
          soap::InvalidArgVal("No user role " + r.substr(0, 64), "InvalidUserRole"));
    }
    if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
  }
  return out;
}

Fault CredentialFault(security::CredentialError e, security::UserOperation op) {
  const security::CredentialFault f = security::OnvifFaultFor(e, op);
  Fault fault =
      f.generic == "OperationProhibited"
          ? Prohibited(std::string(f.specific), std::string(security::Describe(e)))
          : soap::InvalidArgVal(std::string(security::Describe(e)), std::string(f.specific));
  return fault;
}

// Password problems as the operation names them: CreateUsers says
// "Password" where SetUser says "PasswordTooWeak" (Core §8.4.4, §8.4.6).
std::optional<Fault> PasswordFault(const std::string& username, const std::string* password,
                                   const security::PasswordComplexityConfiguration& c,
                                   security::UserOperation op) {
  if (password == nullptr || password->empty()) {
    return CredentialFault(security::CredentialError::kPasswordTooWeak, op);
  }
  if (auto e = security::ValidatePassword(*password, username, c)) return CredentialFault(*e, op);
  return std::nullopt;
}

std::optional<Fault> UsernameFault(const std::string& username) {
  if (auto e = security::ValidateUsername(username)) {
    return CredentialFault(*e, security::UserOperation::kCreateUsers);
  }
  return std::nullopt;
}

// Users of level Administrator, or Extended with the onvif:Administrator role
// (functionally the same, Core §5.9.4.2).
std::size_t Administrators(const std::vector<UserAccount>& users) {
  return static_cast<std::size_t>(
      std::count_if(users.begin(), users.end(), [](const UserAccount& u) {
        return u.level == UserLevel::kAdministrator ||
               (u.level == UserLevel::kExtended &&
                std::find(u.roles.begin(), u.roles.end(), "onvif:Administrator") != u.roles.end());
      }));
}

// ------------------------------------------------------------------ users

Expected<tds::GetUsersResponse, Fault> GetUsers(const RequestContext& ctx, const tds::GetUsers&) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  tds::GetUsersResponse r;
  for (const UserAccount& u : ctx.device.security->users()) {
    auto* user = r.add_user();
    user->set_username(u.username);  // never the password (Core §8.4.3)
    user->set_userlevel(soap::FromXmlValue<tt::UserLevel>(security::UserLevelName(u.level))
                            .value_or(tt::UserLevel_User));
    if (u.level == UserLevel::kExtended) {
      auto* roles = user->mutable_extension();
      for (const std::string& r : u.roles) roles->add_roles(r);
    }
  }
  return r;
}

Expected<tds::CreateUsersResponse, Fault> CreateUsers(const RequestContext& ctx,
                                                      const tds::CreateUsers& req) {
  DeviceSecurity* sec = ctx.device.security;
  if (!sec) return MakeUnexpected(NotConfigurable());
  if (req.user().empty()) return MakeUnexpected(soap::InvalidArgs("No user given"));
  const auto complexity = sec->complexity();
  const UserRoles roles = sec->roles();
  auto st = sec->ChangeUsers([&](std::vector<UserAccount>& users) -> Status<Fault> {
    std::set<std::string> names;
    for (const auto& u : users) names.insert(u.username);
    std::vector<UserAccount> added;
    for (const tt::User& u : req.user()) {
      if (auto f = UsernameFault(u.username())) return MakeUnexpected(*f);
      auto level = AssignableLevel(soap::XmlValue(u.userlevel()));
      if (!level) return MakeUnexpected(level.error());
      if (!names.insert(u.username()).second) {
        return MakeUnexpected(Prohibited("UsernameClash", "User '" + u.username() + "' exists"));
      }
      if (auto f = PasswordFault(u.username(), u.has_password() ? &u.password() : nullptr,
                                 complexity, security::UserOperation::kCreateUsers)) {
        return MakeUnexpected(*f);
      }
      auto assigned = AssignedRoles(u, *level, roles);
      if (!assigned) return MakeUnexpected(assigned.error());
      added.push_back(UserAccount{u.username(), u.password(), *level, false, std::move(*assigned)});
    }
    if (users.size() + added.size() > static_cast<std::size_t>(kMaxUsers)) {
      return MakeUnexpected(soap::ActionFailed(
          "At most " + std::to_string(kMaxUsers) + " users are supported", "TooManyUsers"));
    }
    users.insert(users.end(), added.begin(), added.end());
    return {};
  });
  if (!st) return MakeUnexpected(st.error());
  return tds::CreateUsersResponse{};
}

Expected<tds::DeleteUsersResponse, Fault> DeleteUsers(const RequestContext& ctx,
                                                      const tds::DeleteUsers& req) {
  DeviceSecurity* sec = ctx.device.security;
  if (!sec) return MakeUnexpected(NotConfigurable());
  if (req.username().empty()) return MakeUnexpected(soap::InvalidArgs("No username given"));
  auto st = sec->ChangeUsers([&](std::vector<UserAccount>& users) -> Status<Fault> {
    for (const std::string& name : req.username()) {
      auto it = std::find_if(users.begin(), users.end(),
                             [&](const UserAccount& u) { return u.username == name; });
      if (it == users.end()) {
        return MakeUnexpected(
            soap::InvalidArgVal("User '" + name + "' does not exist", "UsernameMissing"));
      }
      if (it->fixed) {
        return MakeUnexpected(soap::InvalidArgVal("User '" + name + "' is fixed", "FixedUser"));
      }
      users.erase(it);
    }
    if (Administrators(users) == 0) {
      return MakeUnexpected(
          soap::InvalidArgVal("The last Administrator cannot be deleted", "FixedUser"));
    }
    return {};
  });
  if (!st) return MakeUnexpected(st.error());
  return tds::DeleteUsersResponse{};
}

Expected<tds::SetUserResponse, Fault> SetUser(const RequestContext& ctx, const tds::SetUser& req) {
  DeviceSecurity* sec = ctx.device.security;
  if (!sec) return MakeUnexpected(NotConfigurable());
  if (req.user().empty()) return MakeUnexpected(soap::InvalidArgs("No user given"));
  const auto complexity = sec->complexity();
  const UserRoles roles = sec->roles();
  auto st = sec->ChangeUsers([&](std::vector<UserAccount>& users) -> Status<Fault> {
    std::set<std::string> seen;
    for (const tt::User& u : req.user()) {
      if (!seen.insert(u.username()).second) {
        return MakeUnexpected(soap::InvalidArgVal("User '" + u.username() + "' given twice"));
      }
      auto it = std::find_if(users.begin(), users.end(),
                             [&](const UserAccount& a) { return a.username == u.username(); });
      if (it == users.end()) {
        return MakeUnexpected(
            soap::InvalidArgVal("User '" + u.username() + "' does not exist", "UsernameMissing"));
      }
      if (it->fixed) {
        return MakeUnexpected(soap::InvalidArgVal(
            "User '" + u.username() + "' is fixed (set in the configuration)", "FixedUser"));
      }
      auto level = AssignableLevel(soap::XmlValue(u.userlevel()));
      if (!level) return MakeUnexpected(level.error());
      auto assigned = AssignedRoles(u, *level, roles);
      if (!assigned) return MakeUnexpected(assigned.error());
      // Core §8.4.6: an omitted password means "clear it", which we refuse.
      if (auto f = PasswordFault(u.username(), u.has_password() ? &u.password() : nullptr,
                                 complexity, security::UserOperation::kSetUser)) {
        return MakeUnexpected(*f);
      }
      it->level = *level;
      it->password = u.password();
      it->roles = std::move(*assigned);
    }
    if (Administrators(users) == 0) {
      return MakeUnexpected(
          soap::InvalidArgVal("The last Administrator cannot be demoted", "FixedUser"));
    }
    return {};
  });
  if (!st) return MakeUnexpected(st.error());
  return tds::SetUserResponse{};
}

// ------------------------------------------------------------- user roles

Expected<tds::GetUserRolesResponse, Fault> GetUserRoles(const RequestContext& ctx,
                                                        const tds::GetUserRoles& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  auto listed = ctx.device.security->roles().List(
      req.has_userrole() ? std::optional<std::string>(req.userrole()) : std::nullopt);
  if (!listed) return MakeUnexpected(listed.error());
  tds::GetUserRolesResponse r;
  for (auto& role : *listed) *r.add_userrole() = std::move(role);
  return r;
}

// A function a role may list: "prefix:Operation" of a service the device
// serves, bound to a handler (not declared unsupported).
bool Implemented(const RequestContext& ctx, std::string_view function) {
  const auto colon = function.find(':');
  if (colon == std::string_view::npos || ctx.services == nullptr) return false;
  const ServedService* service = ctx.services->Get(std::string(function.substr(0, colon)));
  if (service == nullptr || !service->Available(ctx)) return false;
  const std::string_view name = function.substr(colon + 1);
  return std::any_of(service->operations.begin(), service->operations.end(), [&](const auto& kv) {
    return kv.second.schema->name == name && kv.second.handler;
  });
}

Expected<tds::SetUserRoleResponse, Fault> SetUserRole(const RequestContext& ctx,
                                                      const tds::SetUserRole& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  auto st = ctx.device.security->SetUserRole(
      req.userrole(), [&](std::string_view f) { return Implemented(ctx, f); });
  if (!st) return MakeUnexpected(st.error());
  return tds::SetUserRoleResponse{};
}

Expected<tds::DeleteUserRoleResponse, Fault> DeleteUserRole(const RequestContext& ctx,
                                                            const tds::DeleteUserRole& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  if (auto st = ctx.device.security->DeleteUserRole(req.userrole()); !st) {
    return MakeUnexpected(st.error());
  }
  return tds::DeleteUserRoleResponse{};
}

// ---------------------------------------------------------- access policy

Expected<tds::GetAccessPolicyResponse, Fault> GetAccessPolicy(const RequestContext& ctx,
                                                              const tds::GetAccessPolicy&) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  tds::GetAccessPolicyResponse r;
  r.mutable_policyfile()->set_data(ctx.device.security->policy().Serialize());
  return r;
}

Expected<tds::SetAccessPolicyResponse, Fault> SetAccessPolicy(const RequestContext& ctx,
                                                              const tds::SetAccessPolicy& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  // The codec has decoded the base64Binary already.
  auto policy = security::AccessPolicy::Parse(req.policyfile().data());
  if (!policy) return MakeUnexpected(soap::InvalidArgVal(policy.error(), "PolicyFormat"));
  // A policy that locks every administrator out cannot be undone remotely.
  if (!policy->Allows(UserLevel::kAdministrator, AccessClass::kWriteSystem) ||
      !policy->Allows(UserLevel::kAdministrator, AccessClass::kReadSystemSecret)) {
    return MakeUnexpected(soap::InvalidArgVal(
        "Administrator must keep WRITE_SYSTEM and READ_SYSTEM_SECRET", "PolicyFormat"));
  }
  if (auto st = ctx.device.security->SetPolicy(*policy); !st) return MakeUnexpected(st.error());
  return tds::SetAccessPolicyResponse{};
}

// ------------------------------------------------------------- remote user

Expected<tds::GetRemoteUserResponse, Fault> GetRemoteUser(const RequestContext& ctx,
                                                          const tds::GetRemoteUser&) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  tds::GetRemoteUserResponse r;
  if (auto u = ctx.device.security->remote_user()) {
    r.mutable_remoteuser()->set_username(u->username());
    r.mutable_remoteuser()->set_usederivedpassword(u->usederivedpassword());
  }
  return r;
}

Expected<tds::SetRemoteUserResponse, Fault> SetRemoteUser(const RequestContext& ctx,
                                                          const tds::SetRemoteUser& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  std::optional<tt::RemoteUser> user;
  if (req.has_remoteuser()) {
    const tt::RemoteUser& u = req.remoteuser();
    if (auto f = UsernameFault(u.username())) return MakeUnexpected(*f);
    if (u.password().size() > security::CredentialLimits{}.max_password) {
      return MakeUnexpected(soap::InvalidArgVal("The password is too long"));
    }
    user = u;
  }
  if (auto st = ctx.device.security->SetRemoteUser(user); !st) return MakeUnexpected(st.error());
  return tds::SetRemoteUserResponse{};
}

// ------------------------------------------------------- IP address filter

Expected<std::vector<security::IpPrefix>, Fault> ValidatePrefixes(const tt::IPAddressFilter& f) {
  std::vector<security::IpPrefix> out;
  for (const auto& a : f.ipv4address()) {
    auto p = security::ParseIpv4Prefix(a.address(), a.prefixlength());
    if (!p) return MakeUnexpected(soap::InvalidArgVal(p.error(), "InvalidIPv4Address"));
    out.push_back(*p);
  }
  for (const auto& a : f.ipv6address()) {
    auto p = security::ParseIpv6Prefix(a.address(), a.prefixlength());
    if (!p) return MakeUnexpected(soap::InvalidArgVal(p.error(), "InvalidIPv6Address"));
    out.push_back(*p);
  }
  return out;
}

Expected<tds::GetIPAddressFilterResponse, Fault> GetIPAddressFilter(
    const RequestContext& ctx, const tds::GetIPAddressFilter&) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  tds::GetIPAddressFilterResponse r;
  *r.mutable_ipaddressfilter() = ctx.device.security->ip_filter();
  return r;
}

Expected<tds::SetIPAddressFilterResponse, Fault> SetIPAddressFilter(
    const RequestContext& ctx, const tds::SetIPAddressFilter& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  const tt::IPAddressFilter& f = req.ipaddressfilter();
  if (auto p = ValidatePrefixes(f); !p) return MakeUnexpected(p.error());
  if (f.ipv4address_size() + f.ipv6address_size() > kMaxIpFilterEntries) {
    return MakeUnexpected(soap::ActionFailed("Too many filter entries", "IPFilterListIsFull"));
  }
  if (auto st = ctx.device.security->SetIpFilter(f); !st) return MakeUnexpected(st.error());
  return tds::SetIPAddressFilterResponse{};
}

template <typename Entry>
bool SameEntry(const Entry& a, const Entry& b) {
  return a.address() == b.address() && a.prefixlength() == b.prefixlength();
}

Expected<tds::AddIPAddressFilterResponse, Fault> AddIPAddressFilter(
    const RequestContext& ctx, const tds::AddIPAddressFilter& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  const tt::IPAddressFilter& add = req.ipaddressfilter();
  if (auto p = ValidatePrefixes(add); !p) return MakeUnexpected(p.error());
  tt::IPAddressFilter f = ctx.device.security->ip_filter();
  f.set_type(add.type());
  for (const auto& a : add.ipv4address()) {
    if (std::none_of(f.ipv4address().begin(), f.ipv4address().end(),
                     [&](const auto& e) { return SameEntry(e, a); })) {
      *f.add_ipv4address() = a;
    }
  }
  for (const auto& a : add.ipv6address()) {
    if (std::none_of(f.ipv6address().begin(), f.ipv6address().end(),
                     [&](const auto& e) { return SameEntry(e, a); })) {
      *f.add_ipv6address() = a;
    }
  }
  if (f.ipv4address_size() + f.ipv6address_size() > kMaxIpFilterEntries) {
    return MakeUnexpected(soap::ActionFailed("The filter list is full", "IPFilterListIsFull"));
  }
  if (auto st = ctx.device.security->SetIpFilter(f); !st) return MakeUnexpected(st.error());
  return tds::AddIPAddressFilterResponse{};
}

Expected<tds::RemoveIPAddressFilterResponse, Fault> RemoveIPAddressFilter(
    const RequestContext& ctx, const tds::RemoveIPAddressFilter& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  const tt::IPAddressFilter& rm = req.ipaddressfilter();
  if (auto p = ValidatePrefixes(rm); !p) return MakeUnexpected(p.error());
  tt::IPAddressFilter f = ctx.device.security->ip_filter();
  for (const auto& a : rm.ipv4address()) {
    auto* list = f.mutable_ipv4address();
    auto it =
        std::find_if(list->begin(), list->end(), [&](const auto& e) { return SameEntry(e, a); });
    if (it == list->end()) {
      return MakeUnexpected(
          soap::InvalidArgVal("Not in the filter: " + a.address(), "NoIPv4Address"));
    }
    list->erase(it);
  }
  for (const auto& a : rm.ipv6address()) {
    auto* list = f.mutable_ipv6address();
    auto it =
        std::find_if(list->begin(), list->end(), [&](const auto& e) { return SameEntry(e, a); });
    if (it == list->end()) {
      return MakeUnexpected(
          soap::InvalidArgVal("Not in the filter: " + a.address(), "NoIPv6Address"));
    }
    list->erase(it);
  }
  if (auto st = ctx.device.security->SetIpFilter(f); !st) return MakeUnexpected(st.error());
  return tds::RemoveIPAddressFilterResponse{};
}

// ---------------------------------------------------------- password rules

tt::IntRange Range(int min, int max) {
  tt::IntRange r;
  r.set_min(min);
  r.set_max(max);
  return r;
}

Expected<tds::GetPasswordComplexityOptionsResponse, Fault> GetPasswordComplexityOptions(
    const RequestContext& ctx, const tds::GetPasswordComplexityOptions&) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  const int max = static_cast<int>(security::CredentialLimits{}.max_password);
  tds::GetPasswordComplexityOptionsResponse r;
  *r.mutable_minlenrange() = Range(1, max);
  *r.mutable_uppercaserange() = Range(0, max);
  *r.mutable_numberrange() = Range(0, max);
  *r.mutable_specialcharsrange() = Range(0, max);
  r.set_blockusernameoccurrencesupported(true);
  r.set_policyconfigurationlocksupported(true);
  return r;
}

Expected<tds::GetPasswordComplexityConfigurationResponse, Fault> GetPasswordComplexityConfiguration(
    const RequestContext& ctx, const tds::GetPasswordComplexityConfiguration&) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  tds::GetPasswordComplexityConfigurationResponse r;
  FillComplexityFields(ctx.device.security->complexity(), &r);
  return r;
}

Expected<tds::SetPasswordComplexityConfigurationResponse, Fault> SetPasswordComplexityConfiguration(
    const RequestContext& ctx, const tds::SetPasswordComplexityConfiguration& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  auto c = ctx.device.security->complexity();
  // Core §5.5: an omitted optional element keeps its current value.
  if (req.has_minlen()) c.min_len = req.minlen();
  if (req.has_uppercase()) c.uppercase = req.uppercase();
  if (req.has_number()) c.number = req.number();
  if (req.has_specialchars()) c.special_chars = req.specialchars();
  if (req.has_blockusernameoccurrence())
    c.block_username_occurrence = req.blockusernameoccurrence();
  if (req.has_policyconfigurationlocked()) {
    c.policy_configuration_locked = req.policyconfigurationlocked();
  }
  if (auto why = security::ValidateComplexityConfiguration(c)) {
    return MakeUnexpected(soap::InvalidArgVal(*why));
  }
  if (auto st = ctx.device.security->SetComplexity(c); !st) return MakeUnexpected(st.error());
  return tds::SetPasswordComplexityConfigurationResponse{};
}

Expected<tds::GetPasswordHistoryConfigurationResponse, Fault> GetPasswordHistoryConfiguration(
    const RequestContext& ctx, const tds::GetPasswordHistoryConfiguration&) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  const PasswordHistory h = ctx.device.security->history();
  tds::GetPasswordHistoryConfigurationResponse r;
  r.set_enabled(h.enabled);
  r.set_length(h.length);
  return r;
}

Expected<tds::SetPasswordHistoryConfigurationResponse, Fault> SetPasswordHistoryConfiguration(
    const RequestContext& ctx, const tds::SetPasswordHistoryConfiguration& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  if (req.length() < 0 || req.length() > kMaxPasswordHistory ||
      (req.enabled() && req.length() < 1)) {
    return MakeUnexpected(
        soap::InvalidArgVal("Length must be 1.." + std::to_string(kMaxPasswordHistory)));
  }
  if (auto st = ctx.device.security->SetHistory({req.enabled(), req.length()}); !st) {
    return MakeUnexpected(st.error());
  }
  return tds::SetPasswordHistoryConfigurationResponse{};
}

constexpr int kMaxMonitorPeriod = 3600;
constexpr int kMaxAuthFailures = 1000;

Expected<tds::GetAuthFailureWarningOptionsResponse, Fault> GetAuthFailureWarningOptions(
    const RequestContext& ctx, const tds::GetAuthFailureWarningOptions&) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  tds::GetAuthFailureWarningOptionsResponse r;
  *r.mutable_monitorperiodrange() = Range(1, kMaxMonitorPeriod);
  *r.mutable_authfailurerange() = Range(1, kMaxAuthFailures);
  return r;
}

Expected<tds::GetAuthFailureWarningConfigurationResponse, Fault> GetAuthFailureWarningConfiguration(
    const RequestContext& ctx, const tds::GetAuthFailureWarningConfiguration&) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  const AuthFailureWarning w = ctx.device.security->auth_failure_warning();
  tds::GetAuthFailureWarningConfigurationResponse r;
  r.set_enabled(w.enabled);
  r.set_monitorperiod(w.monitor_period_s);
  r.set_maxauthfailures(w.max_failures);
  return r;
}

Expected<tds::SetAuthFailureWarningConfigurationResponse, Fault> SetAuthFailureWarningConfiguration(
    const RequestContext& ctx, const tds::SetAuthFailureWarningConfiguration& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  if (req.monitorperiod() < 1 || req.monitorperiod() > kMaxMonitorPeriod ||
      req.maxauthfailures() < 1 || req.maxauthfailures() > kMaxAuthFailures) {
    return MakeUnexpected(soap::InvalidArgVal("A value is outside GetAuthFailureWarningOptions"));
  }
  if (auto st = ctx.device.security->SetAuthFailureWarning(
          {req.enabled(), req.monitorperiod(), req.maxauthfailures()});
      !st) {
    return MakeUnexpected(st.error());
  }
  return tds::SetAuthFailureWarningConfigurationResponse{};
}

// tt:StringList of algorithm names (commas tolerated: Core's own example
// writes "MD5,SHA-256"). Only what HashingAlgorithms advertises, each once.
Expected<tds::SetHashingAlgorithmResponse, Fault> SetHashingAlgorithm(
    const RequestContext& ctx, const tds::SetHashingAlgorithm& req) {
  if (!ctx.device.security) return MakeUnexpected(NotConfigurable());
  std::vector<security::DigestAlgorithm> algorithms;
  std::string list;
  for (const std::string& item : req.algorithm()) list += item + " ";
  std::replace(list.begin(), list.end(), ',', ' ');
  std::istringstream words(list);
  for (std::string word; words >> word;) {
    auto a = security::ParseDigestAlgorithm(word);
    if (!a || (*a != security::DigestAlgorithm::kMd5 && *a != security::DigestAlgorithm::kSha256)) {
      return MakeUnexpected(
          soap::InvalidArgVal("Unsupported hashing algorithm (use MD5, SHA-256)"));
    }
    if (std::find(algorithms.begin(), algorithms.end(), *a) != algorithms.end()) {
      return MakeUnexpected(soap::InvalidArgVal("A hashing algorithm is listed twice"));
    }
    algorithms.push_back(*a);
  }
  if (algorithms.empty()) {
    return MakeUnexpected(soap::InvalidArgVal("At least one hashing algorithm is required"));
  }
  if (auto st = ctx.device.security->SetDigestAlgorithms(std::move(algorithms)); !st) {
    return MakeUnexpected(st.error());
  }
  return tds::SetHashingAlgorithmResponse{};
}

}  // namespace

void BindSecurityOperations(ServiceBinder& b) {
  b.Bind("GetUsers", GetUsers)
      .Bind("CreateUsers", CreateUsers)
      .Bind("DeleteUsers", DeleteUsers)
      .Bind("SetUser", SetUser)
      .Bind("GetAccessPolicy", GetAccessPolicy)
      .Bind("SetAccessPolicy", SetAccessPolicy)
      .Bind("GetRemoteUser", GetRemoteUser)
      .Bind("SetRemoteUser", SetRemoteUser)
      .Bind("GetIPAddressFilter", GetIPAddressFilter)
      .Bind("SetIPAddressFilter", SetIPAddressFilter)
      .Bind("AddIPAddressFilter", AddIPAddressFilter)
      .Bind("RemoveIPAddressFilter", RemoveIPAddressFilter)
      .Bind("GetPasswordComplexityOptions", GetPasswordComplexityOptions)
      .Bind("GetPasswordComplexityConfiguration", GetPasswordComplexityConfiguration)
      .Bind("SetPasswordComplexityConfiguration", SetPasswordComplexityConfiguration)
      .Bind("GetPasswordHistoryConfiguration", GetPasswordHistoryConfiguration)
      .Bind("SetPasswordHistoryConfiguration", SetPasswordHistoryConfiguration)
      .Bind("GetAuthFailureWarningOptions", GetAuthFailureWarningOptions)
      .Bind("GetAuthFailureWarningConfiguration", GetAuthFailureWarningConfiguration)
      .Bind("SetAuthFailureWarningConfiguration", SetAuthFailureWarningConfiguration)
      .Bind("SetHashingAlgorithm", SetHashingAlgorithm)
      .Bind("GetUserRoles", GetUserRoles)
      .Bind("SetUserRole", SetUserRole)
      .Bind("DeleteUserRole", DeleteUserRole);
}

}  // namespace onvifgw::services::device
