#pragma once
// The camera's own stream URI, made fit to hand to a client: the camera's
// credentials removed (unless the operator chose to embed them), and a
// loopback host (an adapter that serves streams on the gateway's own machine)
// replaced by the address the client reached the gateway on.

#include <string>
#include <string_view>

namespace onvifgw::services::media {

/// `client_host` is a host as it goes into a URL (IPv6 in brackets).
std::string UpstreamUriForClient(std::string_view uri, std::string_view client_host,
                                 bool keep_credentials);

}  // namespace onvifgw::services::media
