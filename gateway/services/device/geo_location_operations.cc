#include "services/device/geo_location_operations.h"

#include <algorithm>

namespace onvifgw::services::device {
namespace {

namespace tds = ::onvifgw::onvif::tds;
namespace tt = ::onvifgw::onvif::tt;
using soap::Fault;

// An entry is identified by its entity type and token (Core §8.3.23).
bool SameEntry(const tt::LocationEntity& a, const tt::LocationEntity& b) {
  return a.entity() == b.entity() && a.token() == b.token();
}

std::string Named(const tt::LocationEntity& e) {
  return (e.entity().empty() ? std::string("(no entity)") : e.entity()) + "/" +
         (e.token().empty() ? std::string("(no token)") : e.token());
}

std::optional<Fault> CheckEntry(const tt::LocationEntity& e) {
  if (e.autogeo()) {
    return soap::InvalidArgVal("The device has no automatic geo location (GPS)", "NoAutoGeo");
  }
  if (e.has_geolocation()) {
    const auto& g = e.geolocation();
    if ((g.has_lat() && (g.lat() < -90 || g.lat() > 90)) ||
        (g.has_lon() && (g.lon() < -180 || g.lon() > 180))) {
      return soap::InvalidArgVal("Latitude must be -90..90 and longitude -180..180 (WGS 84)");
    }
  }
  return std::nullopt;
}

GeoLocationSettings* SettingsOf(const RequestContext& ctx) { return ctx.device.geo_location; }

Fault NotKept() { return soap::ActionNotSupported("The device keeps no geo location"); }

Expected<tds::GetGeoLocationResponse, Fault> GetGeoLocation(const RequestContext& ctx,
                                                            const tds::GetGeoLocation&) {
  if (SettingsOf(ctx) == nullptr) return MakeUnexpected(NotKept());
  return SettingsOf(ctx)->Current();
}

Expected<tds::SetGeoLocationResponse, Fault> SetGeoLocation(const RequestContext& ctx,
                                                            const tds::SetGeoLocation& req) {
  if (SettingsOf(ctx) == nullptr) return MakeUnexpected(NotKept());
  for (const auto& e : req.location()) {
    if (auto bad = CheckEntry(e)) return MakeUnexpected(*bad);
  }
  auto st = SettingsOf(ctx)->Update([&](tds::GetGeoLocationResponse& s) -> std::optional<Fault> {
    for (tt::LocationEntity e : req.location()) {
      e.clear_fixed();  // entries clients set can always be deleted
      auto* list = s.mutable_location();
      auto it = std::find_if(list->begin(), list->end(),
                             [&](const tt::LocationEntity& x) { return SameEntry(x, e); });
      // An entry is replaced whole: fields the request leaves out are removed.
      if (it != list->end()) {
        *it = std::move(e);
      } else {
        *s.add_location() = std::move(e);
      }
    }
    if (s.location_size() > kMaxGeoLocationEntries) {
      return soap::ActionFailed(
          "At most " + std::to_string(kMaxGeoLocationEntries) + " geo location entries are kept",
          "TooManyEntries");
    }
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(st.error());
  return tds::SetGeoLocationResponse{};
}

Expected<tds::DeleteGeoLocationResponse, Fault> DeleteGeoLocation(
    const RequestContext& ctx, const tds::DeleteGeoLocation& req) {
  if (SettingsOf(ctx) == nullptr) return MakeUnexpected(NotKept());
  auto st = SettingsOf(ctx)->Update([&](tds::GetGeoLocationResponse& s) -> std::optional<Fault> {
    for (const auto& e : req.location()) {
      auto* list = s.mutable_location();
      auto it = std::find_if(list->begin(), list->end(),
                             [&](const tt::LocationEntity& x) { return SameEntry(x, e); });
      if (it == list->end()) {
        return soap::InvalidArgVal("No geo location entry " + Named(e), "NoConfig");
      }
      if (it->fixed()) return soap::InvalidArgVal("A fixed entry cannot be deleted", "Fixed");
      list->erase(it);
    }
    return std::nullopt;
  });
  if (!st) return MakeUnexpected(st.error());
  return tds::DeleteGeoLocationResponse{};
}

}  // namespace

void BindGeoLocationOperations(ServiceBinder& b) {
  b.Bind("GetGeoLocation", GetGeoLocation)
      .Bind("SetGeoLocation", SetGeoLocation)
      .Bind("DeleteGeoLocation", DeleteGeoLocation);
}

}  // namespace onvifgw::services::device
