#include "relay/rtsp_admission.h"

#include "security/access_class.h"
#include "services/device_security.h"
#include "services/http_authorization.h"
#include "services/request_context.h"

namespace onvifgw::relay {

std::vector<std::pair<std::string, std::string>> RtspChallenges(
    const std::vector<std::pair<std::string, std::string>>& http_headers) {
  std::vector<std::pair<std::string, std::string>> out;
  bool digest = false;
  for (const auto& [name, value] : http_headers) {
    if (name == "WWW-Authenticate" && value.rfind("Digest ", 0) == 0) {
      if (digest) continue;
      digest = true;
    }
    out.emplace_back(name, value);
  }
  return out;
}

RtspAdmitter AdmitDeviceUsers(const services::VirtualDevice& device,
                              services::RequestAuthenticator* authenticator) {
  return [&device, authenticator](const RtspRequest& request) {
    // The device's IP address filter holds for its streams as for its port.
    if (device.security != nullptr && !device.security->Admits(request.remote_address)) {
      return RtspAdmission{false, 403, {}};
    }
    const services::RequestContext ctx{device,
                                       "rtsp",
                                       "",
                                       request.local_address,
                                       request.uri,
                                       request.authorization,
                                       request.method,
                                       request.remote_address,
                                       std::nullopt};
    auto who = services::AuthorizeHttp(ctx, authenticator, security::AccessClass::kReadMedia,
                                       {"trt:GetStreamUri", "tr2:GetStreamUri"});
    if (who) return RtspAdmission{true, 200, {}};
    return RtspAdmission{false, who.error().status, RtspChallenges(who.error().headers)};
  };
}

}  // namespace onvifgw::relay
