#pragma once
// The PTZ service (ver20, ptz.wsdl): the PTZ heads of a virtual device's
// cameras, their configurations (one per head, held by media profiles),
// moves, status, presets and home position, driven through the adapter in
// the generic spaces.

#include <string_view>

namespace onvifgw::services {
class ServiceRegistry;
}  // namespace onvifgw::services

namespace onvifgw::services::ptz {

inline constexpr std::string_view kPtzPath = "/onvif/ptz_service";

void ServePtz(ServiceRegistry& registry);

}  // namespace onvifgw::services::ptz
