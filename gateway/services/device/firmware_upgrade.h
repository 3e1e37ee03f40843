#pragma once
// Firmware upgrade over HTTP (Core §8.3.7, StartFirmwareUpgrade): a client
// gets a one-time upload URI, POSTs the image there as
// application/octet-stream, and the image goes to the camera through its
// adapter (a gRPC stream of chunks). The camera judges the image: one it
// refuses is "415 Unsupported Media Type", a failure of the camera or the
// adapter "500 Internal Server Error" (Core §8.3.7). The gateway's own
// state (users, network settings) is not touched. Offered for cameras whose
// adapter claims firmware_upgrade.

#include <functional>
#include <string_view>

#include "http/http_types.h"
#include "services/authentication.h"
#include "services/request_context.h"
#include "services/service_registry.h"

namespace onvifgw::services::device {

inline constexpr std::string_view kFirmwarePathPrefix = "/onvif/system/firmware/";

/// Whether the device's camera takes firmware through its adapter.
bool FirmwareUpgradeOffered(const VirtualDevice& device);

/// POST to a firmware upload URI: authorised as UNRECOVERABLE, the ticket
/// redeemed, the image handed to the adapter; `respond` runs once it is
/// installed or refused.
void ServeFirmwareUpload(const RequestContext& ctx, RequestAuthenticator* authenticator,
                         std::string_view content_type, std::string_view body,
                         std::function<void(http::Response)> respond);

void BindFirmwareUpgradeOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device
