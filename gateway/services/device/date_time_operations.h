#pragma once
// Device-service date and time (Core §8.3.9–10): GetSystemDateAndTime (true
// UTC, local time from the device's POSIX time zone) and SetSystemDateAndTime
// (Manual or NTP, time zone, daylight saving; the camera's clock is set
// through the adapter when the camera can).

#include "services/service_registry.h"

namespace onvifgw::services::device {

void BindDateTimeOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device
