#include "services/device_security/user_roles.h"

#include <algorithm>
#include <cctype>

#include "onvif/generated/tds.pb.h"
#include "services/device_security/stored_form.h"

namespace onvifgw::services {
namespace {

namespace tt = ::onvifgw::onvif::tt;

bool Reserved(std::string_view name) { return name.substr(0, 6) == "onvif:"; }

soap::Fault OnvifPrefix() {
  return soap::Fault{soap::FaultCode::kSender,
                     {"OperationProhibited", "OnvifPrefix"},
                     "Roles starting with onvif: are predefined and cannot be changed"};
}

soap::Fault NoSuchRole(std::string_view name) {
  return soap::InvalidArgVal("No user role " + std::string(name.substr(0, 64)), "InvalidUserRole");
}

}  // namespace

Expected<UserRoles, std::string> UserRoles::Decode(const std::optional<std::string>& stored) {
  UserRoles roles;
  if (!stored) return roles;
  onvif::tds::GetUserRolesResponse kept;
  if (!RestoreStored(*stored, &kept)) {
    return MakeUnexpected(std::string("stored user roles are unreadable"));
  }
  roles.custom_.assign(kept.userrole().begin(), kept.userrole().end());
  return roles;
}

std::string UserRoles::Encode() const {
  onvif::tds::GetUserRolesResponse kept;
  for (const auto& r : custom_) *kept.add_userrole() = r;
  return StoredForm(kept);
}

bool UserRoles::IsRoleName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::none_of(name.begin(), name.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
  });
}

const tt::UserRole* UserRoles::Custom(std::string_view name) const {
  auto it = std::find_if(custom_.begin(), custom_.end(),
                         [&](const tt::UserRole& r) { return r.name() == name; });
  return it == custom_.end() ? nullptr : &*it;
}

bool UserRoles::Exists(std::string_view name) const {
  return Custom(name) != nullptr || std::any_of(kPredefined.begin(), kPredefined.end(),
                                                [&](const auto& p) { return p.first == name; });
}

Expected<std::vector<tt::UserRole>, soap::Fault> UserRoles::List(
    const std::optional<std::string>& name) const {
  std::vector<tt::UserRole> out;
  for (const auto& [predefined, level] : kPredefined) {
    tt::UserRole r;
    r.set_name(std::string(predefined));
    // No functions: what the level may do is the access policy's.
    out.push_back(std::move(r));
  }
  out.insert(out.end(), custom_.begin(), custom_.end());
  if (!name) return out;
  auto it = std::find_if(out.begin(), out.end(),
                         [&](const tt::UserRole& r) { return r.name() == *name; });
  if (it == out.end()) return MakeUnexpected(NoSuchRole(*name));
  return std::vector<tt::UserRole>{*it};
}

std::optional<soap::Fault> UserRoles::Set(
    const tt::UserRole& role, const std::function<bool(std::string_view)>& implemented) {
  if (Reserved(role.name())) return OnvifPrefix();
  if (!IsRoleName(role.name())) {
    return soap::InvalidArgVal("A role name is 1 to 64 characters without spaces");
  }
  for (const std::string& f : role.functions()) {
    if (!implemented(f)) {
      return soap::Fault{soap::FaultCode::kReceiver,
                         {"Action", "FunctionNotImplemented"},
                         "The device does not implement " + f.substr(0, 128)};
    }
  }
  auto existing = std::find_if(custom_.begin(), custom_.end(),
                               [&](const tt::UserRole& r) { return r.name() == role.name(); });
  if (existing != custom_.end()) {
    *existing = role;
    return std::nullopt;
  }
  if (static_cast<int>(kPredefined.size() + custom_.size()) >= kMax) {
    return soap::Fault{soap::FaultCode::kReceiver,
                       {"Action", "TooManyUserRoles"},
                       "At most " + std::to_string(kMax) + " user roles are kept"};
  }
  custom_.push_back(role);
  return std::nullopt;
}

std::optional<soap::Fault> UserRoles::Delete(std::string_view name) {
  if (Reserved(name)) return OnvifPrefix();
  auto it = std::find_if(custom_.begin(), custom_.end(),
                         [&](const tt::UserRole& r) { return r.name() == name; });
  if (it == custom_.end()) return NoSuchRole(name);
  custom_.erase(it);
  return std::nullopt;
}

bool UserRoles::Grant(const std::vector<std::string>& roles, std::string_view function,
                      security::AccessClass access, const security::AccessPolicy& policy) const {
  for (const std::string& name : roles) {
    for (const auto& [predefined, level] : kPredefined) {
      if (name == predefined && policy.Allows(level, access)) return true;
    }
    if (function.empty()) continue;
    if (const tt::UserRole* r = Custom(name)) {
      const auto& f = r->functions();
      if (std::find(f.begin(), f.end(), function) != f.end()) return true;
    }
  }
  return false;
}

}  // namespace onvifgw::services
