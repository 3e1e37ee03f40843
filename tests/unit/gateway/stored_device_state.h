#pragma once
// A virtual device whose state is kept in a real store in a temporary
// directory, built part by part as the gateway builds it (gateway_app.cc),
// for tests of operations that store, reset, back up or restore that state.
// Open() again reads everything back from the store: a restart.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "security/secret_box.h"
#include "services/device/date_time_settings.h"
#include "services/device/device_certificates.h"
#include "services/device/discovery_settings.h"
#include "services/device/dot1x_configurations.h"
#include "services/device/geo_location_operations.h"
#include "services/device/network_settings.h"
#include "services/device/storage_configurations.h"
#include "services/device/system_backup.h"
#include "services/device_security.h"
#include "services/media/media_profile_store.h"
#include "services/virtual_device.h"
#include "store/state_store.h"

namespace onvifgw::testing {

class StoredDeviceState {
 public:
  struct Options {
    config::AdminConfig admin;
    /// Set: the discovery settings are stored too, with these fixed scopes;
    /// unset: the device's discovery settings are left as the test made them.
    std::optional<std::vector<std::string>> stored_scopes;
    /// Whether the device offers media (profiles kept in the store).
    bool media = false;
    /// The host's clock, under the device's clock.
    const ::onvifgw::Clock* host = &::onvifgw::SystemClock::Instance();
  };

  /// A fresh temporary directory named after `purpose`, removed with this.
  StoredDeviceState(const std::string& purpose, Options options) : options_(std::move(options)) {
    static std::atomic<int> counter{0};
    dir_ =
        std::filesystem::temp_directory_path() /
        ("onvifgw-" + purpose + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(dir_);
  }
  ~StoredDeviceState() {
    parts_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  StoredDeviceState(const StoredDeviceState&) = delete;
  StoredDeviceState& operator=(const StoredDeviceState&) = delete;

  /// (Re)builds every part from the store and attaches it to `device`; an
  /// empty string on success, else what failed.
  std::string Open(services::VirtualDevice& device) {
    Detach(device);
    parts_.reset();
    auto parts = std::make_unique<Parts>();
    auto store = store::StateStore::Open(dir_.string());
    if (!store) return store.error();
    parts->store = std::move(store).value();
    auto box = security::SecretBox::OpenOrCreate((dir_ / "secret.key").string());
    if (!box) return box.error();
    parts->box = std::make_unique<security::SecretBox>(std::move(box).value());
    auto sec = services::DeviceSecurity::Load(device.config.id, device.identity.endpoint_reference,
                                              *parts->store, *parts->box,
                                              services::DeviceSecurity::Options{}, options_.admin);
    if (!sec) return sec.error();
    parts->security = std::move(sec).value();
    const std::string& id = device.config.id;
    auto* store_ptr = parts->store.get();
    parts->network = std::make_unique<services::device::NetworkSettings>(id, store_ptr);
    parts->date_time =
        std::make_unique<services::device::DateTimeSettings>(id, store_ptr, *options_.host);
    parts->geo = std::make_unique<services::device::GeoLocationSettings>(id, store_ptr);
    parts->storage =
        std::make_unique<services::device::StorageConfigurations>(id, store_ptr, parts->box.get());
    parts->dot1x =
        std::make_unique<services::device::Dot1XConfigurations>(id, store_ptr, parts->box.get());
    parts->certificates =
        std::make_unique<services::device::DeviceCertificates>(id, store_ptr, parts->box.get());
    std::vector<Status<std::string>> loads = {parts->network->Load(), parts->date_time->Load(),
                                              parts->geo->Load(),     parts->storage->Load(),
                                              parts->dot1x->Load(),   parts->certificates->Load()};
    if (options_.stored_scopes) {
      parts->discovery = std::make_unique<services::device::DiscoverySettings>(
          id, *options_.stored_scopes, store_ptr);
      loads.push_back(parts->discovery->Load());
    }
    if (options_.media) {
      parts->media = std::make_unique<services::media::MediaProfileStore>(id, store_ptr);
      loads.push_back(parts->media->Load());
    }
    for (const auto& st : loads) {
      if (!st) return st.error();
    }
    parts_ = std::move(parts);
    device.state = parts_->store.get();
    device.secrets = parts_->box.get();
    device.restore_tickets = &parts_->tickets;
    device.security = parts_->security.get();
    device.network = parts_->network.get();
    device.date_time = parts_->date_time.get();
    device.clock = &parts_->date_time->clock();
    device.geo_location = parts_->geo.get();
    device.storage = parts_->storage.get();
    device.dot1x = parts_->dot1x.get();
    device.certificates = parts_->certificates.get();
    if (parts_->discovery) device.discovery = parts_->discovery.get();
    if (parts_->media) device.media = parts_->media.get();
    return {};
  }

  /// Takes every part off `device` (before this goes away).
  void Detach(services::VirtualDevice& device) const {
    device.state = nullptr;
    device.secrets = nullptr;
    device.restore_tickets = nullptr;
    device.security = nullptr;
    device.network = nullptr;
    device.date_time = nullptr;
    device.clock = &::onvifgw::SystemClock::Instance();
    device.geo_location = nullptr;
    device.storage = nullptr;
    device.dot1x = nullptr;
    device.certificates = nullptr;
    if (options_.stored_scopes) device.discovery = nullptr;
    if (options_.media) device.media = nullptr;
  }

  const std::filesystem::path& dir() const { return dir_; }
  store::StateStore& store() const { return *parts_->store; }
  services::device::DiscoverySettings& discovery() const { return *parts_->discovery; }

 private:
  struct Parts {
    std::unique_ptr<store::StateStore> store;
    std::unique_ptr<security::SecretBox> box;
    services::device::UploadTickets tickets;
    std::unique_ptr<services::DeviceSecurity> security;
    std::unique_ptr<services::device::DiscoverySettings> discovery;
    std::unique_ptr<services::device::NetworkSettings> network;
    std::unique_ptr<services::device::DateTimeSettings> date_time;
    std::unique_ptr<services::device::GeoLocationSettings> geo;
    std::unique_ptr<services::device::StorageConfigurations> storage;
    std::unique_ptr<services::device::Dot1XConfigurations> dot1x;
    std::unique_ptr<services::device::DeviceCertificates> certificates;
    std::unique_ptr<services::media::MediaProfileStore> media;
  };

  Options options_;
  std::filesystem::path dir_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace onvifgw::testing
