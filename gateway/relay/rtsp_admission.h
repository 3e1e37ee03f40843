#pragma once
// Who may play: every RTSP request of a device's relay is admitted or refused
// by the device's own users, like its HTTP resources (Digest; Basic only when
// enabled), for the READ_MEDIA access class. Decided per request, so a user
// deleted or whose password changed is refused on the next request.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "services/authentication.h"
#include "services/virtual_device.h"

namespace onvifgw::relay {

struct RtspRequest {
  std::string method;  ///< "DESCRIBE", "SETUP", ...
  std::string uri;     ///< the request target, as sent
  std::string authorization;
  std::string remote_address;
  std::string local_address;
};

struct RtspAdmission {
  bool admitted = false;
  /// The refusal: 401 (with the challenges), 403.
  int status = 401;
  std::vector<std::pair<std::string, std::string>> headers;
};

using RtspAdmitter = std::function<RtspAdmission(const RtspRequest&)>;

/// The headers of an HTTP refusal as an RTSP refusal carries them: only the
/// first (preferred) Digest challenge. RTSP clients take one challenge, and
/// several take the last one they see (FFmpeg), which may name an algorithm
/// they cannot compute.
std::vector<std::pair<std::string, std::string>> RtspChallenges(
    const std::vector<std::pair<std::string, std::string>>& http_headers);

/// Admits by `device`'s users and policy; `authenticator` may be nullptr
/// (no authentication: everyone plays, as in unit tests).
RtspAdmitter AdmitDeviceUsers(const services::VirtualDevice& device,
                              services::RequestAuthenticator* authenticator);

}  // namespace onvifgw::relay
