#pragma once
// The Media service (ver10): profiles, video sources and encoders, metadata,
// stream and snapshot URIs, for the cameras of a virtual device.

#include <string>
#include <string_view>

namespace onvifgw::services {
class ServiceRegistry;
struct RequestContext;
}  // namespace onvifgw::services

namespace onvifgw::services::media {

inline constexpr std::string_view kMediaPath = "/onvif/media_service";
inline constexpr std::string_view kMedia2Path = "/onvif/media2_service";

void ServeMedia(ServiceRegistry& registry);
void ServeMedia2(ServiceRegistry& registry);

}  // namespace onvifgw::services::media
