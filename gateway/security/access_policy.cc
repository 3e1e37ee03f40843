#include "security/access_policy.h"

#include <array>

namespace onvifgw::security {
namespace {

constexpr std::array kAllLevels = {UserLevel::kAdministrator, UserLevel::kOperator,
                                   UserLevel::kUser, UserLevel::kAnonymous, UserLevel::kExtended};
constexpr std::array kAllClasses = {
    AccessClass::kPreAuth,          AccessClass::kReadSystem,  AccessClass::kReadSystemSensitive,
    AccessClass::kReadSystemSecret, AccessClass::kWriteSystem, AccessClass::kUnrecoverable,
    AccessClass::kReadMedia,        AccessClass::kActuate};

constexpr std::string_view kHeader = "onvif-access-policy 1";
constexpr std::size_t kMaxPolicyBytes = 64 * 1024;

std::uint32_t Bit(AccessClass c) { return std::uint32_t{1} << static_cast<unsigned>(c); }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view UserLevelName(UserLevel level) {
  switch (level) {
    case UserLevel::kAdministrator:
      return "Administrator";
    case UserLevel::kOperator:
      return "Operator";
    case UserLevel::kUser:
      return "User";
    case UserLevel::kAnonymous:
      return "Anonymous";
    case UserLevel::kExtended:
      return "Extended";
  }
  return "?";
}

std::optional<UserLevel> ParseUserLevel(std::string_view name) {
  for (UserLevel l : kAllLevels) {
    if (UserLevelName(l) == name) return l;
  }
  return std::nullopt;
}

std::optional<AccessClass> ParseAccessClass(std::string_view name) {
  for (AccessClass c : kAllClasses) {
    if (AccessClassName(c) == name) return c;
  }
  return std::nullopt;
}

AccessPolicy AccessPolicy::Default() {
  AccessPolicy p;
  using C = AccessClass;
  for (C c : kAllClasses) p.Set(UserLevel::kAdministrator, c, true);
  for (C c : {C::kReadSystem, C::kReadSystemSensitive, C::kReadMedia, C::kActuate}) {
    p.Set(UserLevel::kOperator, c, true);
  }
  for (C c : {C::kReadSystem, C::kReadMedia}) p.Set(UserLevel::kUser, c, true);
  return p;  // Anonymous and Extended: PRE_AUTH only (implied)
}

bool AccessPolicy::Allows(UserLevel level, AccessClass access_class) const {
  if (access_class == AccessClass::kPreAuth) return true;
  return (grants_[static_cast<std::size_t>(level)] & Bit(access_class)) != 0;
}

void AccessPolicy::Set(UserLevel level, AccessClass access_class, bool allowed) {
  if (access_class == AccessClass::kPreAuth) return;  // implied, stored as 0
  std::uint32_t& g = grants_[static_cast<std::size_t>(level)];
  g = allowed ? (g | Bit(access_class)) : (g & ~Bit(access_class));
}

std::string AccessPolicy::Serialize() const {
  std::string out(kHeader);
  out += '\n';
  for (UserLevel l : kAllLevels) {
    out += UserLevelName(l);
    out += ':';
    for (AccessClass c : kAllClasses) {
      if (Allows(l, c)) {
        out += ' ';
        out += AccessClassName(c);
      }
    }
    out += '\n';
  }
  return out;
}

Expected<AccessPolicy, std::string> AccessPolicy::Parse(std::string_view text) {
  if (text.size() > kMaxPolicyBytes) {
    return MakeUnexpected(std::string("policy larger than 64 KiB"));
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  AccessPolicy policy;
  std::array<bool, kLevels> seen{};
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    const std::string where = "line " + std::to_string(line_no) + ": ";
    if (line_no == 1) {
      if (line != kHeader) {
        return MakeUnexpected(where + "expected the header '" + std::string(kHeader) + "'");
      }
      continue;
    }
    line = TrimBlanks(line);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return MakeUnexpected(where + "expected '<Level>:'");
    const std::string_view level_name = TrimBlanks(line.substr(0, colon));
    const std::optional<UserLevel> level = ParseUserLevel(level_name);
    if (!level) {
      return MakeUnexpected(where + "unknown user level '" + std::string(level_name) + "'");
    }
    const auto index = static_cast<std::size_t>(*level);
    if (seen[index]) {
      return MakeUnexpected(where + "user level '" + std::string(level_name) + "' listed twice");
    }
    seen[index] = true;
    std::string_view rest = line.substr(colon + 1);
    std::uint32_t listed = 0;
    while (true) {
      rest = TrimBlanks(rest);
      if (rest.empty()) break;
      const std::size_t end = rest.find_first_of(" \t");
      const std::string_view name = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
      const std::optional<AccessClass> c = ParseAccessClass(name);
      if (!c) return MakeUnexpected(where + "unknown access class '" + std::string(name) + "'");
      if ((listed & Bit(*c)) != 0) {
        return MakeUnexpected(where + "access class '" + std::string(name) + "' listed twice");
      }
      listed |= Bit(*c);
      policy.Set(*level, *c, true);
    }
  }
  if (line_no == 0) return MakeUnexpected(std::string("line 1: empty policy"));
  if (!policy.Allows(UserLevel::kAdministrator, AccessClass::kWriteSystem)) {
    return MakeUnexpected(
        std::string("Administrator must keep WRITE_SYSTEM, or the device could not be managed"));
  }
  return policy;
}

}  // namespace onvifgw::security
