#pragma once
// Turns one SOAP request body into one SOAP response body for a virtual
// device: envelope, operation lookup (body element namespace + local name),
// decoding, the handler, encoding. Never sees a socket.
//
// Thread-safe after construction (the operation table is read-only).

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "services/authentication.h"
#include "services/operation.h"
#include "soap/xml_document.h"

namespace onvifgw::services {

struct SoapReply {
  int http_status = 200;
  std::string body;
  /// Extra HTTP headers (WWW-Authenticate challenges).
  std::vector<std::pair<std::string, std::string>> headers;
  /// Hold the reply back this long (failed authentication).
  std::chrono::milliseconds delay{0};
};

class SoapEndpoint {
 public:
  /// `authenticator` may be nullptr (no authentication: unit tests).
  explicit SoapEndpoint(soap::XmlLimits limits, RequestAuthenticator* authenticator = nullptr)
      : limits_(limits), authenticator_(authenticator) {}

  /// Adds operations; a duplicate (namespace, name) is a programming error.
  void Register(std::vector<Operation> operations);

  /// Handles one request; `done` may run on another thread.
  void Handle(std::string_view body, const RequestContext& ctx,
              std::function<void(SoapReply)> done) const;

  const Operation* Find(std::string_view ns, std::string_view name) const;

 private:
  soap::XmlLimits limits_;
  RequestAuthenticator* authenticator_;
  std::unordered_map<std::string, Operation> operations_;  // key: ns + ' ' + name
};

}  // namespace onvifgw::services
