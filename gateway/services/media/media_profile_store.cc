#include "services/media/media_profile_store.h"

#include <algorithm>

#include "core/log.h"

namespace onvifgw::services::media {
namespace {

constexpr const char* kSettingKey = "media";

}  // namespace

Status<std::string> MediaProfileStore::Load() {
  if (store_ == nullptr) return {};
  auto stored = store_->Setting(device_id_, kSettingKey);
  if (!stored) return MakeUnexpected(stored.error());
  std::lock_guard lock(mu_);
  MediaState state;  // nothing stored (any more): the defaults, made at the next use
  if (*stored && !state.ParseFromString(**stored)) {
    return MakeUnexpected("device " + device_id_ + ": stored media profiles are unreadable");
  }
  state_ = std::move(state);
  return {};
}

MediaState MediaProfileStore::Current(const MediaCatalog& catalog) {
  std::lock_guard lock(mu_);
  EnsureDefaultsLocked(catalog);
  EnsurePtzDefaultsLocked(catalog);
  return state_;
}

Expected<MediaState, soap::Fault> MediaProfileStore::Update(const MediaCatalog& catalog,
                                                            const Change& change) {
  std::lock_guard lock(mu_);
  EnsureDefaultsLocked(catalog);
  EnsurePtzDefaultsLocked(catalog);
  MediaState next = state_;
  if (auto fault = change(next)) return MakeUnexpected(std::move(*fault));
  if (auto st = PersistLocked(next); !st) {
    log::WriteAbout(log::Level::kError, "media", device_id_, st.error());
    return MakeUnexpected(soap::ActionFailed("The change could not be stored"));
  }
  state_ = std::move(next);
  return state_;
}

void MediaProfileStore::EnsurePtzDefaultsLocked(const MediaCatalog& catalog) {
  // A head met for the first time (a camera that gained PTZ, or state
  // stored before the gateway knew PTZ): the fixed profiles of its source
  // take it once, as new default profiles do. A client's later choice is
  // kept, since the camera is then recorded.
  std::vector<const PtzNodeEntry*> fresh;
  for (const PtzNodeEntry& head : catalog.ptz_nodes()) {
    const auto& met = state_.ptz_default_cameras();
    if (std::find(met.begin(), met.end(), head.camera_id) == met.end()) fresh.push_back(&head);
  }
  if (fresh.empty()) return;
  MediaState next = state_;
  for (const PtzNodeEntry* head : fresh) {
    const VideoSourceEntry* source = catalog.Source(head->source_token);
    for (StoredProfile& p : *next.mutable_profiles()) {
      if (p.fixed() && p.ptz().empty() && source != nullptr &&
          p.video_source() == source->configuration_token) {
        p.set_ptz(head->configuration_token);
      }
    }
    if (std::find(next.ptz_default_cameras().begin(), next.ptz_default_cameras().end(),
                  head->camera_id) == next.ptz_default_cameras().end()) {
      next.add_ptz_default_cameras(head->camera_id);
    }
  }
  if (auto st = PersistLocked(next); !st) {
    log::WriteAbout(log::Level::kError, "media", device_id_, st.error());
    return;
  }
  state_ = std::move(next);
}

void MediaProfileStore::EnsureDefaultsLocked(const MediaCatalog& catalog) {
  if (catalog.encoders().empty()) return;
  auto done = [&](const MediaState& s, const std::string& camera_id) {
    return std::find(s.default_cameras().begin(), s.default_cameras().end(), camera_id) !=
           s.default_cameras().end();
  };
  // State stored before cameras were recorded: every camera described now
  // had its defaults then.
  const bool legacy = state_.defaults_created() && state_.default_cameras_size() == 0;
  // The cameras met for the first time: their streams get profiles. The
  // common case, nothing new, costs no copy.
  std::vector<std::string> fresh;
  for (const VideoEncoderEntry& enc : catalog.encoders()) {
    if (!legacy && !done(state_, enc.camera_id) &&
        std::find(fresh.begin(), fresh.end(), enc.camera_id) == fresh.end()) {
      fresh.push_back(enc.camera_id);
    }
  }
  if (!legacy && fresh.empty()) return;
  MediaState next = state_;
  if (legacy) {
    for (const VideoEncoderEntry& enc : catalog.encoders()) {
      if (!done(next, enc.camera_id)) next.add_default_cameras(enc.camera_id);
    }
  }
  int created = 0;
  for (const VideoEncoderEntry& enc : catalog.encoders()) {
    if (std::find(fresh.begin(), fresh.end(), enc.camera_id) == fresh.end()) continue;
    if (static_cast<int>(next.profiles_size()) >= kMaxProfiles) break;
    // "prof_" + the encoder's token without its "enc_" (unless a client
    // already took that token).
    const std::string token = "prof_" + enc.token.substr(4);
    if (FindProfile(next, token) != nullptr) continue;
    const VideoSourceEntry* source = catalog.Source(enc.source_token);
    StoredProfile* p = next.add_profiles();
    ++created;
    p->set_token(token);
    p->set_name(enc.stream.stream_id());
    if (catalog.sources().size() > 1 && source != nullptr) {
      // Several sources: the camera's label tells the profiles apart.
      p->set_name((source->label + " " + enc.stream.stream_id()).substr(0, 64));
    }
    p->set_fixed(true);
    p->set_video_source(source != nullptr ? source->configuration_token : std::string());
    p->set_video_encoder(enc.token);
    p->set_metadata(std::string(kMetadataToken));
    // The head that moves the picture, so that a VMS offers PTZ at once.
    if (const PtzNodeEntry* head = catalog.PtzNodeMoving(enc.source_token)) {
      p->set_ptz(head->configuration_token);
    }
    // The audio the stream carries, so that a VMS hears what it plays.
    if (const AudioEncoderEntry* audio = catalog.AudioEncoder(enc.audio_encoder_token)) {
      if (const AudioSourceEntry* input = catalog.AudioSource(audio->source_token)) {
        p->set_audio_source(input->configuration_token);
        p->set_audio_encoder(audio->token);
      }
    }
  }
  next.set_defaults_created(true);
  for (const std::string& camera_id : fresh) next.add_default_cameras(camera_id);
  if (auto st = PersistLocked(next); !st) {
    // Served from memory this time; tried again on the next request.
    log::WriteAbout(log::Level::kError, "media", device_id_, st.error());
    return;
  }
  if (created > 0) {
    log::WriteAbout(log::Level::kInfo, "media", device_id_,
                    "created " + std::to_string(created) + " default media profiles");
  }
  state_ = std::move(next);
}

Status<std::string> MediaProfileStore::PersistLocked(const MediaState& state) {
  if (store_ == nullptr) return {};
  return store_->PutSetting(device_id_, kSettingKey, state.SerializeAsString());
}

const StoredProfile* FindProfile(const MediaState& state, std::string_view token) {
  for (const auto& p : state.profiles()) {
    if (p.token() == token) return &p;
  }
  return nullptr;
}

StoredProfile* FindProfile(MediaState& state, std::string_view token) {
  for (auto& p : *state.mutable_profiles()) {
    if (p.token() == token) return &p;
  }
  return nullptr;
}

int UseCount(const MediaState& state, std::string_view token) {
  int n = 0;
  for (const auto& p : state.profiles()) {
    if (p.video_source() == token || p.video_encoder() == token || p.metadata() == token ||
        p.audio_source() == token || p.audio_encoder() == token || p.ptz() == token) {
      ++n;
    }
  }
  return n;
}

}  // namespace onvifgw::services::media
