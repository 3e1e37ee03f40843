// IEEE 802.1X configurations (devicemgmt.wsdl) as a client creates, reads,
// changes and deletes them: the password never returned and sealed at rest,
// kept when a client writes back what it read, the faults changing nothing,
// the capabilities, and persistence across a restart.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "security/secret_box.h"
#include "services/device/dot1x_configurations.h"
#include "soap_test_client.h"
#include "store/state_store.h"

namespace onvifgw::services {
namespace {

std::string Configuration(const std::string& token, const std::string& identity, int method,
                          const std::string& rest) {
  return "<tds:Dot1XConfiguration><tt:Dot1XConfigurationToken>" + token +
         "</tt:Dot1XConfigurationToken><tt:Identity>" + identity + "</tt:Identity><tt:EAPMethod>" +
         std::to_string(method) + "</tt:EAPMethod>" + rest + "</tds:Dot1XConfiguration>";
}
std::string Password(const std::string& p) {
  return "<tt:EAPMethodConfiguration><tt:Password>" + p +
         "</tt:Password></tt:EAPMethodConfiguration>";
}
std::string Create(const std::string& configuration) {
  return "<tds:CreateDot1XConfiguration>" + configuration + "</tds:CreateDot1XConfiguration>";
}
std::string Set(const std::string& configuration) {
  return "<tds:SetDot1XConfiguration>" + configuration + "</tds:SetDot1XConfiguration>";
}
std::string Get(const std::string& token) {
  return "<tds:GetDot1XConfiguration><tds:Dot1XConfigurationToken>" + token +
         "</tds:Dot1XConfigurationToken></tds:GetDot1XConfiguration>";
}
std::string Delete(const std::vector<std::string>& tokens) {
  std::string body = "<tds:DeleteDot1XConfiguration>";
  for (const auto& t : tokens) {
    body += "<tds:Dot1XConfigurationToken>" + t + "</tds:Dot1XConfigurationToken>";
  }
  return body + "</tds:DeleteDot1XConfiguration>";
}

class Dot1XTest : public ::testing::Test {
 protected:
  Dot1XTest() : dot1x_("front", nullptr, nullptr) {
    device_.config.id = "front";
    device_.identity = onvifgw::testing::TestDeviceIdentity();
    device_.dot1x = &dot1x_;
  }
  device::Dot1XConfigurations dot1x_;
  VirtualDevice device_;
  onvifgw::testing::SoapTestClient soap_{device_};
};

TEST_F(Dot1XTest, CreatedReadChangedAndDeletedWithoutShowingThePassword) {
  EXPECT_EQ(soap_.Ok("<tds:GetDot1XConfigurations/>").find("<tds:Dot1XConfiguration>"),
            std::string::npos);
  soap_.Ok(Create(
      Configuration("wired", "camera-7", 25,
                    "<tt:AnonymousID>anonymous</tt:AnonymousID>" + Password("p3ap-Secret"))));
  soap_.Ok(Create(Configuration("lab", "lab-cam", 4, Password("md5-Secret"))));
  std::string r = soap_.Ok("<tds:GetDot1XConfigurations/>");
  EXPECT_NE(r.find("<tt:Dot1XConfigurationToken>wired</tt:Dot1XConfigurationToken><tt:Identity>"
                   "camera-7</tt:Identity><tt:AnonymousID>anonymous</tt:AnonymousID><tt:EAPMethod>"
                   "25</tt:EAPMethod>"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("<tt:Dot1XConfigurationToken>lab<"), std::string::npos) << r;
  for (const char* secret : {"p3ap-Secret", "md5-Secret", "Password"}) {
    EXPECT_EQ(r.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(dot1x_.PasswordOf("wired"), "p3ap-Secret");

  // Written back as read (no password), same identity: the password stays.
  r = soap_.Ok(Get("wired"));
  EXPECT_EQ(r.find("Password"), std::string::npos) << r;
  soap_.Ok(Set(Configuration("wired", "camera-7", 21, "")));
  EXPECT_EQ(dot1x_.PasswordOf("wired"), "p3ap-Secret");
  EXPECT_NE(soap_.Ok(Get("wired")).find("<tt:EAPMethod>21</tt:EAPMethod>"), std::string::npos);
  // A new identity brings its own password.
  soap_.Ok(Set(Configuration("wired", "camera-8", 21, Password("n3w-Secret"))));
  EXPECT_EQ(dot1x_.PasswordOf("wired"), "n3w-Secret");

  soap_.Ok(Delete({"wired", "lab"}));
  EXPECT_EQ(soap_.FaultOf(Get("wired")), "NoConfig");
  EXPECT_TRUE(dot1x_.List().empty());

  const std::string caps = soap_.Ok("<tds:GetServiceCapabilities/>");
  EXPECT_NE(caps.find("Dot1XConfigurations=\"4\""), std::string::npos) << caps;
  EXPECT_NE(caps.find(" Dot1X=\"true\""), std::string::npos) << caps;
  EXPECT_NE(caps.find("SupportedEAPMethods=\"4 21 25\""), std::string::npos) << caps;
  const std::string legacy =
      soap_.Ok("<tds:GetCapabilities><tds:Category>Device</tds:Category></tds:GetCapabilities>");
  EXPECT_NE(
      legacy.find("<tt:Dot1X>true</tt:Dot1X><tt:SupportedEAPMethod>4</tt:SupportedEAPMethod>"),
      std::string::npos)
      << legacy;
}

TEST_F(Dot1XTest, BadRequestsGiveTheirFaultsAndChangeNothing) {
  soap_.Ok(Create(Configuration("wired", "camera-7", 25, Password("p3ap-Secret"))));
  const std::string before = soap_.Ok("<tds:GetDot1XConfigurations/>");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Create(Configuration("wired", "other", 25, Password("x"))), "ReferenceToken"},
      {Create(Configuration("tls", "camera-7", 13, Password("x"))), "InvalidArgVal"},
      {Create(Configuration("bad", "camera-7", 99, Password("x"))), "InvalidArgVal"},
      {Create(Configuration("bad", "", 25, Password("x"))), "InvalidArgVal"},
      {Create(Configuration("bad", "camera-7", 25, "")), "InvalidArgVal"},
      {Create(Configuration("bad", "camera-7", 25,
                            "<tt:CACertificateID>ca-1</tt:CACertificateID>" + Password("x"))),
       "CertificateID"},
      {Get("nowhere"), "NoConfig"},
      {Set(Configuration("nowhere", "camera-7", 25, Password("x"))), "NoConfig"},
      // Another identity without its password.
      {Set(Configuration("wired", "camera-9", 25, "")), "InvalidArgVal"},
      // All or none.
      {Delete({"wired", "nowhere"}), "NoConfig"},
  };
  for (const auto& [body, fault] : cases) {
    EXPECT_EQ(soap_.FaultOf(body), fault) << body;
    EXPECT_EQ(soap_.Ok("<tds:GetDot1XConfigurations/>"), before) << body;
  }
  EXPECT_EQ(dot1x_.PasswordOf("wired"), "p3ap-Secret");
  for (int i = 1; i < device::Dot1XConfigurations::kMax; ++i) {
    soap_.Ok(Create(Configuration("c" + std::to_string(i), "id", 4, Password("x"))));
  }
  EXPECT_EQ(soap_.FaultOf(Create(Configuration("one-more", "id", 4, Password("x")))), "MaxDot1X");
  EXPECT_EQ(dot1x_.List().size(), static_cast<size_t>(device::Dot1XConfigurations::kMax));
}

TEST_F(Dot1XTest, WithoutTheStoreTheFeatureIsAbsent) {
  device_.dot1x = nullptr;
  EXPECT_EQ(soap_.FaultOf("<tds:GetDot1XConfigurations/>"), "ActionNotSupported");
  EXPECT_EQ(soap_.FaultOf(Create(Configuration("wired", "camera-7", 25, Password("x")))),
            "ActionNotSupported");
  const std::string caps = soap_.Ok("<tds:GetServiceCapabilities/>");
  EXPECT_NE(caps.find(" Dot1X=\"false\""), std::string::npos) << caps;
  EXPECT_EQ(caps.find("Dot1XConfigurations="), std::string::npos) << caps;
}

TEST(Dot1XConfigurationsTest, KeptAcrossARestartWithThePasswordSealed) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("onvifgw-dot1x-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto box = security::SecretBox::FromKey(std::string(security::SecretBox::kKeyBytes, 'k'));
  ASSERT_TRUE(box.has_value());
  onvif::tt::Dot1XConfiguration c;
  c.set_dot1xconfigurationtoken("wired");
  c.set_identity("camera-7");
  c.set_eapmethod(25);
  c.mutable_eapmethodconfiguration()->set_password("p3ap-Secret");
  {
    auto store = store::StateStore::Open(dir.string());
    ASSERT_TRUE(store.has_value()) << store.error();
    device::Dot1XConfigurations dot1x("front", store->get(), &*box);
    ASSERT_TRUE(dot1x.Load().ok());
    ASSERT_TRUE(dot1x.Create(c).ok());
    auto row = (*store)->Setting("front", "dot1x");
    ASSERT_TRUE(row.has_value() && row->has_value());
    EXPECT_EQ((**row).find("p3ap-Secret"), std::string::npos) << "stored in clear";
  }
  auto store = store::StateStore::Open(dir.string());
  ASSERT_TRUE(store.has_value());
  device::Dot1XConfigurations dot1x("front", store->get(), &*box);
  ASSERT_TRUE(dot1x.Load().ok());
  ASSERT_EQ(dot1x.List().size(), 1u);
  EXPECT_EQ(dot1x.List()[0].identity(), "camera-7");
  EXPECT_FALSE(dot1x.List()[0].eapmethodconfiguration().has_password());
  EXPECT_EQ(dot1x.PasswordOf("wired"), "p3ap-Secret");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onvifgw::services
