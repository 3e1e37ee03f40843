// State store: created on first start, migrated, identities persisted and unique.

#include "store/state_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace onvifgw::store {
namespace {

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onvifgw-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(StateStoreTest, CreatesAndMigratesOnFirstOpen) {
  auto s = StateStore::Open(dir_.string());
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_TRUE(std::filesystem::exists(dir_ / "state.db"));
  EXPECT_EQ((*s)->schema_version(), StateStore::LatestSchemaVersion());
}

TEST_F(StateStoreTest, IdentityIsStableAcrossReopen) {
  DeviceIdentity first;
  {
    auto s = StateStore::Open(dir_.string());
    ASSERT_TRUE(s.has_value());
    auto id = (*s)->IdentityFor("cam");
    ASSERT_TRUE(id.has_value());
    first = *id;
    EXPECT_EQ(first.endpoint_reference.rfind("urn:uuid:", 0), 0u);
    EXPECT_EQ(first.endpoint_reference.size(), 45u);
    EXPECT_EQ(first.mac.size(), 17u);
    // Locally administered, unicast.
    const int octet = std::stoi(first.mac.substr(0, 2), nullptr, 16);
    EXPECT_EQ(octet & 0x03, 0x02);
  }
  auto s = StateStore::Open(dir_.string());
  ASSERT_TRUE(s.has_value());
  auto again = (*s)->IdentityFor("cam");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->endpoint_reference, first.endpoint_reference);
  EXPECT_EQ(again->serial_number, first.serial_number);
  EXPECT_EQ(again->mac, first.mac);
  EXPECT_EQ(again->hardware_id, first.hardware_id);
}

TEST_F(StateStoreTest, DevicesNeverShareIdentities) {
  auto s = StateStore::Open(dir_.string());
  ASSERT_TRUE(s.has_value());
  std::set<std::string> uuids, serials, macs;
  for (int i = 0; i < 50; ++i) {
    auto id = (*s)->IdentityFor("dev" + std::to_string(i));
    ASSERT_TRUE(id.has_value());
    uuids.insert(id->endpoint_reference);
    serials.insert(id->serial_number);
    macs.insert(id->mac);
  }
  EXPECT_EQ(uuids.size(), 50u);
  EXPECT_EQ(serials.size(), 50u);
  EXPECT_EQ(macs.size(), 50u);
}

TEST_F(StateStoreTest, UsersAndTheirSettingsAreReplacedInOneTransaction) {
  auto s = StateStore::Open(dir_.string());
  ASSERT_TRUE(s.has_value()) << s.error();
  ASSERT_TRUE((*s)->ReplaceUsers("cam", {{"admin", "Administrator", "sealed-1", true}},
                                 {{"password_history/admin", "h1"}})
                  .ok());
  auto users = (*s)->Users("cam");
  ASSERT_TRUE(users.has_value());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*s)->Setting("cam", "password_history/admin").value(),
            std::optional<std::string>("h1"));
  // A failing insert (the same user twice) rolls the settings back too.
  EXPECT_FALSE((*s)->ReplaceUsers("cam",
                                  {{"admin", "Administrator", "sealed-2", true},
                                   {"admin", "Administrator", "sealed-3", true}},
                                  {{"password_history/admin", "h2"}})
                   .ok());
  EXPECT_EQ((*s)->Setting("cam", "password_history/admin").value(),
            std::optional<std::string>("h1"));
  EXPECT_EQ((*s)->Users("cam")->at(0).sealed_password, "sealed-1");
}

TEST_F(StateStoreTest, AFactoryDefaultKeepsOnlyWhatItIsTold) {
  auto s = StateStore::Open(dir_.string());
  ASSERT_TRUE(s.has_value()) << s.error();
  StateStore& store = **s;
  ASSERT_TRUE(store
                  .ReplaceUsers("cam",
                                {{"admin", "Administrator", "sealed-1", true},
                                 {"op", "Operator", "sealed-2", false}},
                                {{"password_history/op", "h"}})
                  .ok());
  for (const char* key : {"network", "media", "clock", "discovery"}) {
    ASSERT_TRUE(store.PutSetting("cam", key, std::string(key) + "-value").ok());
  }
  ASSERT_TRUE(store.PutSetting("other", "media", "untouched").ok());
  const DeviceIdentity identity = store.IdentityFor("cam").value();

  // Soft: the network and the users stay.
  StateStore::DeviceReset soft;
  soft.keep_keys = {"network"};
  soft.keep_key_prefixes = {"password_history/"};
  soft.put = {{"discovery", "fresh"}};
  ASSERT_TRUE(store.ResetDevice("cam", soft).ok());
  EXPECT_EQ(store.Setting("cam", "network").value(), std::optional<std::string>("network-value"));
  EXPECT_EQ(store.Setting("cam", "password_history/op").value(), std::optional<std::string>("h"));
  EXPECT_EQ(store.Setting("cam", "media").value(), std::nullopt);
  EXPECT_EQ(store.Setting("cam", "clock").value(), std::nullopt);
  EXPECT_EQ(store.Setting("cam", "discovery").value(), std::optional<std::string>("fresh"));
  EXPECT_EQ(store.Users("cam")->size(), 2u);

  // Hard: only the fixed user stays; other devices and the identity never change.
  StateStore::DeviceReset hard;
  hard.keep_users = false;
  ASSERT_TRUE(store.ResetDevice("cam", hard).ok());
  EXPECT_EQ(store.Setting("cam", "network").value(), std::nullopt);
  EXPECT_EQ(store.Setting("cam", "password_history/op").value(), std::nullopt);
  ASSERT_EQ(store.Users("cam")->size(), 1u);
  EXPECT_EQ(store.Users("cam")->at(0).username, "admin");
  EXPECT_EQ(store.Setting("other", "media").value(), std::optional<std::string>("untouched"));
  EXPECT_EQ(store.IdentityFor("cam")->endpoint_reference, identity.endpoint_reference);
}

TEST_F(StateStoreTest, RefusesANewerSchema) {
  {
    auto s = StateStore::Open(dir_.string());
    ASSERT_TRUE(s.has_value());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "state.db").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA user_version=999;", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto s = StateStore::Open(dir_.string());
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().find("newer"), std::string::npos);
}

}  // namespace
}  // namespace onvifgw::store
