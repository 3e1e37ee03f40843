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
#include "services/service_registry.h"
#include "soap/xml_document.h"

namespace onvifgw::services {

struct SoapReply {
  int http_status = 200;
  std::string body;
  /// The HTTP Content-Type; empty: application/soap+xml (a multipart/related
  /// one when the reply carries MTOM attachments).
  std::string content_type = {};
  /// Extra HTTP headers (WWW-Authenticate challenges).
  std::vector<std::pair<std::string, std::string>> headers;
  /// Hold the reply back this long (failed authentication).
  std::chrono::milliseconds delay{0};
  /// How it ended, for the metrics: "ok", or the fault's last subcode ("ter:NoProfile"), or its
  /// code ("env:Sender") when it has none.
  std::string outcome = "ok";
};

class SoapEndpoint {
 public:
  /// `registry` must be sealed and outlive the endpoint; `authenticator`
  /// may be nullptr (no authentication: unit tests).
  SoapEndpoint(const ServiceRegistry& registry, soap::XmlLimits limits,
               RequestAuthenticator* authenticator = nullptr)
      : registry_(registry), limits_(limits), authenticator_(authenticator) {}

  /// Handles one request posted to ctx.path; `done` may run on another thread.
  void Handle(std::string_view body, const RequestContext& ctx,
              std::function<void(SoapReply)> done) const;

  const ServiceRegistry& registry() const { return registry_; }
  RequestAuthenticator* authenticator() const { return authenticator_; }

 private:
  const ServiceRegistry& registry_;
  soap::XmlLimits limits_;
  RequestAuthenticator* authenticator_;
};

}  // namespace onvifgw::services
