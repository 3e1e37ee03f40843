#include "services/device/device_state_reload.h"

#include "core/log.h"
#include "http/rebindable_listener.h"
#include "services/device/date_time_settings.h"
#include "services/device/device_certificates.h"
#include "services/device/discovery_settings.h"
#include "services/device/dot1x_configurations.h"
#include "services/device/geo_location_operations.h"
#include "services/device/https_endpoint.h"
#include "services/device/network_settings.h"
#include "services/device/storage_configurations.h"
#include "services/device_security.h"
#include "services/events/event_hub.h"
#include "services/media/media_profile_store.h"

namespace onvifgw::services::device {
namespace {

void ReloadParts(const VirtualDevice& d) {
  auto check = [&](const char* what, const Status<std::string>& st) {
    if (!st) {
      log::WriteAbout(log::Level::kError, "device", d.config.id,
                      std::string(what) + " not reloaded: " + st.error());
    }
  };
  if (d.discovery != nullptr) check("discovery settings", d.discovery->Load());
  if (d.network != nullptr) check("network settings", d.network->Load());
  if (d.date_time != nullptr) check("date and time", d.date_time->Load());
  if (d.geo_location != nullptr) check("geo location", d.geo_location->Load());
  if (d.storage != nullptr) check("storage configurations", d.storage->Load());
  if (d.dot1x != nullptr) check("IEEE 802.1X configurations", d.dot1x->Load());
  if (d.certificates != nullptr) check("certificates", d.certificates->Load());
  if (d.media != nullptr) check("media profiles", d.media->Load());
  if (d.security != nullptr) check("users and security", d.security->Reload(d.config.admin));
}

// Where the stored network settings put the listener, or the config (a
// config port of 0, "any free port", keeps the port the device has).
bool MoveListener(const VirtualDevice& d) {
  if (d.listener == nullptr || d.network == nullptr) return false;
  NetworkSettings::Binding target = d.network->BindingFor(d.config.address, d.config.port);
  if (target.port == 0) target.port = d.listener->port();
  if (target.address == d.listener->address() && target.port == d.listener->port()) return false;
  const std::string where = target.address + ":" + std::to_string(target.port);
  if (auto st = d.listener->Rebind(target.address, target.port); !st) {
    log::WriteAbout(
        log::Level::kError, "device", d.config.id,
        std::string("cannot listen on ") + where + " (" + st.error() + "); staying where it is");
    return false;
  }
  log::WriteAbout(log::Level::kInfo, "device", d.config.id, std::string("listening on ") + where);
  return true;
}

// The relay's RTSP port likewise (a config rtsp_port of 0 keeps its port).
void MoveRelay(const VirtualDevice& d) {
  if (d.relay == nullptr || d.network == nullptr) return;
  const uint16_t target = d.network->RtspPortFor(d.config.rtsp_port);
  if (target == 0 || target == d.relay->port()) return;
  if (auto st = d.relay->MoveTo(target); !st) {
    log::WriteAbout(log::Level::kError, "relay", d.config.id,
                    std::string("cannot serve RTSP on port ") + std::to_string(target) + " (" +
                        st.error() + std::string("); staying on ") +
                        std::to_string(d.relay->port()));
    return;
  }
  log::WriteAbout(log::Level::kInfo, "relay", d.config.id,
                  std::string("serving RTSP on port ") + std::to_string(target));
}

}  // namespace

void ServeHttpsAsStored(const VirtualDevice& d) {
  if (d.https == nullptr || d.network == nullptr) return;
  const NetworkState s = d.network->Current();
  const std::string address = d.listener != nullptr ? d.listener->address() : d.config.address;
  if (!s.https_enabled()) {
    d.https->Stop();
    (void)d.https->Refresh();
    return;
  }
  if (auto st = d.https->Serve(address, static_cast<uint16_t>(s.https_port())); !st) {
    log::WriteAbout(log::Level::kError, "https", d.config.id,
                    std::string("HTTPS is switched on but cannot be served: ") + st.error().reason);
  }
}

void ReloadDeviceState(const VirtualDevice& d) {
  ReloadParts(d);
  MoveRelay(d);
  const bool moved = MoveListener(d);
  ServeHttpsAsStored(d);  // on the address the listener has now
  if (moved && d.discovery != nullptr) (void)d.discovery->AddressesChanged();
  if (d.announce && d.discovery != nullptr && d.discovery->Snapshot().discoverable) {
    d.announce(DiscoveryAnnouncement::kHello);
  }
}

void RestartVirtualDevice(const VirtualDevice& d) {
  const bool discoverable = d.discovery != nullptr && d.discovery->Snapshot().discoverable;
  if (d.announce && discoverable) d.announce(DiscoveryAnnouncement::kBye);
  const std::size_t ended = d.events != nullptr ? d.events->EndSubscriptions(d.config.id) : 0;
  log::WriteAbout(log::Level::kInfo, "device", d.config.id,
                  std::string("restarting (SystemReboot): ") + std::to_string(ended) +
                      " event subscription(s) ended");
  ReloadDeviceState(d);
}

}  // namespace onvifgw::services::device
