#pragma once
// The DeviceIO service (ver10, deviceio.wsdl): the device's physical
// inputs and outputs. Video and audio sources are the Media services' (same
// tokens); relay outputs are the Device service's relays (same operations,
// same tokens, same events); digital inputs come from the camera's adapter
// and are what tns1:Device/Trigger/DigitalInput events name. The device has
// no video or audio outputs and no serial ports: the lists are empty and a
// token naming one is refused with the specification's fault.

#include <string_view>

namespace onvifgw::services {
class ServiceRegistry;
}  // namespace onvifgw::services

namespace onvifgw::services::deviceio {

inline constexpr std::string_view kDeviceIoPath = "/onvif/deviceio_service";

void ServeDeviceIo(ServiceRegistry& registry);

}  // namespace onvifgw::services::deviceio
