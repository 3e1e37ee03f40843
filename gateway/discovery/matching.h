#pragma once
// Decides whether a virtual device answers a Probe or a Resolve. Pure functions.

#include <string_view>
#include <vector>

#include "discovery/discoverable_device.h"
#include "discovery/request.h"

namespace onvifgw::discovery {

/// The types every virtual device implements: tds:Device and dn:NetworkVideoTransmitter.
const std::vector<QName>& DeviceTypes();

/// True when every probed type is one of DeviceTypes() (QName comparison,
/// prefixes irrelevant). No types match everything.
bool TypesMatch(const std::vector<QName>& probe_types);

/// True when `probe_scope` matches `device_scope` under `rule`.
///
/// kRfc3986 (WS-Discovery rfc3986/rfc2396): scheme and authority compared
/// case-insensitively; the probe's path segments must be a segment-wise prefix
/// of the device's (so ".../hardware/D1" does not match ".../hardware/D1-566");
/// segments compared case-sensitively after normalising percent-escapes; query
/// and fragment ignored; "." and ".." segments never match. A scope that is
/// not an absolute URI only matches an identical string.
/// kStrcmp0: exact string equality. kUnsupported: never.
bool ScopeMatches(std::string_view probe_scope, std::string_view device_scope, MatchRule rule);

/// True when every probe scope matches at least one device scope. No probe
/// scopes match everything (except under kUnsupported).
bool ScopesMatch(const std::vector<std::string>& probe_scopes,
                 const std::vector<std::string>& device_scopes, MatchRule rule);

/// Types and scopes both match.
bool Matches(const Probe& probe, const DiscoverableDevice& device);

/// The Resolve names this device's endpoint reference (UUID URNs compare case-insensitively).
bool Matches(const Resolve& resolve, const DiscoverableDevice& device);

}  // namespace onvifgw::discovery
