#pragma once
// User name and password rules for CreateUsers/SetUser (Core §8.4.4, §8.4.6)
// and the password complexity configuration (Core §8.5.1-8.5.3).
//
// What is accepted, exactly:
//  * User name: 1 to 32 characters, each one of A-Z a-z 0-9 '.' '_' '-' '@'.
//    No spaces, no ':' (HTTP Basic splits user:password at the first ':'
//    and Digest quotes the name), no non-ASCII (the same name must work in
//    HTTP Digest, UsernameToken and RTSP).
//  * Password: 1 to 64 bytes of valid UTF-8 without control characters
//    (U+0000-U+001F, U+007F). 64 covers the 28-byte derived password (Core
//    recommends supporting at least 28 bytes) and the base64 characters
//    '+', '/', '='. An empty password is "too weak" (Core §8.4.6 wording).
//  * Complexity (when configured): at least MinLen characters (code points),
//    Uppercase ASCII capitals A-Z, Number ASCII digits, SpecialChars
//    characters that are not ASCII letters or digits (so '+', '/', '=', '!'
//    and any non-ASCII letter count); BlockUsernameOccurrence refuses a
//    password that contains the user name, ignoring ASCII case.
//
// Pure functions; thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace onvifgw::security {

struct CredentialLimits {
  std::size_t min_username = 1;
  std::size_t max_username = 32;
  std::size_t min_password = 1;
  std::size_t max_password = 64;  ///< bytes; must stay >= 28
};

/// ONVIF PasswordComplexityConfiguration (tds:SetPasswordComplexityConfiguration).
struct PasswordComplexityConfiguration {
  int min_len = 0;
  int uppercase = 0;
  int number = 0;
  int special_chars = 0;
  bool block_username_occurrence = false;
  /// Refuses further changes of the configuration itself; not a password check.
  bool policy_configuration_locked = false;
};

enum class CredentialError {
  kUsernameTooShort,
  kUsernameTooLong,
  kUsernameInvalidCharacters,
  kPasswordTooLong,
  kPasswordTooWeak,  ///< too short for the policy or missing character classes
  kPasswordInvalidCharacters,
};

/// Which operation's fault vocabulary to use.
enum class UserOperation { kCreateUsers, kSetUser };

/// The ONVIF fault for a credential error: env:Sender / `generic` /
/// `specific`. Length and weakness problems map to OperationProhibited with
/// UsernameTooShort, UsernameTooLong, PasswordTooLong, and for a weak password
/// "Password" under CreateUsers (sic, Core §8.4.4) or "PasswordTooWeak" under
/// SetUser. Invalid characters have no ONVIF subcode: InvalidArgVal, no
/// specific subcode (empty).
struct CredentialFault {
  std::string_view generic;
  std::string_view specific;
};
CredentialFault OnvifFaultFor(CredentialError error, UserOperation operation);

/// A short English explanation (no secrets), for the fault Reason.
std::string_view Describe(CredentialError error);

std::optional<CredentialError> ValidateUsername(std::string_view username,
                                                const CredentialLimits& limits = {});

/// Checks length and characters, then the complexity rules. `username` is
/// used for BlockUsernameOccurrence.
std::optional<CredentialError> ValidatePassword(std::string_view password,
                                                std::string_view username,
                                                const PasswordComplexityConfiguration& complexity,
                                                const CredentialLimits& limits = {});

/// Whether a complexity configuration is acceptable for SetPassword-
/// ComplexityConfiguration: every number in 0..max_password and the required
/// classes together no longer than max_password. Returns an explanation on
/// refusal (InvalidArgVal).
std::optional<std::string> ValidateComplexityConfiguration(
    const PasswordComplexityConfiguration& complexity, const CredentialLimits& limits = {});

}  // namespace onvifgw::security
