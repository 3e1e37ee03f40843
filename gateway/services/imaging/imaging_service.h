#pragma once
// The Imaging service (ver20, imaging.wsdl): the sensor settings of each
// video source (brightness, contrast, saturation, sharpness, IR cut filter,
// exposure, focus, wide dynamic range, backlight compensation, white
// balance) and its focus lens, through the camera's adapter. A request names
// a tt:VideoSource token (the Media services' tokens); what a sensor offers
// is the adapter's options, cached with the camera's facts.

#include <string_view>

namespace onvifgw::services {
class ServiceRegistry;
}  // namespace onvifgw::services

namespace onvifgw::services::imaging {

inline constexpr std::string_view kImagingPath = "/onvif/imaging_service";

void ServeImaging(ServiceRegistry& registry);

}  // namespace onvifgw::services::imaging
