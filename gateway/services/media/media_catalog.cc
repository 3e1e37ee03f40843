#include "services/media/media_catalog.h"

#include <cctype>

namespace onvifgw::services::media {

std::string TokenPart(std::string_view id) {
  std::string out;
  out.reserve(id.size());
  for (char c : id) {
    const bool safe = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
    out.push_back(safe ? c : '-');
  }
  // ReferenceToken is at most 64 characters; the longest token is
  // "enc_" + camera + "_" + source + "_" + stream, so parts are kept to 16.
  // A longer id keeps its start and a stable hash of the whole (FNV-1a), so
  // two long ids that differ only at the end stay apart.
  constexpr std::size_t kMax = 16;
  if (out.size() > kMax) {
    uint32_t h = 2166136261u;
    for (char c : id) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    static constexpr char kHex[] = "0123456789abcdef";
    out.resize(kMax - 5);
    out.push_back('-');
    for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(h >> shift) & 0xF]);
  }
  return out;
}

std::vector<CameraBinding> CameraBindings(const config::DeviceConfig& device) {
  if (device.cameras.size() <= 1) return {CameraBinding{device.camera, ""}};
  // Several cameras: every token names its camera, so that tokens stay the
  // same when cameras are added to or removed from the list.
  std::vector<CameraBinding> out;
  for (const auto& id : device.cameras) out.push_back({id, TokenPart(id) + "_"});
  return out;
}

std::string VideoSourceToken(const config::DeviceConfig& device, std::string_view camera_id,
                             std::string_view source_id) {
  for (const CameraBinding& b : CameraBindings(device)) {
    if (b.camera_id == camera_id) return "VideoSource_" + b.token_prefix + TokenPart(source_id);
  }
  return {};
}

std::string VideoSourceConfigurationToken(const config::DeviceConfig& device,
                                          std::string_view camera_id, std::string_view source_id) {
  for (const CameraBinding& b : CameraBindings(device)) {
    if (b.camera_id == camera_id) return "vsc_" + b.token_prefix + TokenPart(source_id);
  }
  return {};
}

MediaCatalog MediaCatalog::Build(const adapters::CameraAdapter* adapter,
                                 const std::vector<CameraBinding>& cameras) {
  MediaCatalog catalog;
  if (adapter == nullptr) return catalog;
  const auto facts = adapter->facts();
  if (!facts) return catalog;
  for (const CameraBinding& binding : cameras) {
    const adapters::CameraFacts* camera = facts->Camera(binding.camera_id);
    if (camera == nullptr || !camera->description.capabilities().video_sources()) continue;
    const std::string label =
        camera->description.label().empty() ? binding.camera_id : camera->description.label();
    // Audio first, so that video encoders can name the audio they carry.
    std::vector<AudioEncoderEntry> camera_audio;
    if (camera->description.capabilities().audio_sources()) {
      for (const v1::AudioSource& source : camera->audio_sources.sources()) {
        const std::string part = binding.token_prefix + TokenPart(source.source_id());
        AudioSourceEntry entry;
        entry.token = "AudioSource_" + part;
        entry.part = part;
        entry.configuration_token = "asc_" + part;
        entry.camera_id = binding.camera_id;
        entry.label = label;
        entry.source = source;
        entry.source.clear_streams();
        for (const v1::AudioStream& stream : source.streams()) {
          AudioEncoderEntry enc;
          enc.token = "aec_" + part + "_" + TokenPart(stream.stream_id());
          enc.source_token = entry.token;
          enc.camera_id = binding.camera_id;
          enc.source_id = source.source_id();
          enc.stream = stream;
          camera_audio.push_back(enc);
          catalog.audio_encoders_.push_back(std::move(enc));
        }
        catalog.audio_sources_.push_back(std::move(entry));
      }
    }
    const bool can_apply = camera->description.capabilities().video_encoder_configuration();
    for (const v1::VideoSource& source : camera->video_sources.sources()) {
      const std::string part = binding.token_prefix + TokenPart(source.source_id());
      VideoSourceEntry entry;
      entry.token = "VideoSource_" + part;
      entry.part = part;
      entry.configuration_token = "vsc_" + part;
      entry.camera_id = binding.camera_id;
      entry.label = label;
      entry.source = source;
      entry.source.clear_streams();
      for (const v1::VideoStream& stream : source.streams()) {
        VideoEncoderEntry enc;
        enc.token = "enc_" + part + "_" + TokenPart(stream.stream_id());
        enc.source_token = entry.token;
        enc.camera_id = binding.camera_id;
        enc.source_id = source.source_id();
        enc.stream = stream;
        enc.configurable = can_apply && stream.has_options() && stream.options().codecs_size() > 0;
        if (stream.has_audio()) {
          for (const AudioEncoderEntry& a : camera_audio) {
            if (a.source_id == stream.audio().source_id() &&
                a.stream.stream_id() == stream.audio().stream_id()) {
              enc.audio_encoder_token = a.token;
            }
          }
        }
        catalog.encoders_.push_back(std::move(enc));
      }
      catalog.sources_.push_back(std::move(entry));
    }
    if (camera->description.capabilities().ptz()) {
      for (const v1::PtzNode& node : camera->ptz_nodes.nodes()) {
        PtzNodeEntry entry;
        entry.part = binding.token_prefix + TokenPart(node.node_id());
        entry.token = "PTZNode_" + entry.part;
        entry.configuration_token = "ptz_" + entry.part;
        entry.camera_id = binding.camera_id;
        if (!node.source_id().empty()) {
          entry.source_token = "VideoSource_" + binding.token_prefix + TokenPart(node.source_id());
        }
        entry.node = node;
        if (camera->description.capabilities().auxiliary_commands()) {
          entry.auxiliary_commands.assign(camera->description.auxiliary_commands().begin(),
                                          camera->description.auxiliary_commands().end());
        }
        catalog.ptz_nodes_.push_back(std::move(entry));
      }
    }
  }
  return catalog;
}

const PtzNodeEntry* MediaCatalog::PtzNode(std::string_view token) const {
  for (const auto& n : ptz_nodes_) {
    if (n.token == token) return &n;
  }
  return nullptr;
}

const PtzNodeEntry* MediaCatalog::PtzConfiguration(std::string_view token) const {
  for (const auto& n : ptz_nodes_) {
    if (n.configuration_token == token) return &n;
  }
  return nullptr;
}

const PtzNodeEntry* MediaCatalog::PtzNodeMoving(std::string_view source_token) const {
  for (const auto& n : ptz_nodes_) {
    if (!source_token.empty() && n.source_token == source_token) return &n;
  }
  return nullptr;
}

const VideoSourceEntry* MediaCatalog::Source(std::string_view token) const {
  for (const auto& s : sources_) {
    if (s.token == token) return &s;
  }
  return nullptr;
}

const VideoSourceEntry* MediaCatalog::SourceConfiguration(std::string_view token) const {
  for (const auto& s : sources_) {
    if (s.configuration_token == token) return &s;
  }
  return nullptr;
}

const VideoEncoderEntry* MediaCatalog::Encoder(std::string_view token) const {
  for (const auto& e : encoders_) {
    if (e.token == token) return &e;
  }
  return nullptr;
}

const AudioSourceEntry* MediaCatalog::AudioSource(std::string_view token) const {
  for (const auto& s : audio_sources_) {
    if (s.token == token) return &s;
  }
  return nullptr;
}

const AudioSourceEntry* MediaCatalog::AudioSourceConfiguration(std::string_view token) const {
  for (const auto& s : audio_sources_) {
    if (s.configuration_token == token) return &s;
  }
  return nullptr;
}

const AudioEncoderEntry* MediaCatalog::AudioEncoder(std::string_view token) const {
  for (const auto& e : audio_encoders_) {
    if (e.token == token) return &e;
  }
  return nullptr;
}

}  // namespace onvifgw::services::media
