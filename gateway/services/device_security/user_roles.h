#pragma once
// User roles (Core §5.9.4.2, GetUserRoles/SetUserRole/DeleteUserRole): named
// sets of functions ("tptz:ContinuousMove", "tds:GetNTP") that users of level
// Extended are given. The three predefined roles onvif:Administrator,
// onvif:Operator and onvif:User stand for the user levels: a user with one
// of them may do what the access policy lets that level do. Custom roles are
// kept as the schema's XML. A value type.

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "onvif/generated/tt.pb.h"
#include "security/access_policy.h"
#include "soap/fault.h"

namespace onvifgw::services {

class UserRoles {
 public:
  static constexpr const char* kKey = "user_roles";
  /// MaxUserRoles: every role, the three predefined ones included.
  static constexpr int kMax = 16;
  static constexpr std::array<std::pair<std::string_view, security::UserLevel>, 3> kPredefined = {
      {{"onvif:Administrator", security::UserLevel::kAdministrator},
       {"onvif:Operator", security::UserLevel::kOperator},
       {"onvif:User", security::UserLevel::kUser}}};

  static Expected<UserRoles, std::string> Decode(const std::optional<std::string>& stored);
  std::string Encode() const;

  /// Every role, predefined first (with no functions: they follow the
  /// access policy), or only the one named; ter:InvalidUserRole for a name
  /// the device does not have.
  Expected<std::vector<onvif::tt::UserRole>, soap::Fault> List(
      const std::optional<std::string>& name) const;
  bool Exists(std::string_view name) const;

  /// Whether `name` could name a role at all: not empty, no white space.
  static bool IsRoleName(std::string_view name);

  /// Creates or replaces a custom role. ter:OnvifPrefix for an onvif: name,
  /// ter:FunctionNotImplemented when `implemented` does not know a function,
  /// ter:TooManyUserRoles beyond kMax.
  std::optional<soap::Fault> Set(const onvif::tt::UserRole& role,
                                 const std::function<bool(std::string_view)>& implemented);
  /// ter:OnvifPrefix, or ter:InvalidUserRole for a role the device lacks.
  std::optional<soap::Fault> Delete(std::string_view name);

  /// Whether a user holding `roles` may call `function` ("tds:GetNTP"; empty
  /// for what is not an operation, as a snapshot download), of class
  /// `access`: a predefined role whose level the policy lets, or a custom
  /// role listing the function.
  bool Grant(const std::vector<std::string>& roles, std::string_view function,
             security::AccessClass access, const security::AccessPolicy& policy) const;

 private:
  const onvif::tt::UserRole* Custom(std::string_view name) const;
  std::vector<onvif::tt::UserRole> custom_;
};

}  // namespace onvifgw::services
