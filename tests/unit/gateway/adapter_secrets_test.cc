// Sealed values in adapter config sections: sealed by `onvif-gateway seal`,
// opened for the adapter, refused with their path when they cannot be.

#include "adapters/adapter_secrets.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

namespace onvifgw::adapters {
namespace {

security::SecretBox Box(char fill) {
  return std::move(security::SecretBox::FromKey(std::string(32, fill))).value();
}

TEST(AdapterSecrets, ASealedPasswordOpensForTheAdapterAndNothingElseChanges) {
  const security::SecretBox box = Box('k');
  auto sealed = SealAdapterSecret(box, "p@ss: w\"rd");
  ASSERT_TRUE(sealed.has_value()) << sealed.error();
  EXPECT_TRUE(sealed->starts_with("sealed:"));
  EXPECT_EQ(sealed->find("p@ss"), std::string::npos);
  // Sealing twice gives two different texts (a fresh IV each time).
  EXPECT_NE(*sealed, *SealAdapterSecret(box, "p@ss: w\"rd"));

  const std::string section = "cameras:\n  - id: a\n    user: root\n    password: " + *sealed +
                              "\n    port: 8000\n  - id: b\n    password: clear\n";
  auto opened = OpenAdapterSecrets(box, section);
  ASSERT_TRUE(opened.has_value()) << opened.error();
  const YAML::Node root = YAML::Load(*opened);
  EXPECT_EQ(root["cameras"][0]["password"].as<std::string>(), "p@ss: w\"rd");
  EXPECT_EQ(root["cameras"][0]["user"].as<std::string>(), "root");
  EXPECT_EQ(root["cameras"][0]["port"].as<int>(), 8000);
  EXPECT_EQ(root["cameras"][1]["password"].as<std::string>(), "clear");

  // Nothing sealed: the section as it was, byte for byte.
  const std::string plain = "cameras:\n  - id: b\n    password: clear\n";
  EXPECT_EQ(*OpenAdapterSecrets(box, plain), plain);
}

TEST(AdapterSecrets, AValueThatCannotBeOpenedIsRefusedWithItsPath) {
  const std::string sealed = *SealAdapterSecret(Box('k'), "secret");
  auto other_key = OpenAdapterSecrets(Box('x'), "cameras:\n  - password: " + sealed + "\n");
  ASSERT_FALSE(other_key.has_value());
  EXPECT_TRUE(
      other_key.error().starts_with("cameras[0].password: the sealed value cannot be "
                                    "opened"))
      << other_key.error();
  EXPECT_NE(other_key.error().find("another state directory's key"), std::string::npos);

  auto garbage = OpenAdapterSecrets(Box('k'), "token: sealed:***\n");
  ASSERT_FALSE(garbage.has_value());
  EXPECT_EQ(garbage.error(), "token: the sealed value is not Base64");

  // A sealed value with one byte changed does not open.
  std::string tampered = sealed;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(OpenAdapterSecrets(Box('k'), "password: " + tampered + "\n").has_value());
}

TEST(AdapterSecrets, ClearTextSecretsAreFoundByTheirKeys) {
  const std::string sealed = *SealAdapterSecret(Box('k'), "secret");
  const std::string section =
      "cameras:\n"
      "  - id: a\n"
      "    password: clear\n"
      "    user: root\n"
      "  - id: b\n"
      "    password: " +
      sealed +
      "\n"
      "    admin_password: also-clear\n"
      "    password_hint: ''\n"
      "lines:\n"
      "  - device: /dev/ttyUSB0\n"
      "api_token: t\n";
  EXPECT_EQ(
      ClearTextSecretPaths(section),
      (std::vector<std::string>{"cameras[0].password", "cameras[1].admin_password", "api_token"}));
}

}  // namespace
}  // namespace onvifgw::adapters
