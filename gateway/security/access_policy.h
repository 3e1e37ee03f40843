#pragma once
// User levels (Core §5.9.4.2) and the access policy that maps levels to
// access classes (Core §5.9.4.3-5.9.4.4), with the text format carried by
// GetAccessPolicy/SetAccessPolicy (Core §8.4.1-8.4.2 leave it to the vendor;
// the SOAP message holds it base64-encoded in tt:BinaryData).
//
// Policy text format, version 1
// -----------------------------
//   onvif-access-policy 1
//   # comment lines and blank lines are ignored
//   Administrator: PRE_AUTH READ_SYSTEM READ_SYSTEM_SENSITIVE ...
//   Operator: PRE_AUTH READ_SYSTEM ...
//   User: PRE_AUTH READ_SYSTEM READ_MEDIA
//   Anonymous: PRE_AUTH
//   Extended:
//
//  * UTF-8 (in practice ASCII), lines end with LF or CRLF, the last line
//    may lack its newline; at most 64 KiB.
//  * The first line is exactly `onvif-access-policy 1` (after an optional
//    UTF-8 byte order mark). Blank lines and lines whose first non-blank
//    character is '#' are ignored anywhere after it.
//  * Every other line is `<Level>:` followed by zero or more access class
//    names separated by spaces or tabs. Levels: Administrator, Operator,
//    User, Anonymous, Extended. Classes: PRE_AUTH, READ_SYSTEM,
//    READ_SYSTEM_SENSITIVE, READ_SYSTEM_SECRET, WRITE_SYSTEM, UNRECOVERABLE,
//    READ_MEDIA, ACTUATE. Names are case-sensitive, as in the spec.
//  * Refused, with an error naming the line number: a missing or different
//    header, an unknown level or class, a level listed twice, a class listed
//    twice on one line, a line without ':', and a policy in which
//    Administrator lacks WRITE_SYSTEM (the device could never be managed
//    again).
//  * A level without a line has no access class except PRE_AUTH.
//  * PRE_AUTH is implied for every level, Anonymous included: it means "no
//    authentication required", so it cannot be taken away. Serialize always
//    writes it.
//  * Extended users get only what the Extended line lists (default: only
//    PRE_AUTH); their roles are outside this policy.
//  * Serialize writes the header and all five levels in the order above,
//    classes in the order above, LF line endings; Parse(Serialize(p)) == p.
//
// AccessPolicy is a value type: copies are independent; const methods are
// thread-safe.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.h"
#include "security/access_class.h"

namespace onvifgw::security {

enum class UserLevel { kAdministrator, kOperator, kUser, kAnonymous, kExtended };

/// "Administrator", "Operator", "User", "Anonymous", "Extended" (tt:UserLevel).
std::string_view UserLevelName(UserLevel level);
/// Exact (case-sensitive) inverse of UserLevelName.
std::optional<UserLevel> ParseUserLevel(std::string_view name);
/// Exact inverse of AccessClassName ("PRE_AUTH", ...).
std::optional<AccessClass> ParseAccessClass(std::string_view name);

class AccessPolicy {
 public:
  /// The Core §5.9.4.3 default table (FACTS §1.3).
  static AccessPolicy Default();
  /// Only PRE_AUTH for everyone (a starting point for building a policy).
  AccessPolicy() = default;

  bool Allows(UserLevel level, AccessClass access_class) const;
  /// Grants or revokes; revoking PRE_AUTH has no effect.
  void Set(UserLevel level, AccessClass access_class, bool allowed);

  std::string Serialize() const;
  static Expected<AccessPolicy, std::string> Parse(std::string_view text);

  bool operator==(const AccessPolicy&) const = default;

 private:
  static constexpr std::size_t kLevels = 5;
  std::array<std::uint32_t, kLevels> grants_{};  // bit i = AccessClass(i)
};

}  // namespace onvifgw::security
