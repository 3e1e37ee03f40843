#pragma once
// A virtual device's discovery settings (Core §7.3, §8.3.14–19): its scopes,
// fixed (from the config: type, profile, name, hardware, locations) and
// configurable (set by clients), its discovery mode, and the MetadataVersion
// announced with them. Persisted per device (StoredSetting, key "discovery");
// every change is all-or-nothing.
//
// Thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "services/device/stored_setting.h"
#include "store/v1/discovery_state.pb.h"

namespace onvifgw::services::device {

using DiscoveryState = ::onvifgw::store::v1::DiscoveryState;

class DiscoverySettings : public StoredSetting<DiscoveryState> {
 public:
  /// Configurable scopes kept at most (ter:TooManyScopes beyond): every
  /// ProbeMatch carries them all and must stay one modest datagram.
  static constexpr std::size_t kMaxConfigurableScopes = 16;
  /// Longest scope URI accepted, in bytes.
  static constexpr std::size_t kMaxScopeLength = 256;

  DiscoverySettings(std::string device_id, std::vector<std::string> fixed_scopes,
                    store::StateStore* store)
      : StoredSetting(std::move(device_id), "discovery", store), fixed_(std::move(fixed_scopes)) {}

  /// Reads the stored state; when the fixed scopes differ from those last
  /// announced (the config changed), raises the MetadataVersion.
  Status<std::string> Load();

  /// What the device announces, as one consistent snapshot.
  struct View {
    std::vector<std::string> fixed;
    std::vector<std::string> configurable;
    bool discoverable = true;
    uint32_t metadata_version = 1;
    /// Fixed, then configurable.
    std::vector<std::string> All() const;
  };
  View Snapshot() const;

  const std::vector<std::string>& fixed_scopes() const { return fixed_; }

  /// SetScopes: replaces the configurable scopes (a fixed one named is
  /// already there and is not repeated). Returns whether the list changed.
  Expected<bool, soap::Fault> SetScopes(const std::vector<std::string>& scopes);
  /// AddScopes: adds those not present yet. Returns whether the list changed.
  Expected<bool, soap::Fault> AddScopes(const std::vector<std::string>& scopes);
  /// RemoveScopes: a fixed scope is ter:FixedScope, an absent one ter:NoScope;
  /// nothing is removed unless all can be. Returns the removed scopes.
  Expected<std::vector<std::string>, soap::Fault> RemoveScopes(
      const std::vector<std::string>& scopes);
  /// The device's XAddrs changed (its listener moved): raises the
  /// MetadataVersion for the Hello that announces it.
  Status<soap::Fault> AddressesChanged();
  /// The state a factory default leaves: no configurable scopes,
  /// discoverable, and a MetadataVersion above the current one (the scopes
  /// changed), to be stored in the reset's transaction and then loaded.
  DiscoveryState FactoryDefaultState() const;
  /// SetDiscoveryMode. Returns whether the mode changed.
  Expected<bool, soap::Fault> SetDiscoverable(bool discoverable);

 private:
  bool IsFixed(const std::string& scope) const;

  const std::vector<std::string> fixed_;
};

}  // namespace onvifgw::services::device
