// UserAccounts: sealed rows in and out, each password bound to its user; the
// configured administrator adopted (added, corrected, the previous one
// unfixed); a first start without one generates an administrator.

#include "services/device_security/user_accounts.h"

#include <gtest/gtest.h>

namespace onvifgw::services {
namespace {

using security::UserLevel;

security::SecretBox Box() {
  return std::move(security::SecretBox::FromKey(std::string(32, 'k'))).value();
}

TEST(UserAccounts, SealedRowsOpenOnlyForTheirUserAndDevice) {
  const security::SecretBox box = Box();
  const DeviceSecrets front(box, "front");
  auto rows = UserAccounts::Seal({{"alice", "Alice-Passw0rd", UserLevel::kOperator, false},
                                  {"root", "Root-Passw0rd", UserLevel::kAdministrator, true}},
                                 front);
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].level, "Operator");
  EXPECT_EQ((*rows)[0].sealed_password.find("Alice-Passw0rd"), std::string::npos);
  EXPECT_TRUE((*rows)[1].fixed);

  auto users = UserAccounts::Open(*rows, front);
  ASSERT_TRUE(users.has_value()) << users.error();
  ASSERT_EQ(users->list().size(), 2u);
  EXPECT_EQ(users->Find("alice")->password, "Alice-Passw0rd");
  EXPECT_EQ(users->Find("root")->level, UserLevel::kAdministrator);
  EXPECT_FALSE(users->Find("bob").has_value());

  // Another device's key context, or a password moved to another user's
  // row, does not open; the error names the user.
  auto other = UserAccounts::Open(*rows, DeviceSecrets(box, "back"));
  ASSERT_FALSE(other.has_value());
  EXPECT_NE(other.error().find("'alice'"), std::string::npos) << other.error();
  auto moved = *rows;
  std::swap(moved[0].sealed_password, moved[1].sealed_password);
  EXPECT_FALSE(UserAccounts::Open(moved, front).has_value());
  auto bad_level = *rows;
  bad_level[0].level = "Superuser";
  EXPECT_FALSE(UserAccounts::Open(bad_level, front).has_value());
}

TEST(UserAccounts, TheConfiguredAdministratorFollowsTheConfig) {
  UserAccounts users({{"old-admin", "Old-Passw0rd", UserLevel::kAdministrator, true},
                      {"alice", "Alice-Passw0rd", UserLevel::kUser, false}});
  const config::AdminConfig admin{"root", "Root-Passw0rd"};
  auto changed = users.AdoptAdministrator(admin, "front");
  ASSERT_TRUE(changed.has_value());
  EXPECT_TRUE(*changed);
  ASSERT_EQ(users.list().size(), 3u);
  EXPECT_EQ(users.list()[0].username, "root");  // first
  EXPECT_TRUE(users.list()[0].fixed);
  EXPECT_FALSE(users.Find("old-admin")->fixed);  // no longer the configured one
  // Adopted again: nothing to store.
  EXPECT_FALSE(*users.AdoptAdministrator(admin, "front"));
  // The config's password wins over one a client set, and the level too.
  UserAccounts changed_by_client({{"root", "Client-Passw0rd", UserLevel::kOperator, true}});
  EXPECT_TRUE(*changed_by_client.AdoptAdministrator(admin, "front"));
  EXPECT_EQ(changed_by_client.Find("root")->password, "Root-Passw0rd");
  EXPECT_EQ(changed_by_client.Find("root")->level, UserLevel::kAdministrator);
}

TEST(UserAccounts, AConfiguredAdministratorTheRulesRefuseIsAnError) {
  UserAccounts users;
  auto bad_name = users.AdoptAdministrator(config::AdminConfig{"", "Root-Passw0rd"}, "front");
  ASSERT_FALSE(bad_name.has_value());
  EXPECT_NE(bad_name.error().find("device front: admin username"), std::string::npos);
  auto bad_password = users.AdoptAdministrator(config::AdminConfig{"root", ""}, "front");
  ASSERT_FALSE(bad_password.has_value());
  EXPECT_NE(bad_password.error().find("admin password"), std::string::npos);
  EXPECT_TRUE(users.list().empty());
}

TEST(UserAccounts, WithoutAConfiguredAdministratorAFirstStartGeneratesOne) {
  UserAccounts users;
  EXPECT_TRUE(*users.AdoptAdministrator(std::nullopt, "front"));
  ASSERT_EQ(users.list().size(), 1u);
  EXPECT_EQ(users.list()[0].username, "admin");
  EXPECT_EQ(users.list()[0].level, UserLevel::kAdministrator);
  EXPECT_GE(users.list()[0].password.size(), 18u);
  EXPECT_FALSE(users.list()[0].fixed);
  // Users exist: nothing is generated.
  EXPECT_FALSE(*users.AdoptAdministrator(std::nullopt, "front"));
  EXPECT_EQ(users.list().size(), 1u);
}

}  // namespace
}  // namespace onvifgw::services
