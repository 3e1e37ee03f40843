#include "security/password_derivation.h"

#include <gtest/gtest.h>

#include "security/credential_rules.h"

namespace onvifgw::security {
namespace {

// FACTS §2.5 (Core v2.4.1 §5.12.2.1 formula, recomputed).
TEST(PasswordDerivation, KnownAnswer) {
  EXPECT_EQ(DerivePassword("user", "VRxuNzpqrX", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"),
            "NjeB/mYMj/segwUl8DmdJD29Q+s=");
}

TEST(PasswordDerivation, ResultIs28BytesAndAcceptedAsPassword) {
  const std::string derived =
      DerivePassword("admin", "secret", "urn:uuid:00000000-0000-0000-0000-000000000001");
  EXPECT_EQ(derived.size(), kDerivedPasswordLength);
  EXPECT_FALSE(ValidatePassword(derived, "admin", {}));
  EXPECT_FALSE(ValidatePassword("NjeB/mYMj/segwUl8DmdJD29Q+s=", "user", {}));
}

TEST(PasswordDerivation, DependsOnEveryInput) {
  const std::string a = DerivePassword("u", "p", "urn:uuid:1");
  EXPECT_NE(a, DerivePassword("u", "q", "urn:uuid:1"));
  EXPECT_NE(a, DerivePassword("v", "p", "urn:uuid:1"));
  EXPECT_NE(a, DerivePassword("u", "p", "urn:uuid:2"));
}

}  // namespace
}  // namespace onvifgw::security
