#pragma once
// Who is calling: HTTP Digest (RFC 7616; Basic only when enabled) and
// WS-Security UsernameToken, checked against the device's users, with
// brute-force accounting per client address. Used by SoapEndpoint for every
// operation above PRE_AUTH, before anything else happens (FACTS §1.4).
//
// Thread-safe.

#include <libxml/tree.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/expected.h"
#include "security/access_policy.h"
#include "security/failure_limiter.h"
#include "services/device_security.h"
#include "services/request_context.h"
#include "soap/fault.h"

namespace onvifgw::services {

/// How to refuse: the status (401 with challenges), the fault for the body,
/// and a delay that slows down guessing.
struct AuthRejection {
  int http_status = 401;
  soap::Fault fault;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0};
  /// True when the request carried no credentials at all (as opposed to
  /// wrong ones): the access policy may still let Anonymous through.
  bool no_credentials = false;
};

class RequestAuthenticator {
 public:
  explicit RequestAuthenticator(security::FailureLimiter::Options limiter = {});

  Expected<Principal, AuthRejection> Authenticate(const RequestContext& ctx,
                                                  const xmlNode* soap_header,
                                                  DeviceSecurity& security);

  /// The 401 answer: one Digest challenge per algorithm (MD5 first).
  AuthRejection Challenge(DeviceSecurity& security, bool stale, std::string reason) const;

 private:
  AuthRejection Failure(const RequestContext& ctx, DeviceSecurity& security,
                        const std::string& username, const char* why);

  security::FailureLimiter limiter_;
};

}  // namespace onvifgw::services
