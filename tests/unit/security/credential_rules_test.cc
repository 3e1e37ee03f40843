#include "security/credential_rules.h"

#include <gtest/gtest.h>

namespace onvifgw::security {
namespace {

TEST(CredentialRules, Usernames) {
  EXPECT_FALSE(ValidateUsername("admin"));
  EXPECT_FALSE(ValidateUsername("a"));
  EXPECT_FALSE(ValidateUsername("first.last-2_x@site"));
  EXPECT_FALSE(ValidateUsername(std::string(32, 'u')));
  EXPECT_EQ(ValidateUsername(""), CredentialError::kUsernameTooShort);
  EXPECT_EQ(ValidateUsername(std::string(33, 'u')), CredentialError::kUsernameTooLong);
  for (const char* bad : {"with space", "a:b", "tab\t", "quote\"", "caf\xc3\xa9", "a/b", "a\\b"}) {
    EXPECT_EQ(ValidateUsername(bad), CredentialError::kUsernameInvalidCharacters) << bad;
  }
  CredentialLimits strict;
  strict.min_username = 3;
  EXPECT_EQ(ValidateUsername("ab", strict), CredentialError::kUsernameTooShort);
}

TEST(CredentialRules, PasswordLengthAndCharacters) {
  const PasswordComplexityConfiguration none;
  EXPECT_FALSE(ValidatePassword("x", "u", none));
  EXPECT_FALSE(ValidatePassword(std::string(64, 'p'), "u", none));
  EXPECT_FALSE(ValidatePassword("NjeB/mYMj/segwUl8DmdJD29Q+s=", "u", none));  // 28-byte derived
  EXPECT_FALSE(ValidatePassword("pass with spaces:and colons", "u", none));
  EXPECT_FALSE(ValidatePassword("p\xc3\xa4ssw\xc3\xb6rd", "u", none));
  EXPECT_EQ(ValidatePassword("", "u", none), CredentialError::kPasswordTooWeak);
  EXPECT_EQ(ValidatePassword(std::string(65, 'p'), "u", none), CredentialError::kPasswordTooLong);
  for (const std::string& bad :
       {std::string("a\nb"), std::string("a\0b", 3), std::string("\x7f"), std::string("\xc3"),
        std::string("\xc0\xaf"), std::string("\xed\xa0\x80"), std::string("\xff")}) {
    EXPECT_EQ(ValidatePassword(bad, "u", none), CredentialError::kPasswordInvalidCharacters);
  }
}

TEST(CredentialRules, Complexity) {
  PasswordComplexityConfiguration c;
  c.min_len = 8;
  c.uppercase = 1;
  c.number = 2;
  c.special_chars = 1;
  EXPECT_FALSE(ValidatePassword("Abcdef12!", "u", c));
  EXPECT_FALSE(ValidatePassword("NjeB/mYMj/segwUl8DmdJD29Q+s=", "u", c));
  EXPECT_EQ(ValidatePassword("Abc12!", "u", c), CredentialError::kPasswordTooWeak);     // short
  EXPECT_EQ(ValidatePassword("abcdef12!", "u", c), CredentialError::kPasswordTooWeak);  // upper
  EXPECT_EQ(ValidatePassword("Abcdefg1!", "u", c), CredentialError::kPasswordTooWeak);  // digits
  EXPECT_EQ(ValidatePassword("Abcdef123", "u", c), CredentialError::kPasswordTooWeak);  // special
  // Non-ASCII counts as special and MinLen counts characters, not bytes.
  PasswordComplexityConfiguration len;
  len.min_len = 4;
  len.special_chars = 1;
  EXPECT_FALSE(ValidatePassword("ab\xc3\xa4x", "u", len));
  EXPECT_EQ(ValidatePassword("\xc3\xa4\xc3\xa4", "u", len), CredentialError::kPasswordTooWeak);

  PasswordComplexityConfiguration block;
  block.block_username_occurrence = true;
  EXPECT_EQ(ValidatePassword("xxAdMiNxx", "admin", block), CredentialError::kPasswordTooWeak);
  EXPECT_FALSE(ValidatePassword("xxAdMiNxx", "root", block));
}

TEST(CredentialRules, OnvifFaults) {
  auto f = OnvifFaultFor(CredentialError::kPasswordTooWeak, UserOperation::kCreateUsers);
  EXPECT_EQ(f.generic, "OperationProhibited");
  EXPECT_EQ(f.specific, "Password");
  EXPECT_EQ(OnvifFaultFor(CredentialError::kPasswordTooWeak, UserOperation::kSetUser).specific,
            "PasswordTooWeak");
  EXPECT_EQ(OnvifFaultFor(CredentialError::kUsernameTooShort, UserOperation::kCreateUsers).specific,
            "UsernameTooShort");
  EXPECT_EQ(OnvifFaultFor(CredentialError::kUsernameTooLong, UserOperation::kCreateUsers).specific,
            "UsernameTooLong");
  EXPECT_EQ(OnvifFaultFor(CredentialError::kPasswordTooLong, UserOperation::kSetUser).specific,
            "PasswordTooLong");
  auto inval = OnvifFaultFor(CredentialError::kUsernameInvalidCharacters, UserOperation::kSetUser);
  EXPECT_EQ(inval.generic, "InvalidArgVal");
  EXPECT_TRUE(inval.specific.empty());
  EXPECT_FALSE(Describe(CredentialError::kPasswordTooWeak).empty());
}

TEST(CredentialRules, ComplexityConfiguration) {
  EXPECT_FALSE(ValidateComplexityConfiguration({}));
  EXPECT_FALSE(ValidateComplexityConfiguration({28, 2, 2, 2, true, false}));
  EXPECT_TRUE(ValidateComplexityConfiguration({-1, 0, 0, 0, false, false}));
  EXPECT_TRUE(ValidateComplexityConfiguration({65, 0, 0, 0, false, false}));
  EXPECT_TRUE(ValidateComplexityConfiguration({8, 30, 30, 30, false, false}));
}

}  // namespace
}  // namespace onvifgw::security
