#pragma once
// A device's media profiles and the client-set parts of its configurations,
// persisted in the state store (one setting, written in one transaction per
// change) and held in memory. The default profiles, one per stream the
// camera delivers, are created from the catalog the first time the camera is
// reached, and stored: from then on their tokens never change.
//
// Thread-safe.

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "core/expected.h"
#include "services/media/media_catalog.h"
#include "soap/fault.h"
#include "store/state_store.h"
#include "store/v1/media_state.pb.h"

namespace onvifgw::services::media {

using MediaState = ::onvifgw::store::v1::MediaState;
using StoredProfile = ::onvifgw::store::v1::StoredProfile;
using StoredConfiguration = ::onvifgw::store::v1::StoredConfiguration;

class MediaProfileStore {
 public:
  /// Profiles per device (MaxNVTProfiles / MaximumNumberOfProfiles).
  static constexpr int kMaxProfiles = 16;

  /// `store` may be nullptr: state then lives in memory only (unit tests).
  MediaProfileStore(std::string device_id, store::StateStore* store)
      : device_id_(std::move(device_id)), store_(store) {}

  /// Reads the stored state; an unreadable one is an error naming the device.
  Status<std::string> Load();

  /// The state now, with the default profiles created (and stored) when the
  /// catalog describes streams for the first time.
  MediaState Current(const MediaCatalog& catalog);

  /// Runs `change` on a copy of the state and, when it returns no fault,
  /// stores the copy (one transaction) and makes it current. A storage
  /// failure is ter:Action; nothing changes then.
  using Change = std::function<std::optional<soap::Fault>(MediaState&)>;
  Expected<MediaState, soap::Fault> Update(const MediaCatalog& catalog, const Change& change);

 private:
  void EnsureDefaultsLocked(const MediaCatalog& catalog);
  void EnsurePtzDefaultsLocked(const MediaCatalog& catalog);
  Status<std::string> PersistLocked(const MediaState& state);

  const std::string device_id_;
  store::StateStore* const store_;
  std::mutex mu_;
  MediaState state_;
};

/// The profile with `token`, or nullptr.
const StoredProfile* FindProfile(const MediaState& state, std::string_view token);
StoredProfile* FindProfile(MediaState& state, std::string_view token);

/// How many profiles reference configuration `token` (UseCount).
int UseCount(const MediaState& state, std::string_view token);

}  // namespace onvifgw::services::media
