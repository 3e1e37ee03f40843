#pragma once
// SOAP 1.2 faults with ONVIF subcodes (Core §5.8.2). One value type used by
// every layer; http/ turns it into a status code, the envelope writer into XML.

#include <string>
#include <vector>

namespace onvifgw::soap {

enum class FaultCode { kVersionMismatch, kMustUnderstand, kSender, kReceiver };

struct Fault {
  FaultCode code = FaultCode::kReceiver;
  /// Local names in the ter namespace, outermost first: {"ActionNotSupported"}.
  std::vector<std::string> subcodes;
  /// Human-readable, in English; never internal details (Core §5.8.2.4).
  std::string reason;
  /// The content of env:Detail: one element with its namespaces declared
  /// on it (a WSDL fault's message, e.g. wsrf_r:ResourceUnknownFault);
  /// empty: no Detail.
  std::string detail{};

  /// SOAP 1.2 HTTP binding: Sender -> 400, everything else -> 500.
  int HttpStatus() const { return code == FaultCode::kSender ? 400 : 500; }
};

/// The generic faults of Core §5.8.2.2, with an optional specific subcode.
Fault ActionNotSupported(std::string reason, std::string specific = {});
Fault InvalidArgVal(std::string reason, std::string specific = {});
Fault InvalidArgs(std::string reason, std::string specific = {});
Fault WellFormed(std::string reason);
Fault NotAuthorized(std::string reason);
Fault ActionFailed(std::string reason, std::string specific = {});

}  // namespace onvifgw::soap
