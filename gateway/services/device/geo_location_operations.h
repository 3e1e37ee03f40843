#pragma once
// Device-service geo location (Core §8.3.22–24): where the device and its
// sources are, as entries clients set, read and delete. Kept per device (the
// gateway has no GPS: AutoGeo entries are ter:NoAutoGeo).

#include "onvif/generated/tds.pb.h"
#include "services/device/stored_setting.h"
#include "services/service_registry.h"

namespace onvifgw::services::device {

/// Entries kept at most (GeoLocationEntries capability; ter:TooManyEntries).
inline constexpr int kMaxGeoLocationEntries = 16;

/// The stored entries, as GetGeoLocation answers them (key "geo_location").
class GeoLocationSettings : public StoredSetting<onvif::tds::GetGeoLocationResponse> {
 public:
  GeoLocationSettings(std::string device_id, store::StateStore* store)
      : StoredSetting(std::move(device_id), "geo_location", store) {}
};

void BindGeoLocationOperations(ServiceBinder& binder);

}  // namespace onvifgw::services::device
