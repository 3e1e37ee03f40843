#pragma once
// Parses a received UDP datagram into a Probe or a Resolve. Pure: no I/O.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/expected.h"
#include "discovery/request.h"

namespace onvifgw::discovery {

/// Datagrams larger than this are refused before parsing.
inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;

/// Why a datagram was not turned into a request.
struct ParseError {
  enum class Kind {
    kMalformed,    ///< Not XML, not a SOAP envelope, DTD, missing MessageID, ...
    kNotARequest,  ///< A well-formed message that is not a Probe/Resolve (e.g. a Hello).
  };
  Kind kind = Kind::kMalformed;
  std::string message;  ///< For logs.
};

/// Parses a SOAP 1.2 (or, tolerated, SOAP 1.1) envelope carrying d:Probe or
/// d:Resolve (WS-Discovery 2005/04). WS-Addressing headers are read in the
/// 2004/08 namespace and, tolerated, 2005/08. Prefixes of d:Types are resolved
/// with the in-scope namespaces of the Types element; an undeclared prefix
/// falls back to the gateway's well-known prefixes (dn, tds). Elements after
/// soap:Body are ignored.
Expected<DiscoveryRequest, ParseError> ParseDiscoveryRequest(std::string_view bytes);

/// ParseDiscoveryRequest() for callers that only accept a Probe.
Expected<Probe, ParseError> ParseProbe(std::string_view bytes);

/// ParseDiscoveryRequest() for callers that only accept a Resolve.
Expected<Resolve, ParseError> ParseResolve(std::string_view bytes);

}  // namespace onvifgw::discovery
