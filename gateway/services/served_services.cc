#include "services/served_services.h"

#include "services/device/device_service.h"
#include "services/deviceio/deviceio_service.h"
#include "services/events/event_service.h"
#include "services/imaging/imaging_service.h"
#include "services/media/media_service.h"
#include "services/ptz/ptz_service.h"

namespace onvifgw::services {

Status<std::string> ServeAll(ServiceRegistry& registry) {
  device::Serve(registry);
  events::Serve(registry);
  media::ServeMedia(registry);
  media::ServeMedia2(registry);
  ptz::ServePtz(registry);
  imaging::ServeImaging(registry);
  deviceio::ServeDeviceIo(registry);
  return registry.Seal();
}

}  // namespace onvifgw::services
