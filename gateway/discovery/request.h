#pragma once
// The two WS-Discovery requests a Target Service answers, as plain values.

#include <string>
#include <variant>
#include <vector>

namespace onvifgw::discovery {

/// An XML qualified name with its prefix already resolved.
struct QName {
  std::string ns;     ///< Namespace URI; empty when the prefix could not be resolved.
  std::string local;  ///< Local name.
  bool operator==(const QName&) const = default;
};

/// How the scopes of a Probe are compared with a device's scopes (d:Scopes/@MatchBy).
enum class MatchRule {
  kRfc3986,      ///< Default; also .../rfc2396 (same segment-wise prefix rule).
  kStrcmp0,      ///< Exact string comparison.
  kUnsupported,  ///< Anything else (uuid, ldap, unknown): never matches.
};

/// d:Probe.
struct Probe {
  std::string message_id;           ///< wsa:MessageID; copied into RelatesTo of replies.
  std::string reply_to;             ///< wsa:ReplyTo/wsa:Address; empty when absent.
  std::vector<QName> types;         ///< d:Types; empty matches every device.
  std::vector<std::string> scopes;  ///< d:Scopes; empty matches every device.
  MatchRule match_rule = MatchRule::kRfc3986;
  std::string match_by;  ///< The MatchBy attribute as sent (empty when absent).
};

/// d:Resolve.
struct Resolve {
  std::string message_id;          ///< wsa:MessageID.
  std::string reply_to;            ///< wsa:ReplyTo/wsa:Address; empty when absent.
  std::string endpoint_reference;  ///< wsa:EndpointReference/wsa:Address being resolved.
};

/// A request received on the discovery socket.
using DiscoveryRequest = std::variant<Probe, Resolve>;

}  // namespace onvifgw::discovery
