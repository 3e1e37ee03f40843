#pragma once
// A Content-Type value (RFC 9110 §8.3.1): `type/subtype; name=value; ...`,
// the type and parameter names compared case-insensitively, values either
// tokens or quoted strings. Lenient as servers must be: stray spaces and
// empty parameters are skipped. Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onvifgw {

struct MediaType {
  /// "type/subtype" in lower case; empty when the value is empty.
  std::string type;
  /// Parameters in order, names in lower case, values unquoted.
  std::vector<std::pair<std::string, std::string>> parameters;

  /// The value of parameter `name` (lower case), nullopt when absent.
  std::optional<std::string> Parameter(std::string_view name) const;
  /// Whether the type is `type` (lower case), e.g. "application/soap+xml".
  bool Is(std::string_view t) const { return type == t; }
};

MediaType ParseMediaType(std::string_view value);

}  // namespace onvifgw
