// UserRoles: the predefined onvif: roles listed first and fixed, custom roles
// created, replaced, deleted and stored; the documented faults; what a set
// of roles grants (the level's access policy for a predefined role, the
// listed functions for a custom one).

#include "services/device_security/user_roles.h"

#include <gtest/gtest.h>

namespace onvifgw::services {
namespace {

namespace tt = ::onvifgw::onvif::tt;
using security::AccessClass;

tt::UserRole Role(const std::string& name, std::vector<std::string> functions) {
  tt::UserRole r;
  r.set_name(name);
  for (auto& f : functions) r.add_functions(std::move(f));
  return r;
}

bool Known(std::string_view f) { return f.rfind("tds:", 0) == 0 && f != "tds:Nope"; }

std::vector<std::string> Subcodes(const std::optional<soap::Fault>& f) {
  return f ? f->subcodes : std::vector<std::string>{};
}

TEST(UserRoles, PredefinedFirstCustomOnesKeptAndStored) {
  UserRoles roles;
  auto all = roles.List(std::nullopt);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].name(), "onvif:Administrator");
  EXPECT_EQ((*all)[2].functions_size(), 0);

  EXPECT_FALSE(roles.Set(Role("NetReader", {"tds:GetNTP", "tds:GetDNS"}), Known));
  EXPECT_FALSE(roles.Set(Role("NetReader", {"tds:GetNTP"}), Known));  // replaced
  EXPECT_TRUE(roles.Exists("NetReader"));
  EXPECT_TRUE(roles.Exists("onvif:User"));
  auto one = roles.List(std::string("NetReader"));
  ASSERT_TRUE(one.has_value());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].functions_size(), 1);

  auto back = UserRoles::Decode(roles.Encode());
  ASSERT_TRUE(back.has_value()) << back.error();
  EXPECT_EQ(back->List(std::nullopt)->size(), 4u);
  EXPECT_TRUE(UserRoles::Decode(std::nullopt).has_value());
  EXPECT_FALSE(UserRoles::Decode(std::string("<Stored><UserRole>")).has_value());

  EXPECT_FALSE(roles.Delete("NetReader"));
  EXPECT_FALSE(roles.Exists("NetReader"));
}

TEST(UserRoles, TheDocumentedFaults) {
  UserRoles roles;
  EXPECT_EQ(Subcodes(roles.Set(Role("onvif:Viewer", {}), Known)),
            (std::vector<std::string>{"OperationProhibited", "OnvifPrefix"}));
  EXPECT_EQ(Subcodes(roles.Delete("onvif:User")),
            (std::vector<std::string>{"OperationProhibited", "OnvifPrefix"}));
  EXPECT_EQ(Subcodes(roles.Set(Role("R", {"tds:GetNTP", "tds:Nope"}), Known)),
            (std::vector<std::string>{"Action", "FunctionNotImplemented"}));
  EXPECT_EQ(Subcodes(roles.Set(Role("two words", {}), Known)),
            (std::vector<std::string>{"InvalidArgVal"}));
  EXPECT_EQ(Subcodes(roles.Delete("Absent")),
            (std::vector<std::string>{"InvalidArgVal", "InvalidUserRole"}));
  EXPECT_FALSE(roles.List(std::string("Absent")).has_value());
  for (int i = 3; i < UserRoles::kMax; ++i) {
    // Appended, not "R" + ...: GCC 12's -O3 -Wrestrict misreads that form.
    std::string name = "R";
    name += std::to_string(i);
    EXPECT_FALSE(roles.Set(Role(name, {}), Known));
  }
  EXPECT_EQ(Subcodes(roles.Set(Role("OneTooMany", {}), Known)),
            (std::vector<std::string>{"Action", "TooManyUserRoles"}));
  EXPECT_FALSE(roles.Set(Role("R3", {"tds:GetDNS"}), Known));  // replacing still works
  EXPECT_EQ(roles.List(std::nullopt)->size(), static_cast<std::size_t>(UserRoles::kMax));
}

TEST(UserRoles, GrantsByLevelForPredefinedRolesAndByFunctionForCustomOnes) {
  UserRoles roles;
  ASSERT_FALSE(roles.Set(Role("NetReader", {"tds:GetNTP"}), Known));
  const auto policy = security::AccessPolicy::Default();
  EXPECT_TRUE(roles.Grant({"NetReader"}, "tds:GetNTP", AccessClass::kReadSystem, policy));
  EXPECT_FALSE(roles.Grant({"NetReader"}, "tds:GetDNS", AccessClass::kReadSystem, policy));
  EXPECT_FALSE(roles.Grant({"NetReader"}, "", AccessClass::kReadSystem, policy));
  EXPECT_FALSE(roles.Grant({}, "tds:GetNTP", AccessClass::kReadSystem, policy));
  EXPECT_FALSE(roles.Grant({"Deleted"}, "tds:GetNTP", AccessClass::kReadSystem, policy));
  // onvif:User is the User level: what the policy lets Users do, nothing more.
  EXPECT_TRUE(roles.Grant({"onvif:User"}, "", AccessClass::kReadMedia, policy));
  EXPECT_FALSE(roles.Grant({"onvif:User"}, "tds:SetHostname", AccessClass::kWriteSystem, policy));
  EXPECT_TRUE(roles.Grant({"NetReader", "onvif:Administrator"}, "tds:SetHostname",
                          AccessClass::kWriteSystem, policy));
}

}  // namespace
}  // namespace onvifgw::services
