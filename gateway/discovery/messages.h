#pragma once
// Builds every WS-Discovery message the responder sends. Pure functions: the
// result is one complete SOAP 1.2 envelope, ready to be sent as a datagram,
// and valid for ../shared/onvif/check-soap.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace onvifgw::discovery {

/// d:AppSequence header (Hello, Bye, ProbeMatches, ResolveMatches).
struct AppSequence {
  uint32_t instance_id = 0;     ///< Increases on every restart (e.g. boot time).
  uint32_t message_number = 0;  ///< Increases with every message sent in this instance.
};

/// What a Hello, ProbeMatch or ResolveMatch says about one device.
struct EndpointDescription {
  std::string endpoint_reference;   ///< "urn:uuid:...".
  std::vector<std::string> scopes;  ///< Whitespace inside a scope is sent percent-encoded.
  std::vector<std::string> xaddrs;  ///< Device-service URIs.
  uint32_t metadata_version = 1;
};

/// Addressing headers of a reply to a Probe or Resolve.
struct ReplyAddressing {
  std::string message_id;  ///< Fresh wsa:MessageID of the reply.
  std::string relates_to;  ///< wsa:MessageID of the request.
  std::string to;          ///< The request's ReplyTo, else the anonymous role (ReplyToOrAnonymous).
};

/// `reply_to` when not empty, else the WS-Addressing 2004/08 anonymous role URI.
std::string ReplyToOrAnonymous(std::string_view reply_to);

/// Multicast d:Hello (wsa:To urn:schemas-xmlsoap-org:ws:2005:04:discovery).
std::string BuildHello(const EndpointDescription& endpoint, std::string_view message_id,
                       const AppSequence& sequence);

/// Multicast d:Bye carrying only the endpoint reference.
std::string BuildBye(std::string_view endpoint_reference, std::string_view message_id,
                     const AppSequence& sequence);

/// Unicast d:ProbeMatches with exactly one d:ProbeMatch.
std::string BuildProbeMatches(const EndpointDescription& endpoint,
                              const ReplyAddressing& addressing, const AppSequence& sequence);

/// Unicast d:ResolveMatches with exactly one d:ResolveMatch.
std::string BuildResolveMatches(const EndpointDescription& endpoint,
                                const ReplyAddressing& addressing, const AppSequence& sequence);

/// SOAP 1.2 fault env:Sender / d:MatchingRuleNotSupported with
/// d:SupportedMatchingRules in the Detail (answer to a unicast Probe only).
std::string BuildMatchingRuleNotSupportedFault(const ReplyAddressing& addressing);

}  // namespace onvifgw::discovery
