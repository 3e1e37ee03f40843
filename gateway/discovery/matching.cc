#include "discovery/matching.h"

#include <algorithm>
#include <optional>
#include <string>

#include "soap/namespaces.h"

namespace onvifgw::discovery {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerString(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

/// RFC 3986 §6.2.2: percent-encoded unreserved characters decoded, other
/// escapes with upper-case hex digits.
std::string NormalizeEscapes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        char decoded = static_cast<char>(hi * 16 + lo);
        if (IsUnreserved(decoded)) {
          out += decoded;
        } else {
          static constexpr char kHex[] = "0123456789ABCDEF";
          out += '%';
          out += kHex[hi];
          out += kHex[lo];
        }
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

struct ParsedUri {
  std::string scheme;     // lower case
  std::string authority;  // lower case, escapes normalised
  std::vector<std::string> segments;
  bool has_dot_segment = false;
};

std::optional<ParsedUri> ParseUri(std::string_view uri) {
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  std::size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!is_alpha(uri[0])) return std::nullopt;
  for (std::size_t i = 1; i < colon; ++i) {
    char c = uri[i];
    if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
      return std::nullopt;
    }
  }
  ParsedUri out;
  out.scheme = LowerString(uri.substr(0, colon));
  std::string_view rest = uri.substr(colon + 1);
  rest = rest.substr(0, rest.find_first_of("?#"));  // query and fragment are not compared
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    std::size_t end = rest.find('/');
    out.authority = LowerString(NormalizeEscapes(rest.substr(0, end)));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string segment = NormalizeEscapes(rest.substr(0, slash));
    if (segment == "." || segment == "..") out.has_dot_segment = true;
    out.segments.push_back(std::move(segment));
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  return out;
}

bool Rfc3986Match(std::string_view probe_scope, std::string_view device_scope) {
  auto p = ParseUri(probe_scope);
  auto d = ParseUri(device_scope);
  if (!p || !d) return probe_scope == device_scope;
  if (p->has_dot_segment || d->has_dot_segment) return false;
  if (p->scheme != d->scheme || p->authority != d->authority) return false;
  if (p->segments.size() > d->segments.size()) return false;
  return std::equal(p->segments.begin(), p->segments.end(), d->segments.begin());
}

}  // namespace

const std::vector<QName>& DeviceTypes() {
  static const std::vector<QName> kTypes{
      {std::string(soap::ns::kTds), "Device"},
      {std::string(soap::ns::kDn), "NetworkVideoTransmitter"},
  };
  return kTypes;
}

bool TypesMatch(const std::vector<QName>& probe_types) {
  const auto& ours = DeviceTypes();
  return std::all_of(probe_types.begin(), probe_types.end(), [&](const QName& t) {
    return std::find(ours.begin(), ours.end(), t) != ours.end();
  });
}

bool ScopeMatches(std::string_view probe_scope, std::string_view device_scope, MatchRule rule) {
  switch (rule) {
    case MatchRule::kRfc3986:
      return Rfc3986Match(probe_scope, device_scope);
    case MatchRule::kStrcmp0:
      return probe_scope == device_scope;
    case MatchRule::kUnsupported:
      return false;
  }
  return false;
}

bool ScopesMatch(const std::vector<std::string>& probe_scopes,
                 const std::vector<std::string>& device_scopes, MatchRule rule) {
  if (rule == MatchRule::kUnsupported) return false;
  return std::all_of(probe_scopes.begin(), probe_scopes.end(), [&](const std::string& p) {
    return std::any_of(device_scopes.begin(), device_scopes.end(),
                       [&](const std::string& d) { return ScopeMatches(p, d, rule); });
  });
}

bool Matches(const Probe& probe, const DiscoverableDevice& device) {
  return TypesMatch(probe.types) && ScopesMatch(probe.scopes, device.scopes, probe.match_rule);
}

bool Matches(const Resolve& resolve, const DiscoverableDevice& device) {
  if (resolve.endpoint_reference == device.endpoint_reference) return true;
  constexpr std::string_view kUuidUrn = "urn:uuid:";
  auto is_uuid_urn = [&](std::string_view s) {
    return s.size() >= kUuidUrn.size() && EqualsIgnoreCase(s.substr(0, kUuidUrn.size()), kUuidUrn);
  };
  return is_uuid_urn(resolve.endpoint_reference) && is_uuid_urn(device.endpoint_reference) &&
         EqualsIgnoreCase(resolve.endpoint_reference, device.endpoint_reference);
}

}  // namespace onvifgw::discovery
