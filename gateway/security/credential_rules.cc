#include "security/credential_rules.h"

#include <algorithm>
#include <cstdint>

namespace onvifgw::security {
namespace {

bool IsAsciiAlnum(std::uint32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool IsUsernameChar(char c) {
  return IsAsciiAlnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
         c == '@';
}

// Decodes the next UTF-8 code point; nullopt on invalid, overlong or
// surrogate sequences.
std::optional<std::uint32_t> NextCodePoint(std::string_view s, std::size_t& pos) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  int extra = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if (b0 < 0x80) {
    ++pos;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    extra = 1, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3, cp = b0 & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (pos + static_cast<std::size_t>(extra) >= s.size()) return std::nullopt;
  for (int i = 1; i <= extra; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + static_cast<std::size_t>(i)]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  pos += static_cast<std::size_t>(extra) + 1;
  return cp;
}

bool ContainsIgnoringAsciiCase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return false;
  const auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [&](char a, char b) { return lower(a) == lower(b); }) != haystack.end();
}

}  // namespace

CredentialFault OnvifFaultFor(CredentialError error, UserOperation operation) {
  switch (error) {
    case CredentialError::kUsernameTooShort:
      return {"OperationProhibited", "UsernameTooShort"};
    case CredentialError::kUsernameTooLong:
      return {"OperationProhibited", "UsernameTooLong"};
    case CredentialError::kPasswordTooLong:
      return {"OperationProhibited", "PasswordTooLong"};
    case CredentialError::kPasswordTooWeak:
      return {"OperationProhibited",
              operation == UserOperation::kCreateUsers ? "Password" : "PasswordTooWeak"};
    case CredentialError::kUsernameInvalidCharacters:
    case CredentialError::kPasswordInvalidCharacters:
      return {"InvalidArgVal", ""};
  }
  return {"InvalidArgVal", ""};
}

std::string_view Describe(CredentialError error) {
  switch (error) {
    case CredentialError::kUsernameTooShort:
      return "The username is too short";
    case CredentialError::kUsernameTooLong:
      return "The username is too long";
    case CredentialError::kUsernameInvalidCharacters:
      return "The username may only contain A-Z, a-z, 0-9, '.', '_', '-' and '@'";
    case CredentialError::kPasswordTooLong:
      return "The password is too long";
    case CredentialError::kPasswordTooWeak:
      return "Too weak password";
    case CredentialError::kPasswordInvalidCharacters:
      return "The password must be UTF-8 text without control characters";
  }
  return "Invalid credentials";
}

std::optional<CredentialError> ValidateUsername(std::string_view username,
                                                const CredentialLimits& limits) {
  if (username.size() < limits.min_username) return CredentialError::kUsernameTooShort;
  if (username.size() > limits.max_username) return CredentialError::kUsernameTooLong;
  if (!std::all_of(username.begin(), username.end(), IsUsernameChar)) {
    return CredentialError::kUsernameInvalidCharacters;
  }
  return std::nullopt;
}

std::optional<CredentialError> ValidatePassword(std::string_view password,
                                                std::string_view username,
                                                const PasswordComplexityConfiguration& complexity,
                                                const CredentialLimits& limits) {
  if (password.size() > limits.max_password) return CredentialError::kPasswordTooLong;
  int chars = 0, upper = 0, digits = 0, special = 0;
  for (std::size_t pos = 0; pos < password.size();) {
    const std::optional<std::uint32_t> cp = NextCodePoint(password, pos);
    if (!cp || *cp < 0x20 || *cp == 0x7F) return CredentialError::kPasswordInvalidCharacters;
    ++chars;
    if (*cp >= 'A' && *cp <= 'Z') ++upper;
    if (*cp >= '0' && *cp <= '9') ++digits;
    if (!IsAsciiAlnum(*cp)) ++special;
  }
  if (password.size() < limits.min_password) return CredentialError::kPasswordTooWeak;
  if (chars < complexity.min_len || upper < complexity.uppercase || digits < complexity.number ||
      special < complexity.special_chars) {
    return CredentialError::kPasswordTooWeak;
  }
  if (complexity.block_username_occurrence && ContainsIgnoringAsciiCase(password, username)) {
    return CredentialError::kPasswordTooWeak;
  }
  return std::nullopt;
}

std::optional<std::string> ValidateComplexityConfiguration(const PasswordComplexityConfiguration& c,
                                                           const CredentialLimits& limits) {
  const long max = static_cast<long>(limits.max_password);
  for (int v : {c.min_len, c.uppercase, c.number, c.special_chars}) {
    if (v < 0 || v > max) {
      return "each password complexity value must be between 0 and " + std::to_string(max);
    }
  }
  if (static_cast<long>(c.uppercase) + c.number + c.special_chars > max) {
    return "the required character counts exceed the maximum password length of " +
           std::to_string(max);
  }
  return std::nullopt;
}

}  // namespace onvifgw::security
