#include "services/device_security/user_accounts.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>

#include "core/log.h"

namespace onvifgw::services {
namespace {

std::string SealedName(const std::string& username) { return "user/" + username; }

std::string GeneratePassword() {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  unsigned char raw[18];
  if (RAND_bytes(raw, sizeof raw) != 1) std::abort();
  std::string out;
  for (unsigned char c : raw) out += kAlphabet[c % (sizeof kAlphabet - 1)];
  return out;
}

}  // namespace

Expected<UserAccounts, std::string> UserAccounts::Open(const std::vector<store::StoredUser>& rows,
                                                       const DeviceSecrets& secrets) {
  std::vector<UserAccount> users;
  for (const auto& u : rows) {
    auto password = secrets.Open(SealedName(u.username), u.sealed_password);
    if (!password) {
      return MakeUnexpected("device " + secrets.device_id() + ": the password of user '" +
                            u.username + "' cannot be decrypted (wrong or replaced key file?)");
    }
    auto level = security::ParseUserLevel(u.level);
    if (!level) {
      return MakeUnexpected("device " + secrets.device_id() + ": bad level of '" + u.username +
                            "'");
    }
    std::vector<std::string> roles;
    std::string_view rest = u.roles;
    while (!rest.empty()) {
      const std::size_t sp = rest.find(' ');
      if (sp != 0) roles.emplace_back(rest.substr(0, sp));
      rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    }
    users.push_back(UserAccount{u.username, *password, *level, u.fixed, std::move(roles)});
  }
  return UserAccounts(std::move(users));
}

Expected<std::vector<store::StoredUser>, std::string> UserAccounts::Seal(
    const std::vector<UserAccount>& users, const DeviceSecrets& secrets) {
  std::vector<store::StoredUser> rows;
  rows.reserve(users.size());
  for (const UserAccount& u : users) {
    auto sealed = secrets.Seal(SealedName(u.username), u.password);
    if (!sealed) return MakeUnexpected(sealed.error());
    std::string roles;
    for (const auto& r : u.roles) roles += (roles.empty() ? "" : " ") + r;
    rows.push_back(
        {u.username, std::string(security::UserLevelName(u.level)), *sealed, u.fixed, roles});
  }
  return rows;
}

Expected<bool, std::string> UserAccounts::AdoptAdministrator(
    const std::optional<config::AdminConfig>& configured, const std::string& device_id) {
  if (!configured) {
    if (!users_.empty()) return false;
    UserAccount admin{"admin", GeneratePassword(), security::UserLevel::kAdministrator, false};
    // The one log line that carries a password, by design: the operator
    // needs it once to log in and change it.
    log::WriteAbout(log::Level::kWarn, "security", device_id,
                    "no administrator configured; created user '" + admin.username +
                        "' with password '" + admin.password +
                        "' (shown once; change it with SetUser)");
    users_.push_back(std::move(admin));
    return true;
  }
  if (auto e = security::ValidateUsername(configured->username)) {
    return MakeUnexpected("device " + device_id +
                          ": admin username: " + std::string(security::Describe(*e)));
  }
  if (auto e = security::ValidatePassword(configured->password, configured->username,
                                          security::PasswordComplexityConfiguration{})) {
    return MakeUnexpected("device " + device_id +
                          ": admin password: " + std::string(security::Describe(*e)));
  }
  bool changed = false;
  const UserAccount admin{configured->username, configured->password,
                          security::UserLevel::kAdministrator, true};
  auto it = std::find_if(users_.begin(), users_.end(),
                         [&](const UserAccount& u) { return u.username == admin.username; });
  if (it == users_.end()) {
    users_.insert(users_.begin(), admin);
    changed = true;
  } else if (it->password != admin.password || !it->fixed ||
             it->level != security::UserLevel::kAdministrator) {
    *it = admin;
    changed = true;
  }
  for (auto& u : users_) {
    if (u.fixed && u.username != admin.username) {
      u.fixed = false;  // a previously configured administrator is no longer fixed
      changed = true;
    }
  }
  return changed;
}

std::optional<UserAccount> UserAccounts::Find(const std::string& username) const {
  for (const auto& u : users_) {
    if (u.username == username) return u;
  }
  return std::nullopt;
}

}  // namespace onvifgw::services
