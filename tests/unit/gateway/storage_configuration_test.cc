// Storage configurations (Core §8.8) as a client creates, reads, changes and
// deletes them: credentials never returned and sealed at rest, kept when a
// client writes back what it read, the documented faults changing nothing,
// the capabilities, and persistence across a restart.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "security/secret_box.h"
#include "services/device/storage_configurations.h"
#include "soap_test_client.h"
#include "store/state_store.h"

namespace onvifgw::services {
namespace {

std::string Data(const std::string& type, const std::string& inner) {
  return "<tds:StorageConfiguration type=\"" + type + "\">" + inner + "</tds:StorageConfiguration>";
}
std::string Create(const std::string& type, const std::string& inner) {
  return "<tds:CreateStorageConfiguration>" + Data(type, inner) +
         "</tds:CreateStorageConfiguration>";
}
std::string Set(const std::string& token, const std::string& type, const std::string& inner) {
  return "<tds:SetStorageConfiguration><tds:StorageConfiguration token=\"" + token +
         "\"><tds:Data type=\"" + type + "\">" + inner +
         "</tds:Data></tds:StorageConfiguration></tds:SetStorageConfiguration>";
}
std::string Get(const std::string& token) {
  return "<tds:GetStorageConfiguration><tds:Token>" + token + "</tds:Token>" +
         "</tds:GetStorageConfiguration>";
}
const std::string kSmb =
    "<tds:StorageUri>smb://nas.example.org/cams</tds:StorageUri><tds:User><tds:UserName>rec"
    "</tds:UserName><tds:Password>s3cret-pass</tds:Password></tds:User>";

class StorageConfigurationTest : public ::testing::Test {
 protected:
  StorageConfigurationTest() : storage_("front", nullptr, nullptr) {
    device_.config.id = "front";
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    device_.storage = &storage_;
  }
  // The token a CreateStorageConfiguration answered.
  std::string Created(const std::string& body) {
    const std::string r = soap_.Ok(body);
    const auto b = r.find("<tds:Token>");
    const auto e = r.find("</tds:Token>");
    if (b == std::string::npos || e == std::string::npos) return {};
    return r.substr(b + 11, e - b - 11);
  }
  device::StorageConfigurations storage_;
  VirtualDevice device_;
  onvifgw::testing::SoapTestClient soap_{device_};
};

TEST_F(StorageConfigurationTest, CreatedReadChangedAndDeletedWithoutShowingCredentials) {
  EXPECT_EQ(soap_.Ok("<tds:GetStorageConfigurations/>").find("<tds:StorageConfigurations"),
            std::string::npos);
  const std::string a = Created(Create("CIFS", kSmb));
  const std::string b = Created(
      Create("ObjectStorageS3",
             "<tds:StorageUri>https://bucket.s3.example.com</tds:StorageUri><tds:User>"
             "<tds:UserName>AKID</tds:UserName><tds:Password>secret-key</tds:Password><tds:Token>"
             "sts-token</tds:Token></tds:User>"));
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  EXPECT_NE(a, b);
  std::string r = soap_.Ok("<tds:GetStorageConfigurations/>");
  EXPECT_NE(r.find("token=\"" + a + "\""), std::string::npos) << r;
  EXPECT_NE(r.find("type=\"ObjectStorageS3\""), std::string::npos) << r;
  EXPECT_NE(r.find("<tds:UserName>AKID</tds:UserName>"), std::string::npos) << r;
  for (const char* secret : {"s3cret-pass", "secret-key", "sts-token", "Password", "tds:Token>"}) {
    EXPECT_EQ(r.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(storage_.CredentialsOf(b).password, "secret-key");
  EXPECT_EQ(storage_.CredentialsOf(b).token, "sts-token");

  // Written back as read (no password), same user: the password stays.
  r = soap_.Ok(Get(a));
  EXPECT_NE(r.find("<tds:StorageUri>smb://nas.example.org/cams</tds:StorageUri>"),
            std::string::npos)
      << r;
  soap_.Ok(Set(a, "CIFS",
               "<tds:LocalPath>/rec</tds:LocalPath><tds:StorageUri>smb://nas.example.org/cams"
               "</tds:StorageUri><tds:User><tds:UserName>rec</tds:UserName></tds:User>"));
  EXPECT_EQ(storage_.CredentialsOf(a).password, "s3cret-pass");
  EXPECT_NE(soap_.Ok(Get(a)).find("<tds:LocalPath>/rec</tds:LocalPath>"), std::string::npos);
  // Another user without a password: the old one does not follow.
  soap_.Ok(Set(a, "CIFS",
               "<tds:StorageUri>smb://nas.example.org/cams</tds:StorageUri><tds:User><tds:UserName>"
               "other</tds:UserName></tds:User>"));
  EXPECT_EQ(storage_.CredentialsOf(a).password, "");

  soap_.Ok("<tds:DeleteStorageConfiguration><tds:Token>" + a +
           "</tds:Token></tds:DeleteStorageConfiguration>");
  EXPECT_EQ(soap_.FaultOf(Get(a)), "NoConfig");
  EXPECT_EQ(storage_.List().size(), 1u);
  // Tokens are not reused.
  EXPECT_NE(Created(Create("NFS", "<tds:StorageUri>nfs://nas/export</tds:StorageUri>")), a);

  const std::string caps = soap_.Ok("<tds:GetServiceCapabilities/>");
  EXPECT_NE(caps.find("StorageConfiguration=\"true\""), std::string::npos) << caps;
  EXPECT_NE(caps.find("MaxStorageConfigurations=\"8\""), std::string::npos) << caps;
  EXPECT_NE(caps.find("StorageTypesSupported=\"NFS CIFS CDMI FTP ObjectStorageS3 "
                      "ObjectStorageAzure\""),
            std::string::npos)
      << caps;
}

TEST_F(StorageConfigurationTest, BadRequestsGiveTheDocumentedFaultsAndChangeNothing) {
  const std::string a = Created(Create("CIFS", kSmb));
  const std::string before = soap_.Ok("<tds:GetStorageConfigurations/>");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Create("Tape", "<tds:StorageUri>tape://0</tds:StorageUri>"), "ConfigModify"},
      {Create("NFS", ""), "ConfigModify"},
      {Create("NFS", "<tds:StorageUri>relative/reference</tds:StorageUri>"), "ConfigModify"},
      {Create("NFS",
              "<tds:LocalPath>relative/path</tds:LocalPath><tds:StorageUri>nfs://n/e"
              "</tds:StorageUri>"),
       "ConfigModify"},
      {Create("ObjectStorageS3",
              "<tds:StorageUri>https://b.example.com</tds:StorageUri><tds:ConfigurationRenewal>"
              "<tds:RenewalEndpoint>https://renew.example.com</tds:RenewalEndpoint>"
              "<tds:AuthorizationServer>as</tds:AuthorizationServer></tds:ConfigurationRenewal>"),
       "ConfigModify"},
      {Get("storage_99"), "NoConfig"},
      {Set("storage_99", "NFS", "<tds:StorageUri>nfs://n/e</tds:StorageUri>"), "NoConfig"},
      {Set(a, "NFS", ""), "ConfigModify"},
      {"<tds:DeleteStorageConfiguration><tds:Token>storage_99</tds:Token>"
       "</tds:DeleteStorageConfiguration>",
       "NoConfig"},
  };
  for (const auto& [body, fault] : cases) {
    EXPECT_EQ(soap_.FaultOf(body), fault) << body;
    EXPECT_EQ(soap_.Ok("<tds:GetStorageConfigurations/>"), before) << body;
  }
  EXPECT_EQ(storage_.CredentialsOf(a).password, "s3cret-pass");
  // The eighth fits, the ninth does not (MaxStorageConfigurations).
  for (int i = 1; i < device::StorageConfigurations::kMax; ++i) {
    EXPECT_FALSE(
        Created(Create("FTP", "<tds:StorageUri>ftp://f/" + std::to_string(i) + "</tds:StorageUri>"))
            .empty());
  }
  EXPECT_EQ(soap_.FaultOf(Create("FTP", "<tds:StorageUri>ftp://f/9</tds:StorageUri>")),
            "MaxStorageConfigurations");
  EXPECT_EQ(storage_.List().size(), static_cast<size_t>(device::StorageConfigurations::kMax));
}

TEST_F(StorageConfigurationTest, WithoutTheStoreTheFeatureIsAbsent) {
  device_.storage = nullptr;
  EXPECT_EQ(soap_.FaultOf("<tds:GetStorageConfigurations/>"), "ActionNotSupported");
  EXPECT_EQ(soap_.FaultOf(Create("NFS", "<tds:StorageUri>nfs://n/e</tds:StorageUri>")),
            "ActionNotSupported");
  EXPECT_NE(soap_.Ok("<tds:GetServiceCapabilities/>").find("StorageConfiguration=\"false\""),
            std::string::npos);
}

TEST(StorageConfigurationsTest, KeptAcrossARestartWithTheCredentialsSealed) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("onvifgw-storage-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto box = security::SecretBox::FromKey(std::string(security::SecretBox::kKeyBytes, 'k'));
  ASSERT_TRUE(box.has_value());
  onvif::tds::StorageConfigurationData data;
  data.set_type("CIFS");
  data.set_storageuri("smb://nas/cams");
  data.mutable_user()->set_username("rec");
  data.mutable_user()->set_password("s3cret-pass");
  std::string token;
  {
    auto store = store::StateStore::Open(dir.string());
    ASSERT_TRUE(store.has_value()) << store.error();
    device::StorageConfigurations storage("front", store->get(), &*box);
    ASSERT_TRUE(storage.Load().ok());
    auto created = storage.Create(data);
    ASSERT_TRUE(created.has_value());
    token = *created;
    auto row = (*store)->Setting("front", "storage");
    ASSERT_TRUE(row.has_value() && row->has_value());
    EXPECT_EQ((**row).find("s3cret-pass"), std::string::npos) << "stored in clear";
  }
  auto store = store::StateStore::Open(dir.string());
  ASSERT_TRUE(store.has_value());
  device::StorageConfigurations storage("front", store->get(), &*box);
  ASSERT_TRUE(storage.Load().ok());
  ASSERT_EQ(storage.List().size(), 1u);
  EXPECT_EQ(storage.List()[0].data().storageuri(), "smb://nas/cams");
  EXPECT_EQ(storage.CredentialsOf(token).password, "s3cret-pass");
  // Another device's id cannot open them (the seal is bound to the device).
  device::StorageConfigurations other("back", store->get(), &*box);
  EXPECT_TRUE(other.Load().ok());
  EXPECT_TRUE(other.List().empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onvifgw::services
