#pragma once
// What a handler knows about the request beyond its body: which virtual
// device it addresses and how the client reached it.

#include <memory>
#include <optional>
#include <string>

#include "security/access_policy.h"
#include "services/virtual_device.h"
#include "soap/mtom.h"

namespace onvifgw::services {

class ServiceRegistry;

/// The authenticated caller (set by the SOAP endpoint for operations above
/// PRE_AUTH; absent for PRE_AUTH operations and when auth is off).
struct Principal {
  std::string username;
  security::UserLevel level = security::UserLevel::kAnonymous;
};

struct RequestContext {
  const VirtualDevice& device;
  /// "http" or "https", as the request arrived.
  std::string scheme;
  /// Host and port for addresses handed back to the client (XAddrs): the
  /// device's advertised_address, else the local address and port the
  /// request arrived on (Core §8.1.2.2).
  std::string authority;
  /// The local IP address the request arrived on (no port).
  std::string local_address;
  /// The HTTP path the request was posted to ("/onvif/subscription/7").
  std::string path;
  /// The HTTP Authorization header (empty if none) and the HTTP method, for
  /// HTTP Digest/Basic authentication.
  std::string authorization;
  std::string method = "POST";
  /// The client's IP address (brute-force accounting, logs).
  std::string remote_address;
  std::optional<Principal> principal;
  /// The services the gateway serves (set by the SOAP endpoint).
  const ServiceRegistry* services = nullptr;
  /// The binary parts of an MTOM request, which xop:Include hrefs name
  /// (nullptr: the request had none). They view the request body, which
  /// lives until the reply is sent.
  std::shared_ptr<const soap::ReceivedAttachments> attachments = {};
  /// Where a handler puts the binary parts of its reply (set by the SOAP
  /// endpoint): a reply with parts is sent as MTOM.
  std::shared_ptr<soap::OutgoingAttachments> reply_attachments = {};

  std::string ServiceUrl(std::string_view service_path) const {
    return scheme + "://" + authority + std::string(service_path);
  }
};

}  // namespace onvifgw::services
